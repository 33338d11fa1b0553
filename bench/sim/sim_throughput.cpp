// Simulator throughput, measured against a raw SimGrid baseline in the same run.
//
//   raw      : the same platform and message sizes, request/response between plain
//              SimGrid actors (one per host, mailbox + wait_any_for loops like ours)
//              with no mesh logic: what SimGrid itself can carry. Two rows: servers
//              that answer at once, and servers that hold each request for the
//              mesh's 1 ms service time (the same timers the mesh's apps need).
//   mesh     : a 10-service, 30-instance mesh (a chain frontend -> s1 -> ... -> s9,
//              three replicas each) driven by meshproof's sidecars, apps and
//              generators; a hop is one sidecar-to-sidecar request and its answer.
//   scale    : 1,000 instances (100 services x 10 replicas, chains of depth 4),
//              wall time and peak memory.
// Each measurement runs in its own child process (one SimGrid engine per process).
// The 30-instance rows run in rounds (--rounds, default 3), raw then mesh in each, and
// every ratio is taken within a round and reported as the median over the rounds: the
// machines this runs on are shared, and their speed drifts by half over minutes.
// Hops are counted from the source-reported request events.
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <cstdio>
#include <functional>
#include <simgrid/s4u.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "chaos/trace/trace_writer.h"
#include "mesh/core/rng.h"
#include "mesh/scenario/scenario_loader.h"
#include "sim/net_message.h"
#include "sim/platform.h"
#include "sim/simulation.h"

namespace sg4 = simgrid::s4u;
using namespace meshproof;

namespace {

struct Measurement {
  double simulated_s = 0;
  double wall_s = 0;
  double cpu_s = 0;  // the process's CPU time over the same span: what other load on a shared machine changes least
  double hops = 0;
  double peak_rss_mb = 0;
  int ok = 0;         // 1: the child measured it
  int attempted = 0;  // 1: a child was started for it (ok 0 then: it crashed)
};

Measurement inChild(const std::function<Measurement()>& body) {
  int fds[2];
  if (pipe(fds) != 0) {
    Measurement failed;
    failed.attempted = 1;
    return failed;
  }
  std::fflush(stdout);  // the child must not inherit unwritten output
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Measurement m = body();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    m.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
    m.ok = 1;
    if (write(fds[1], &m, sizeof m) != static_cast<ssize_t>(sizeof m)) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  Measurement m;
  if (read(fds[0], &m, sizeof m) != static_cast<ssize_t>(sizeof m)) m = {};
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  m.attempted = 1;
  return m;
}

// Wall and CPU time of a span of this process.
class Stopwatch {
 public:
  Stopwatch() : wall_(std::chrono::steady_clock::now()), cpu_(cpuNow()) {}
  void stop(Measurement& m) const {
    m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_).count();
    m.cpu_s = cpuNow() - cpu_;
  }

 private:
  static double cpuNow() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
  }
  std::chrono::steady_clock::time_point wall_;
  double cpu_;
};

// Services s0..s(n-1) per chain; s0 of each chain is a workload target.
std::string meshScenario(int chains, int depth, int replicas, double rate, int duration_s) {
  std::ostringstream y;
  y << "name: throughput\nduration: " << duration_s << "s\n"
    << "network: {zones: [{name: z, latency: 100us, bandwidth: 10Gbps}]}\nservices:\n";
  for (int c = 0; c < chains; ++c) {
    for (int d = 0; d < depth; ++d) {
      y << "  - name: c" << c << "s" << d << "\n    versions: [{name: v1, replicas: " << replicas
        << ", behavior: {serviceTime: {fixed: 1ms}";
      if (d + 1 < depth) y << ", calls: [{service: c" << c << "s" << d + 1 << "}]";
      y << "}}]\n";
    }
  }
  y << "workload:\n";
  for (int c = 0; c < chains; ++c)
    y << "  - {name: w" << c << ", target: c" << c << "s0, rate: " << rate << ", arrival: poisson}\n";
  return y.str();
}

class HopCounter final : public EventSink {
 public:
  explicit HopCounter(EventSink* next) : next_(next) {}
  void emit(TimeNs t, const Event& e) override {
    if (const auto* r = std::get_if<RequestEvent>(&e); r && r->reporter == "source" && r->attempts > 0) ++hops;
    if (next_) next_->emit(t, e);
  }
  double hops = 0;

