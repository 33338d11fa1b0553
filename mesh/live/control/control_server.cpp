// The control plane's streams, timer and faults on asio.
#include "mesh/live/control/control_server.h"

#include <boost/asio/write.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "mesh/control/mesh_nodes.h"
#include "mesh/live/control/stream_codec.h"

namespace meshproof::live {

namespace {

// The CA an earlier process saved, or a new one. Serial numbers come from a stream of
// their own per process start, so that a restart does not issue the same ones again.
identity::CertificateAuthority loadOrCreateCa(const scenario::Plan& plan, const RunLayout& layout,
                                              std::uint64_t seed, unsigned start, TimeNs now_wall) {
  Rng serials = Rng(seed).fork("mesh-ca");
  if (start > 1) serials = serials.fork("start " + std::to_string(start));
  std::optional<identity::CertificateAuthority> saved = readCa(layout, plan.mesh.mesh.trust_domain, serials);
  if (saved) return std::move(*saved);
  return identity::CertificateAuthority(plan.mesh.mesh.trust_domain, now_wall, serials);
}

SavedControlPlane startingFrom(const std::optional<SavedControlPlane>& saved) {
  SavedControlPlane next = saved.value_or(SavedControlPlane{});
  ++next.starts;
  return next;
}

}  // namespace

ControlServer::ControlServer(asio::io_context& io, const scenario::Plan& plan, const RunLayout& layout,
                             std::uint64_t seed)
    : ControlServer(io, plan, layout, seed, readControlPlaneState(layout)) {}

ControlServer::ControlServer(asio::io_context& io, const scenario::Plan& plan, const RunLayout& layout,
                             std::uint64_t seed, const std::optional<SavedControlPlane>& saved)
    : io_(io),
      plan_(plan),
      layout_(layout),
      clock_(layout.t0),
      events_(layout.path("control-plane.events")),
      ca_(loadOrCreateCa(plan, layout, seed, startingFrom(saved).starts, clock_.wallNow())),
      acceptor_(io),
      timer_(io),
      flush_timer_(io),
      saved_(startingFrom(saved)) {
  control::ControlPlaneSpec spec = control::controlPlaneSpec(plan, control::meshNodes(plan), /*instances_ready=*/false);
  if (saved) spec.resume = control::ControlPlaneRestart{saved->state, readReadiness(layout)};
  try {
    control_plane_.emplace(std::move(spec), clock_, ca_, events_);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(layout.path("control-plane.state.json") + ": " + e.what());
  }
  saved_.state = control_plane_->state();
  if (saved_.ca_revoked) ca_.revoke();  // the revoke-ca fault outlives the process, as the CA secret's state would
}

void ControlServer::start() {
  writeCa(layout_, ca_);
  writeControlPlaneState(layout_, saved_);
  listenStreams();
  auto tick = std::make_shared<std::function<void()>>();
  *tick = [this, tick] {
    events_.flush();
    flush_timer_.expires_after(std::chrono::milliseconds(100));
    flush_timer_.async_wait([this, tick](boost::system::error_code ec) {
      if (!ec && !stopped_) (*tick)();
    });
  };
  (*tick)();
  pump();
}

void ControlServer::listenStreams() {
  const tcp::endpoint at(asio::ip::address_v4::loopback(), layout_.control_stream);
  boost::system::error_code ec;
  acceptor_.open(at.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(at, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(layout_.control_stream) + ": " +
                             ec.message());
  accept();
}

void ControlServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (stopped_) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      auto stream = std::make_shared<Stream>(std::move(socket), next_stream_++);
      streams_[stream->id] = stream;
      read(stream);
    }
    accept();
  });
}

