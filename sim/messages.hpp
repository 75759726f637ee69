// What agents tell each other through SimGrid mailboxes.
#pragma once

#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include <memory>
#include <utility>
#include <vector>

namespace baskets {

// A government's order to a provider or an open lab.
enum class OrderKind {
  cut_off,           // suspend the provider's model: its data centre is turned off
  restore,           // end of a suspension
  block,             // stop serving one jurisdiction (the access path is cut)
  unblock,           // end of a block
  restrict_capacity, // chip export control: capacity falls to a factor of its nominal value
  lift_capacity,     // end of an export control
  restrict_licence,  // the next open-weight release excludes one jurisdiction
  reprice,           // a provider's own reminder: its utilisation changed, review its price
};

struct Order {
  OrderKind kind;
  int jurisdiction = -1; // block, unblock, restrict_licence
  double factor = 1.0;   // restrict_capacity, lift_capacity: capacity left
  double growth = 1.0;   // restrict_capacity, lift_capacity: rate of new capacity
};

// What a buyer hears: a provider it may use changed state, or an open lab released weights.
enum class NoticeKind { provider_changed, release };

struct Notice {
  NoticeKind kind;
  int source = -1;  // provider index, or open-lab index for a release
  double time = 0.; // simulated time of the event (the message itself travels over links)
  double release_quality_day = 0.;          // release: the frontier day whose quality it has
  std::vector<bool> excluded_jurisdictions; // release: who may not download it
};

// Sends without waiting for the receiver. A message still in flight when a replica ends is freed
// by SimGrid through the clean-up function, so nothing leaks between replicas.
template <typename T> void post(simgrid::s4u::Mailbox* mailbox, std::unique_ptr<T> message) {
  mailbox->put_init(message.release(), 0)->detach([](void* payload) {
    delete static_cast<T*>(payload);
  });
}

// Receives from one mailbox with a time limit, without the exception that SimGrid's
// get(timeout) throws when the limit passes: that exception's backtrace capture and unwinding were
// about a third of a small replica's time (bench/README.md). A standing asynchronous receive,
// waited with Comm::wait_any_for, reports a timeout as -1 instead. It stays posted between calls,
// so a message sent while the owner is busy is kept, in order. One owner, on its own stack.
template <typename T> class Inbox {
public:
  explicit Inbox(simgrid::s4u::Mailbox* mailbox) : mailbox_(mailbox) {}
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;
  ~Inbox() {
    if (!pending_)
      return;
    try {
      if (pending_->test())
        delete std::exchange(data_, nullptr); // arrived, never read
      else
        pending_->cancel();
    } catch (...) { // the actor is being killed: the engine reclaims its activities
    }
  }

  // The next message, or nullptr when `timeout` (simulated days) passes first.
  std::unique_ptr<T> get_for(double timeout) {
    if (!pending_)
      pending_ = mailbox_->get_async<T>(&data_);
    if (simgrid::s4u::Comm::wait_any_for({pending_}, timeout) < 0)
      return nullptr;
    pending_ = nullptr;
    return std::unique_ptr<T>(std::exchange(data_, nullptr));
  }

private:
  simgrid::s4u::Mailbox* mailbox_;
  T* data_ = nullptr;
  simgrid::s4u::CommPtr pending_;
};

} // namespace baskets