 private:
  EventSink* next_;
};

Measurement runMesh(const std::string& yaml, bool hash_trace) {
  const scenario::Plan plan = scenario::loadScenarioText(yaml, "throughput.yaml");
  std::ostream discard(nullptr);
  chaos::TraceWriter trace(discard);
  HopCounter counter(hash_trace ? &trace : nullptr);
  sim::SimulationOptions options;
  options.seed = 1;
  const Stopwatch watch;
  const auto result = sim::simulate(plan, options, counter);
  Measurement m;
  watch.stop(m);
  m.simulated_s = static_cast<double>(result.simulated_end) / 1e9;
  m.hops = counter.hops;
  return m;
}

// Raw SimGrid: 30 server actors; one client actor sends Poisson requests to random
// servers at the mesh's total hop rate. With `service_s` = 0 a server answers at once;
// otherwise it holds each request that long (a timer per request, as the mesh's apps
// and any simulated server need) and serves any number at a time.
Measurement runRaw(int servers, double hop_rate, int duration_s, double service_s) {
  auto args = sim::engineArguments(false);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  sg4::Engine engine(&argc, argv.data());
  std::vector<sim::HostSpec> hosts;
  for (int i = 0; i < servers; ++i) hosts.push_back({"server-" + std::to_string(i), "z"});
  hosts.push_back({"client", "z"});
  sim::NetworkSpec net;
  net.zones = {{"z", 100 * kMicrosecond, 10e9}};
  sim::Platform platform(net, hosts);
  double answered = 0;
  // The mesh's sizes (sim/net_message.h): a request with the headers a sidecar adds,
  // and the stand-in app's answer.
  sim::NetMessage sized;
  sized.request.authority = "server";
  sized.request.headers.set("x-request-id", std::string(32, '0'));
  sized.request.headers.set("traceparent", std::string(55, '0'));
  const std::uint64_t request_bytes = sim::wireBytes(sized, "client");
  sized.kind = sim::MessageKind::kResponse;
  sized.status = 200;
  const std::uint64_t response_bytes = sim::wireBytes(sized, "server-0");
  for (int i = 0; i < servers; ++i) {
    sg4::Actor::create("server", platform.host("server-" + std::to_string(i)), [i, service_s, duration_s,
                                                                                response_bytes] {
      sg4::Actor::self()->daemonize();
      sg4::Mailbox* in = sg4::Mailbox::by_name("server-" + std::to_string(i));
      sg4::Mailbox* out = sg4::Mailbox::by_name("client");
      if (service_s > 0) {
        std::deque<std::pair<double, sim::NetMessage*>> serving;  // FIFO: every request takes service_s
        sim::NetMessage* incoming = nullptr;
        sg4::CommPtr pending;
        std::vector<sg4::CommPtr> waiting(1);
        const double end = duration_s;
        while (sg4::Engine::get_clock() < end) {
          if (!pending) pending = in->get_async<sim::NetMessage>(&incoming);
          waiting[0] = pending;
          const double until = serving.empty() ? end : std::min(end, serving.front().first);
          const double timeout = std::max(0.0, until - sg4::Engine::get_clock());
          if (sg4::Comm::wait_any_for(waiting, timeout) == 0) {
            serving.emplace_back(sg4::Engine::get_clock() + service_s, incoming);
            pending = nullptr;
          }
          while (!serving.empty() && serving.front().first <= sg4::Engine::get_clock()) {
            sim::NetMessage* m = serving.front().second;
            serving.pop_front();
            m->kind = sim::MessageKind::kResponse;
            out->put_init(m, response_bytes)->detach();
          }
        }
        if (pending) pending->cancel();  // the run is over: no receive left running
        for (auto& [due, m] : serving) delete m;
        return;
      }
      for (;;) {
        auto* m = in->get<sim::NetMessage>();
        m->kind = sim::MessageKind::kResponse;
        out->put_init(m, response_bytes)->detach();
      }
    });
  }
  sg4::Actor::create("client", platform.host("client"), [&] {
    Rng rng(1);
    sg4::Mailbox* in = sg4::Mailbox::by_name("client");
    std::vector<sg4::Mailbox*> outs;
    for (int i = 0; i < servers; ++i) outs.push_back(sg4::Mailbox::by_name("server-" + std::to_string(i)));
    sim::NetMessage* incoming = nullptr;
    sg4::CommPtr pending;
    std::vector<sg4::CommPtr> waiting(1);
    double next = 0;
    const double end = duration_s;
    while (sg4::Engine::get_clock() < end) {
      if (!pending) pending = in->get_async<sim::NetMessage>(&incoming);
      waiting[0] = pending;
      const double timeout = std::max(0.0, next - sg4::Engine::get_clock());
      if (sg4::Comm::wait_any_for(waiting, timeout) == 0) {
        delete incoming;
        incoming = nullptr;
        pending = nullptr;
        ++answered;
      }
      while (sg4::Engine::get_clock() >= next) {
        auto* m = new sim::NetMessage();
        m->request.path = "/";
        outs[rng.below(outs.size())]->put_init(m, request_bytes)->detach();
        next += rng.exponential(1.0 / hop_rate);
      }
    }
    if (pending) pending->cancel();  // the run is over: no receive left running
    delete incoming;                 // what the cancelled receive may have got
  });
  const Stopwatch watch;
  engine.run();
  Measurement m;
  watch.stop(m);
  m.simulated_s = sg4::Engine::get_clock();
  m.hops = answered;
  return m;
}

