// `meshproof app` as the orchestrator runs it: a child process of the built
// `meshproof` (next to this test's directory: build/meshproof), reading a run
// directory, answering on its ports, refusing unusable input with exit status 2
// and a message naming it, and leaving with 0 on SIGTERM or SIGINT.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app_test_support.h"
#include "mesh/live/fault_state_file.h"

namespace meshproof::live::testing {
namespace {

std::string meshproofBinary() {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "meshproof").string();
}

// A child `meshproof app ...` with its standard error in a file.
class Child {
 public:
  Child(const std::vector<std::string>& args, const std::string& stderr_file) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, 2);
      ::dup2(fd, 1);
      std::vector<std::string> argv_strings{meshproofBinary(), "app"};
      argv_strings.insert(argv_strings.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& s : argv_strings) argv.push_back(s.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  // The exit status, or -1 when it has not exited within `timeout` (then killed).
  int wait(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
  void signal(int sig) const { ::kill(pid_, sig); }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
};

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Polls GET /ready until it answers (the child is up) or `timeout` passes.
bool waitReady(std::uint16_t admin_port, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    Client c(admin_port, std::chrono::milliseconds(500));
    if (c.connected() && c.request("GET", "/ready").status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

class AppCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(meshproofBinary()))
        << meshproofBinary() << " is missing: build the meshproof target with mesh_live_tests";
  }
  std::string log() const { return dir_.path() + "/app.log"; }
  TempDir dir_;
};

TEST_F(AppCommand, ServesUntilSigtermThenExits0) {
  const RunLayout layout = writeRunDir(dir_, planYaml("{serviceTime: {fixed: 5ms}}"));
  const NodePorts ports = layout.nodes.at("api-v1-0");
  Child app({"--run-dir", dir_.path(), "--instance", "api-v1-0"}, log());
  ASSERT_TRUE(waitReady(ports.app_admin)) << readFile(log());

  Client c(ports.app);
  Reply r = c.request("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("x-app-instance"), "api-v1-0");
  ASSERT_EQ(Client(ports.app_admin).request("PUT", "/fault/abort", R"({"http_status": 503, "percentage": 100})").status,
            200);
  EXPECT_EQ(c.request("GET", "/").status, 503);

  app.signal(SIGTERM);
  EXPECT_EQ(app.wait(), 0) << readFile(log());
  EXPECT_TRUE(c.closedByPeer());
  EXPECT_FALSE(Client(ports.app).connected());  // the listener is gone
}

TEST_F(AppCommand, SigintExits0) {
  const RunLayout layout = writeRunDir(dir_, planYaml("{serviceTime: {fixed: 1ms}}"));
  Child app({"--run-dir", dir_.path(), "--instance", "payments-v1-0", "--seed", "3"}, log());
  ASSERT_TRUE(waitReady(layout.nodes.at("payments-v1-0").app_admin)) << readFile(log());
  app.signal(SIGINT);
  EXPECT_EQ(app.wait(), 0) << readFile(log());
}

// A crash fault's restart during an abort fault: the app comes back with the fault,
// from its first request (the fault driver keeps what is in force in the run directory).
TEST_F(AppCommand, StartedAgainDuringAFaultItComesBackWithIt) {
  const RunLayout layout = writeRunDir(dir_, planYaml("{serviceTime: {fixed: 1ms}}"));
  FaultState faults;
  faults.put("api-v1-0", "app", "/fault/abort", {{"http_status", 503}, {"percentage", 100}});
  faults.put("api-v1-0", "proxy", "/fault/loss", {{"percentage", 50}});  // the sidecar's, not the app's
  faults.save(layout, "api-v1-0");
  const NodePorts ports = layout.nodes.at("api-v1-0");
  Child app({"--run-dir", dir_.path(), "--instance", "api-v1-0"}, log());
  ASSERT_TRUE(waitReady(ports.app_admin)) << readFile(log());
  Client c(ports.app);
  EXPECT_EQ(c.request("GET", "/").status, 503);
  EXPECT_EQ(readFile(log()).find("not applied"), std::string::npos) << readFile(log());
  app.signal(SIGTERM);
  EXPECT_EQ(app.wait(), 0) << readFile(log());
}

// A saved fault the app refuses is said on standard error; the app still serves.
TEST_F(AppCommand, ASavedFaultItRefusesIsSaidAndItServes) {
  const RunLayout layout = writeRunDir(dir_, planYaml("{serviceTime: {fixed: 1ms}}"));
  dir_.write("api-v1-0.faults.json", R"({"app": {"/fault/abort": {"http_status": 503}}})");
  const NodePorts ports = layout.nodes.at("api-v1-0");
  Child app({"--run-dir", dir_.path(), "--instance", "api-v1-0"}, log());
  ASSERT_TRUE(waitReady(ports.app_admin)) << readFile(log());
  EXPECT_EQ(Client(ports.app).request("GET", "/").status, 200);
  EXPECT_NE(readFile(log()).find("api-v1-0: a fault in force was not applied: " + dir_.path() +
                                 "/api-v1-0.faults.json: PUT /fault/abort"),
            std::string::npos)
      << readFile(log());
  app.signal(SIGTERM);
  EXPECT_EQ(app.wait(), 0) << readFile(log());
}

TEST_F(AppCommand, UnknownInstanceExits2NamingIt) {
  writeRunDir(dir_, planYaml("{serviceTime: {fixed: 1ms}}"));
  Child app({"--run-dir", dir_.path(), "--instance", "nosuch-v1-0"}, log());
  EXPECT_EQ(app.wait(), 2);
  EXPECT_NE(readFile(log()).find("no instance \"nosuch-v1-0\""), std::string::npos) << readFile(log());
}

TEST_F(AppCommand, UnreadableRunDirectoryExits2NamingTheFile) {
  Child app({"--run-dir", dir_.path() + "/missing", "--instance", "api-v1-0"}, log());
  EXPECT_EQ(app.wait(), 2);
  EXPECT_NE(readFile(log()).find(dir_.path() + "/missing/plan.yaml"), std::string::npos) << readFile(log());
}

TEST_F(AppCommand, PortInUseExits2NamingThePort) {
  const RunLayout layout = writeRunDir(dir_, planYaml("{serviceTime: {fixed: 1ms}}"));
  const std::uint16_t port = layout.nodes.at("api-v1-0").app;
  asio::io_context io;
  tcp::acceptor squatter(io, tcp::endpoint(asio::ip::address_v4::loopback(), port));
  Child app({"--run-dir", dir_.path(), "--instance", "api-v1-0"}, log());
  EXPECT_EQ(app.wait(), 2);
  EXPECT_NE(readFile(log()).find("api-v1-0: cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << readFile(log());
}

TEST_F(AppCommand, BadArgumentsExit2WithUsage) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--instance", "api-v1-0"}, std::vector<std::string>{"--run-dir", "x"},
        std::vector<std::string>{"--run-dir", "x", "--instance", "api-v1-0", "--seed", "-1"},
        std::vector<std::string>{"--run-dir", "x", "--instance"}, std::vector<std::string>{"--colour", "x"}}) {
    Child app(args, log());
    EXPECT_EQ(app.wait(), 2);
    EXPECT_NE(readFile(log()).find("usage: meshproof app --run-dir DIR --instance NAME [--seed N]"), std::string::npos)
        << readFile(log());
  }
}

}  // namespace
}  // namespace meshproof::live::testing
