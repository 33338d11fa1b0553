// Ctrl-C (SIGINT) and SIGTERM during a live run: handlers that only raise a flag,
// installed before the first process starts, so that start-up and the run itself
// can stop every process and remove the run directory whenever the user interrupts.
#pragma once
#include <stdexcept>

namespace meshproof::live {

// SIGINT or SIGTERM arrived; everything was stopped.
class LiveRunInterrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void catchInterruptions();  // idempotent
bool interruptionRequested();
// Throws LiveRunInterrupted when one was requested.
void throwIfInterrupted();

}  // namespace meshproof::live