void ControlServer::read(const std::shared_ptr<Stream>& stream) {
  stream->socket.async_read_some(asio::buffer(stream->chunk), [this, stream](boost::system::error_code ec, std::size_t n) {
    if (!streams_.count(stream->id)) return;
    if (ec) return drop(stream);
    stream->in.append(stream->chunk, n);
    try {
      takeFrames(stream->in, [&](std::string_view payload) {
        const control::ToControlPlane message = decodeToControlPlane(payload);
        if (const auto* hello = std::get_if<control::Hello>(&message)) {
          stream->node = hello->node;
          stream_of_node_[hello->node] = stream->id;
        }
        if (!stream->node.empty()) control_plane_->receive(stream->node, message);
      });
    } catch (const CodecError& e) {
      std::fprintf(stderr, "control-plane: a bad message from %s: %s\n",
                   stream->node.empty() ? "a new stream" : stream->node.c_str(), e.what());
      return drop(stream);
    }
    pump();
    if (streams_.count(stream->id)) read(stream);
  });
}

void ControlServer::write(const std::shared_ptr<Stream>& stream) {
  if (stream->writing || stream->out.empty()) return;
  stream->writing = true;
  asio::async_write(stream->socket, asio::buffer(stream->out.front()),
                    [this, stream](boost::system::error_code ec, std::size_t) {
                      stream->writing = false;
                      if (!streams_.count(stream->id)) return;
                      if (ec) return drop(stream);
                      stream->out.pop_front();
                      write(stream);
                    });
}

void ControlServer::drop(const std::shared_ptr<Stream>& stream) {
  boost::system::error_code ignored;
  stream->socket.close(ignored);
  streams_.erase(stream->id);
  if (!stream->node.empty()) {
    auto it = stream_of_node_.find(stream->node);
    if (it != stream_of_node_.end() && it->second == stream->id) {
      stream_of_node_.erase(it);
      control_plane_->streamClosed(stream->node);
    }
  }
  pump();
}

void ControlServer::pump() {
  control::Outgoing out;
  while (control_plane_->pollAction(out)) {
    auto it = stream_of_node_.find(out.node);
    if (it == stream_of_node_.end()) continue;
    auto stream = streams_.at(it->second);
    stream->out.push_back(frame(encodeMessage(out.message)));
    write(stream);
  }
  saveState();
  armTimer();
}

void ControlServer::saveState() {
  SavedControlPlane now = saved_;
  now.state = control_plane_->state();
  now.ca_revoked = ca_.revoked();
  if (now == saved_) return;
  saved_ = std::move(now);
  try {
    writeControlPlaneState(layout_, saved_);
  } catch (const std::runtime_error& e) {
    // It serves on; only a restart would miss what this write had.
    std::fprintf(stderr, "control-plane: %s\n", e.what());
  }
}

void ControlServer::armTimer() {
  const TimeNs deadline = control_plane_->nextDeadline();
  if (deadline == kNever || stopped_) return;
  timer_.expires_at(asio::steady_timer::time_point(std::chrono::nanoseconds(layout_.t0 + deadline)));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    control_plane_->advance();
    pump();
  });
}

void ControlServer::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  timer_.cancel();
  flush_timer_.cancel();
  for (auto& [id, s] : streams_) s->socket.close(ignored);
  streams_.clear();
  events_.flush();
}

// ---- admin ----------------------------------------------------------------------------

void ControlServer::instanceStatus(const std::string& instance, bool ready, const std::string& reason) {
  control_plane_->instanceStatus(instance, ready, reason);
  pump();
}

void ControlServer::setCaRevoked(bool revoked) {
  if (revoked) {
    ca_.revoke();
  } else {
    ca_.restore();
  }
  saveState();
}

std::string ControlServer::state() const {
  nlohmann::ordered_json j;
  j["version"] = control_plane_->current()->version;
  j["starts"] = saved_.starts;
  j["ca_revoked"] = ca_.revoked();
  j["certificates_issued"] = ca_.issued();
  j["streams"] = stream_of_node_.size();
  j["endpoints"] = *control_plane_->current()->endpoints;
  return j.dump(2) + "\n";
}

}  // namespace meshproof::live