// Pins this process, and so every measurement's child, to one CPU: the one it is on
// when it starts (whichever the scheduler chose), or the one `taskset -c N` gave it. The two CPUs of a virtual machine need
// not be alike (on this machine kind one has run everything ~1.6x slower than the other
// for hours), and a ratio of rows measured on different CPUs says nothing.
int pinToOneCpu() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
  int cpu = sched_getcpu();
  if (cpu < 0 || !CPU_ISSET(cpu, &allowed)) {
    for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed); ++cpu) {
    }
  }
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  return sched_setaffinity(0, sizeof one, &one) == 0 ? cpu : -1;
}

double perWall(const Measurement& m) { return m.wall_s > 0 ? m.hops / m.wall_s : 0.0; }
double perCpu(const Measurement& m) { return m.cpu_s > 0 ? m.hops / m.cpu_s : 0.0; }

void row(const char* name, const Measurement& m) {
  if (!m.ok) {
    std::printf("%-46s FAILED: the measuring process did not report (it crashed)\n", name);
    return;
  }
  std::printf("%-46s %7.1f %7.2f %7.2f %9.0f %11.0f %10.0f %7.1f\n", name, m.simulated_s, m.wall_s, m.cpu_s, m.hops,
              perWall(m), perCpu(m), m.peak_rss_mb);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// One figure over the rounds: its median, and its range when there is more than one round.
std::string spread(const std::vector<double>& values, const char* format) {
  const auto figure = [format](double value) {
    char text[64];
    std::snprintf(text, sizeof text, format, value);
    return std::string(text);
  };
  std::string out = figure(median(values));
  if (values.size() > 1) {
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    out += " (" + figure(*lo) + "-" + figure(*hi) + ")";
  }
  return out;
}

// The rows of one round, measured one after the other so that a ratio compares rows
// the machine ran at nearly the same speed.
struct Round {
  Measurement raw, raw_timed, plain, hashed;
};

// Per-round ratios of `mesh` to `base` rows, by wall time and by CPU time.
void ratioLine(const char* label, const std::vector<Round>& rounds, Measurement Round::*mesh,
               Measurement Round::*base) {
  std::vector<double> wall, cpu;
  for (const Round& r : rounds) {
    if (!(r.*mesh).ok || !(r.*base).ok) continue;  // a row that failed: no ratio for the round
    wall.push_back(perWall(r.*mesh) / perWall(r.*base));
    cpu.push_back(perCpu(r.*mesh) / perCpu(r.*base));
  }
  std::printf("  %-58s wall %s, cpu %s\n", label, spread(wall, "%.2f").c_str(), spread(cpu, "%.2f").c_str());
}

// Whether a row that was run did not report.
bool failed(const std::vector<Round>& rounds) {
  for (const Round& r : rounds)
    for (const Measurement* m : {&r.raw, &r.raw_timed, &r.plain, &r.hashed})
      if (m->attempted && !m->ok) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  // --quick: shorter runs; --seconds N: the 30-instance rows' length; --rounds R: how many
  // times the 30-instance rows run, in turn; --only raw|mesh|traced|scale: one row (for profiling).
  bool quick = false;
  int seconds = 0;  // --seconds N: simulated length of the 30-instance rows
  int rounds = 3;
  std::string only;
  const auto usage = [] {
    std::fprintf(stderr, "usage: sim_throughput [--quick] [--seconds N] [--rounds R] [--only raw|mesh|traced|scale]\n");
    return 2;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") {
      quick = true;
    } else if (a == "--seconds" && i + 1 < argc) {
      seconds = std::atoi(argv[++i]);
      if (seconds <= 0) return usage();
    } else if (a == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
      if (rounds <= 0) return usage();
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
      if (only != "raw" && only != "mesh" && only != "traced" && only != "scale") return usage();
    } else {
      return usage();
    }
  }
  const int cpu = pinToOneCpu();
  const auto wanted = [&](const char* name) { return only.empty() || only == name; };
  const int duration_s = seconds > 0 ? seconds : quick ? 20 : 60;
  if (quick || !only.empty()) rounds = std::min(rounds, 1);
  // 10 services in one chain of depth 10, 3 replicas each: 30 instances. 400 client
  // requests a second make 4,000 hops per simulated second.
  const double rate = 400;
  const std::string mesh = meshScenario(1, 10, 3, rate, duration_s);

  std::printf("meshproof simulator throughput (each row one process, all on cpu %d; %d round%s in turn)\n\n", cpu,
              rounds, rounds == 1 ? "" : "s");
  std::printf("%-46s %7s %7s %7s %9s %11s %10s %7s\n", "run", "sim s", "wall s", "cpu s", "hops", "hops/wall-s",
              "hops/cpu-s", "RSS MB");
  std::vector<Round> measured;
  if (wanted("raw") || wanted("mesh") || wanted("traced")) {
    for (int i = 0; i < rounds; ++i) {
      if (rounds > 1) std::printf("round %d\n", i + 1);
      Round r;
      if (wanted("raw")) row("raw SimGrid request/response (30 hosts)", r.raw = inChild([&] { return runRaw(30, rate * 10, duration_s, 0); }));
      if (wanted("raw")) row("  same, servers hold each request 1 ms", r.raw_timed = inChild([&] { return runRaw(30, rate * 10, duration_s, 1e-3); }));
      if (wanted("mesh")) row("meshproof 10 services / 30 instances", r.plain = inChild([&] { return runMesh(mesh, false); }));
      if (wanted("traced")) row("  same, trace serialised and hashed (as run)", r.hashed = inChild([&] { return runMesh(mesh, true); }));
      measured.push_back(r);
    }
  }
  if (only.empty()) {
    // Ratios by wall time and by CPU time (the latter moves less when the machine is
    // shared), each taken within a round; the median over the rounds.
    std::vector<double> mesh_rate, traced_rate;
    for (const Round& r : measured) {
      if (r.plain.ok) mesh_rate.push_back(perWall(r.plain));
      if (r.hashed.ok) traced_rate.push_back(perWall(r.hashed));
    }
    std::printf("\nmedian%s\n", rounds > 1 ? " (range) over the rounds" : "");
    std::printf("  %-58s %s\n", "meshproof hops per wall-second", spread(mesh_rate, "%.0f").c_str());
    std::printf("  %-58s %s\n", "  with the trace serialised and hashed", spread(traced_rate, "%.0f").c_str());
    ratioLine("ratio meshproof / raw SimGrid", measured, &Round::plain, &Round::raw);
    ratioLine("  with the trace", measured, &Round::hashed, &Round::raw);
    ratioLine("ratio meshproof / raw SimGrid with the same 1 ms service", measured, &Round::plain, &Round::raw_timed);
    ratioLine("  with the trace", measured, &Round::hashed, &Round::raw_timed);
  }
  if (!wanted("scale")) return failed(measured) ? 1 : 0;

  // 1,000 instances: 100 services (25 chains of depth 4) x 10 replicas.
  const std::string scale = meshScenario(25, 4, 10, 40, quick ? 10 : 30);
  const Measurement big = inChild([&] { return runMesh(scale, true); });
  std::printf("\n");
  row("scale: 1,000 instances (100 services x 10)", big);
  return failed(measured) || !big.ok ? 1 : 0;
}
