// The admin server over real loopback connections: routing by (method, path), the
// replies it makes on its own (404, 405 with Allow, 400, 413, 431, 500), keep-alive
// and pipelining on one connection, and a port it cannot take.
#include "mesh/live/http/admin_server.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "http_test_client.h"

namespace meshproof::live::testing {
namespace {

using http::AdminRequest;
using http::AdminResponse;
using http::AdminServer;

// An admin server with a few routes, listening on a free port, served on its own thread.
class AdminServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void TearDown() override { stop(); }

  void start(http::AdminServerLimits limits) {
    server_ = std::make_unique<AdminServer>(io_, limits);
    server_->route("GET", "/ready", [](const AdminRequest&) { return http::textResponse(200, "ready"); });
    server_->route("PUT", "/echo", [](const AdminRequest& r) {
      return http::jsonResponse(
          200, nlohmann::json{{"method", r.method}, {"path", r.path}, {"query", r.query}, {"body", r.body}});
    });
    server_->route("DELETE", "/echo", [](const AdminRequest&) { return http::textResponse(204, ""); });
    server_->route("GET", "/throws",
                   [](const AdminRequest&) -> AdminResponse { throw std::runtime_error("the handler broke"); });
    server_->route("GET", "/fault/*",
                   [](const AdminRequest& r) { return http::textResponse(200, "prefix " + std::string(r.path)); });
    server_->route("GET", "/fault/exact", [](const AdminRequest&) { return http::textResponse(200, "exact"); });
    server_->listen(0);  // the kernel picks a free port
    thread_ = std::thread([this] { io_.run(); });
  }
  void stop() {
    if (!thread_.joinable()) return;
    asio::post(io_, [this] {
      server_->close();
      io_.stop();
    });
    thread_.join();
  }
  std::uint16_t port() const { return server_->port(); }

  asio::io_context io_{1};
  std::unique_ptr<AdminServer> server_;
  std::thread thread_;
};

TEST_F(AdminServerTest, RoutesSeveralRequestsOnOneKeptAliveConnection) {
  Client c(port());
  ASSERT_TRUE(c.connected());

  Reply ready = c.request("GET", "/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready\n");
  EXPECT_EQ(ready.header("content-type"), "text/plain");
  EXPECT_TRUE(ready.keep_alive);

  Reply missing = c.request("GET", "/nowhere");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "no route for /nowhere\n");

  Reply wrong_method = c.request("POST", "/echo", "{}");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.header("allow"), "PUT, DELETE");

  Reply echo = c.request("PUT", "/echo?verbose=1&x=2", R"({"delay_ms":5})");
  ASSERT_EQ(echo.status, 200);
  EXPECT_EQ(echo.header("content-type"), "application/json");
  const auto j = nlohmann::json::parse(echo.body);
  EXPECT_EQ(j["method"], "PUT");
  EXPECT_EQ(j["path"], "/echo");
  EXPECT_EQ(j["query"], "verbose=1&x=2");
  EXPECT_EQ(j["body"], R"({"delay_ms":5})");

  Reply no_content = c.request("DELETE", "/echo");
  EXPECT_EQ(no_content.status, 204);
  EXPECT_EQ(c.request("GET", "/ready").status, 200);  // still the same connection
}

TEST_F(AdminServerTest, AnswersPipelinedRequestsInOrder) {
  Client c(port());
  c.send("GET", "/ready");
  c.send("GET", "/nowhere");
  c.send("PUT", "/echo", "abc");
  EXPECT_EQ(c.receive().status, 200);
  EXPECT_EQ(c.receive().status, 404);
  Reply echo = c.receive();
  EXPECT_EQ(echo.status, 200);
  EXPECT_EQ(nlohmann::json::parse(echo.body)["body"], "abc");
}

TEST_F(AdminServerTest, MalformedRequestGets400AndTheConnectionCloses) {
  Client c(port());
  c.sendRaw("THIS IS NOT HTTP\r\n\r\n");
  Reply r = c.receive();
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("malformed request"), std::string::npos) << r.body;
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(c.closedByPeer());
  // The server itself is fine.
  EXPECT_EQ(get(port(), "/ready").status, 200);
}

TEST_F(AdminServerTest, BadHeaderSyntaxGets400) {
  Client c(port());
  c.sendRaw("GET /ready HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n");
  EXPECT_EQ(c.receive().status, 400);
}

TEST_F(AdminServerTest, HandlerThatThrowsGets500AndTheConnectionStaysUsable) {
  Client c(port());
  Reply r = c.request("GET", "/throws");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "the handler broke\n");
  EXPECT_EQ(c.request("GET", "/ready").status, 200);
}

TEST_F(AdminServerTest, ExactRouteWinsOverPrefixRoute) {
  EXPECT_EQ(get(port(), "/fault/exact").body, "exact\n");
  EXPECT_EQ(get(port(), "/fault/latency").body, "prefix /fault/latency\n");
  EXPECT_EQ(get(port(), "/fault").status, 404);  // "/fault/*" covers paths below /fault/ only
}

TEST_F(AdminServerTest, ClientAskingForCloseGetsItsAnswerThenTheConnectionCloses) {
  Client c(port());
  c.send("GET", "/ready", {}, {}, /*keep_alive=*/false);
  Reply r = c.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(c.closedByPeer());
}

class AdminServerLimitsTest : public AdminServerTest {
 protected:
  void SetUp() override {
    http::AdminServerLimits limits;
    limits.body_bytes_max = 1024;
    limits.header_bytes_max = 2048;
    start(limits);
  }
};

TEST_F(AdminServerLimitsTest, BodyOverTheLimitGets413) {
  Client c(port());
  Reply r = c.request("PUT", "/echo", std::string(5000, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("request body over the limit"), std::string::npos) << r.body;
  EXPECT_TRUE(c.closedByPeer());
}

TEST_F(AdminServerLimitsTest, BodyAtTheLimitIsAccepted) {
  Client c(port());
  Reply r = c.request("PUT", "/echo", std::string(1024, 'x'));
  EXPECT_EQ(r.status, 200);
}

TEST_F(AdminServerLimitsTest, AnnouncedBodyOverTheLimitGets413BeforeItIsSent) {
  Client c(port());
  c.sendRaw("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  EXPECT_EQ(c.receive().status, 413);
}

TEST_F(AdminServerLimitsTest, HeaderOverTheLimitGets431) {
  Client c(port());
  Reply r = c.request("GET", "/ready", {}, {{"x-padding", std::string(4096, 'p')}});
  EXPECT_EQ(r.status, 431);
}

TEST(AdminServerDispatch, RoutesWithoutSockets) {
  asio::io_context io;
  AdminServer server(io);
  server.route("GET", "/stats", [](const AdminRequest& r) { return http::textResponse(200, r.query); });
  server.route("GET", "/stats", [](const AdminRequest&) { return http::textResponse(200, "replaced"); });
  EXPECT_EQ(server.dispatch({"GET", "/stats", "format=json", ""}).body, "replaced\n");
  EXPECT_EQ(server.dispatch({"PUT", "/stats", "", ""}).status, 405);
  EXPECT_EQ(server.dispatch({"GET", "/statsx", "", ""}).status, 404);
  EXPECT_EQ(server.port(), 0);
}

TEST(AdminServerListen, PortInUseIsAnErrorNamingThePort) {
  asio::io_context io;
  AdminServer first(io);
  first.listen(0);
  const std::uint16_t taken = first.port();
  ASSERT_NE(taken, 0);
  AdminServer second(io);
  try {
    second.listen(taken);
    FAIL() << "listening twice on one port succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(taken)), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace meshproof::live::testing
