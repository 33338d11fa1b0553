// The interruption flag and its signal handlers.
#include "mesh/live/orchestrator/interruption.h"

#include <csignal>

namespace meshproof::live {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void onInterrupt(int) { g_interrupted = 1; }

}  // namespace

void catchInterruptions() {
  struct sigaction action {};
  action.sa_handler = onInterrupt;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

bool interruptionRequested() { return g_interrupted != 0; }

void throwIfInterrupted() {
  if (interruptionRequested()) throw LiveRunInterrupted("interrupted; every process of the run was stopped");
}

}  // namespace meshproof::live
