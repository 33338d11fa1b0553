// Test support for the app process: a temporary run directory (plan.yaml +
// run.json with free loopback ports), a fake sidecar that records what it is sent
// and answers a set status, and the app process running on its own thread.
// Everything is on 127.0.0.1 and bounded in time.
#pragma once
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http_test_client.h"
#include "mesh/live/app/app_config.h"
#include "mesh/live/app/app_process.h"
#include "mesh/live/run_layout.h"

namespace meshproof::live::testing {

// The whole of a file ("" when it cannot be read).
inline std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

// A directory under /tmp, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "meshproof-live-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  // Writes `text` to the file `name` in it; its path.
  std::string write(const std::string& name, const std::string& text) const {
    const std::string path = path_ + "/" + name;
    std::ofstream out(path);
    out << text;
    return path;
  }

 private:
  std::string path_;
};

// A scenario with one service `api` (v1, one replica: api-v1-0) whose behavior is
// the given YAML flow mapping, and a service `payments` it may call.
inline std::string planYaml(const std::string& api_behavior, std::uint64_t seed = 7) {
  return "name: live-app-test\n"
         "seed: " +
         std::to_string(seed) +
         "\n"
         "duration: 10s\n"
         "services:\n"
         "  - name: api\n"
         "    versions:\n"
         "      - {name: v1, replicas: 1, behavior: " +
         api_behavior +
         "}\n"
         "  - name: payments\n"
         "    versions:\n"
         "      - {name: v1, replicas: 1, behavior: {serviceTime: {fixed: 1ms}}}\n"
         "workload:\n"
         "  - {name: users, target: api, rate: 10}\n";
}

// Writes plan.yaml and a run.json giving every instance of the plan free ports.
inline RunLayout writeRunDir(const TempDir& dir, const std::string& plan_yaml) {
  dir.write("plan.yaml", plan_yaml);
  RunLayout layout;
  layout.dir = dir.path();
  layout.t0 = monotonicNs();
  layout.wall_t0 = systemWallNs();
  layout.control_stream = freeLoopbackPort();
  layout.control_admin = freeLoopbackPort();
  for (const char* name : {"api-v1-0", "payments-v1-0"})
    layout.nodes[name] =
        NodePorts{freeLoopbackPort(), freeLoopbackPort(), freeLoopbackPort(), freeLoopbackPort(), freeLoopbackPort()};
  layout.write();
  return layout;
}

// What the fake sidecar was sent.
struct Recorded {
  std::string method;
  std::string target;
  std::string host;
  std::string traceparent;
  std::uint64_t connection = 0;  // which connection it came on (1, 2, ...)
};

// A tiny Beast server on 127.0.0.1:port, on its own thread: answers every request
// with `status` (settable) after `delay`, keeping connections open.
class FakeSidecar {
 public:
  explicit FakeSidecar(std::uint16_t port) : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), port)) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~FakeSidecar() {
    asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      io_.stop();
    });
    thread_.join();
  }
  void setStatus(int status) { status_ = status; }
  std::vector<Recorded> recorded() const {
    std::lock_guard lock(mutex_);
    return recorded_;
  }

 private:
  struct Session : std::enable_shared_from_this<Session> {
    Session(FakeSidecar& owner, tcp::socket s, std::uint64_t id) : fake(owner), socket(std::move(s)), serial(id) {}
    void read() {
      request.emplace();
      bhttp::async_read(
          socket, buffer, *request, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
            if (ec) return;
            const auto& req = self->request->get();
            Recorded r;
            r.method = std::string(req.method_string());
            r.target = std::string(req.target());
            if (auto it = req.find(bhttp::field::host); it != req.end()) r.host = std::string(it->value());
            if (auto it = req.find("traceparent"); it != req.end()) r.traceparent = std::string(it->value());
            r.connection = self->serial;
            {
              std::lock_guard lock(self->fake.mutex_);
              self->fake.recorded_.push_back(r);
            }
            self->response = {};
            self->response.version(11);
            self->response.result(static_cast<unsigned>(self->fake.status_.load()));
            self->response.keep_alive(true);
            self->response.body() = "fake sidecar\n";
            self->response.prepare_payload();
            bhttp::async_write(self->socket, self->response, [self](boost::system::error_code wec, std::size_t) {
              if (!wec) self->read();
            });
          });
    }
    FakeSidecar& fake;
    tcp::socket socket;
    std::uint64_t serial;
    beast::flat_buffer buffer;
    std::optional<bhttp::request_parser<bhttp::empty_body>> request;
    bhttp::response<bhttp::string_body> response;
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      std::make_shared<Session>(*this, std::move(socket), ++connections_)->read();
      accept();
    });
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<int> status_{200};
  std::uint64_t connections_ = 0;
  mutable std::mutex mutex_;
  std::vector<Recorded> recorded_;
};

// The app process of one instance, loaded from a run directory as `meshproof app`
// loads it, served on its own thread until the end of the test.
class AppThread {
 public:
  explicit AppThread(const AppConfig& config) : process_(std::make_unique<AppProcess>(io_, config)) {
    process_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~AppThread() {
    asio::post(io_, [this] {
      process_->close();
      io_.stop();
    });
    thread_.join();
  }

 private:
  asio::io_context io_{1};
  std::unique_ptr<AppProcess> process_;
  std::thread thread_;
};

// A run directory for api-v1-0 with the given behavior, and its app running.
struct RunningApp {
  explicit RunningApp(const std::string& api_behavior)
      : layout(writeRunDir(dir, planYaml(api_behavior))), config(loadAppConfig(dir.path(), "api-v1-0")), app(config) {}
  std::uint16_t appPort() const { return config.app_port; }
  std::uint16_t adminPort() const { return config.admin_port; }
  std::uint16_t outboundPort() const { return config.outbound_port; }

  TempDir dir;
  RunLayout layout;
  AppConfig config;
  AppThread app;
};

}  // namespace meshproof::live::testing
