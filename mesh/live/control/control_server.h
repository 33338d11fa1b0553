// The live control plane (`meshproof control`): the sans-I/O ControlPlane on one
// asio event loop. Sidecars' streams arrive on the stream port (framed JSON, see
// stream_codec.h); the admin port takes the registry's readiness reports (the
// sidecars' kubelet role) and the revoke-ca fault. The control-plane-down fault
// stops this process and starts it again: it keeps its durable state in the run
// directory (control_state_file.h: the CA, the versions, the changes and canary
// steps applied, the registry), writes it whenever it changes, and a new process
// carries on from it. It writes the mesh CA's root to <run dir>/ca.pem before it
// listens, and its events to <run dir>/control-plane.events.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "mesh/control/control_plane.h"
#include "mesh/identity/certificate_authority.h"
#include "mesh/live/control/control_state_file.h"
#include "mesh/live/events_file.h"
#include "mesh/live/live_clock.h"
#include "mesh/live/run_layout.h"
#include "mesh/scenario/plan.h"

namespace meshproof::live {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class ControlServer {
 public:
  // Carries on from the run directory's saved state when an earlier process left
  // one (throws std::runtime_error naming a file that is there but unreadable).
  ControlServer(asio::io_context& io, const scenario::Plan& plan, const RunLayout& layout, std::uint64_t seed);

  // Writes ca.pem and listens on the stream port (throws std::runtime_error).
  void start();
  void stop();

  // ---- admin ----
  void instanceStatus(const std::string& instance, bool ready, const std::string& reason);
  void setCaRevoked(bool revoked);
  std::string state() const;

 private:
  struct Stream {
    std::uint64_t id = 0;
    tcp::socket socket;
    std::string node;  // after its hello
    std::string in;
    std::deque<std::string> out;
    bool writing = false;
    char chunk[16384];
    explicit Stream(tcp::socket s, std::uint64_t i) : id(i), socket(std::move(s)) {}
  };

  ControlServer(asio::io_context& io, const scenario::Plan& plan, const RunLayout& layout, std::uint64_t seed,
                const std::optional<SavedControlPlane>& saved);
  void listenStreams();
  void accept();
  void read(const std::shared_ptr<Stream>& stream);
  void write(const std::shared_ptr<Stream>& stream);
  void drop(const std::shared_ptr<Stream>& stream);
  void pump();
  void armTimer();
  void saveState();

  asio::io_context& io_;
  const scenario::Plan& plan_;
  const RunLayout& layout_;
  LiveClock clock_;
  EventsFile events_;
  identity::CertificateAuthority ca_;
  std::optional<control::ControlPlane> control_plane_;
  tcp::acceptor acceptor_;
  asio::steady_timer timer_;
  asio::steady_timer flush_timer_;
  std::map<std::uint64_t, std::shared_ptr<Stream>> streams_;
  std::map<std::string, std::uint64_t> stream_of_node_;
  std::uint64_t next_stream_ = 1;
  SavedControlPlane saved_;  // as last written
  bool stopped_ = false;
};

}  // namespace meshproof::live
