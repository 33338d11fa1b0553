// Writes held back to the end of the event loop's current round of completions, then
// made together. asio runs one completion after the other; a sidecar that wrote each
// message as soon as it had it would spread its sends over the whole round, and the
// process at the other end (the app, a peer sidecar) would wake for the first, go
// back to sleep, wake again for the next one. Deferred to one handler posted behind
// the round, the sends leave back to back and the other side finds them together:
// fewer wake-ups there (each one costs a context switch, and an inter-processor
// interrupt when it sleeps on another CPU). A message waits only for the completions
// that were already ready, never for a timer or the network.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <vector>

namespace meshproof::live {

class WriteBatch {
 public:
  explicit WriteBatch(boost::asio::io_context& io) : io_(io) {}
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  // Calls owner->flush() at the end of the current round (kept alive until then).
  template <class Owner>
  void defer(std::shared_ptr<Owner> owner) {
    pending_.push_back(Pending{std::move(owner), [](void* o) { static_cast<Owner*>(o)->flush(); }});
    if (posted_) return;
    posted_ = true;
    boost::asio::post(io_, [this] { run(); });
  }

 private:
  struct Pending {
    std::shared_ptr<void> owner;
    void (*flush)(void*);
  };

  void run() {
    posted_ = false;
    running_.swap(pending_);  // writes deferred while flushing go to the next round
    for (Pending& p : running_) p.flush(p.owner.get());
    running_.clear();
  }

  boost::asio::io_context& io_;
  std::vector<Pending> pending_;
  std::vector<Pending> running_;
  bool posted_ = false;
};

}  // namespace meshproof::live
