// What agents tell each other, and the inboxes they wait on.
#pragma once

#include <simgrid/s4u/Semaphore.hpp>

#include <deque>
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
};

struct Order {
  OrderKind kind;
  int jurisdiction = -1; // block, unblock, restrict_licence
  double factor = 1.0;   // restrict_capacity, lift_capacity: capacity left
  double growth = 1.0;   // restrict_capacity, lift_capacity: rate of new capacity
};

// A provider's reminder to itself: its utilisation changed, so its actor reviews its price once
// the instant's other changes are over. It carries nothing and is no government's to give.
struct RepriceReminder {};

// What a buyer hears: a provider it may use changed state, or an open lab released weights.
enum class NoticeKind { provider_changed, release };

struct Notice {
  NoticeKind kind;
  int source = -1;       // provider index, or open-lab index for a release
  int jurisdiction = -1; // the sender's
  double time = 0.;      // simulated time of the event; it reaches the buyer a latency later
  double release_quality_day = 0.;          // release: the frontier day whose quality it has
  std::vector<bool> excluded_jurisdictions; // release: who may not download it
};

// An agent's inbox: messages wait in order in a queue, and a SimGrid semaphore counts them, so
// that the owner waits for the next one (or a time limit) as one SimGrid activity. A mailbox
// message was routed through the platform on every send, which made messages most of a small
// replica's cost (bench/README.md); how long a message takes to arrive (the network's latency) is
// the receiver's to apply, from its sender's jurisdiction (Platform::latency_days). One owner
// waits on it; any actor may post.
template <typename T> class Channel {
public:
  Channel() : ready_(simgrid::s4u::Semaphore::create(0)) {}
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  void post(std::unique_ptr<T> message) {
    queue_.push_back(std::move(message));
    ready_->release();
  }

  // The next message, or nullptr when `timeout` (simulated days) passes first.
  std::unique_ptr<T> get_for(double timeout) {
    // SimGrid reads a time limit of 0 as none at all: a limit already reached takes what is
    // there without waiting.
    if (timeout <= 0.0) {
      if (ready_->would_block())
        return nullptr;
      ready_->acquire();
    } else if (ready_->acquire_timeout(timeout)) {
      return nullptr;
    }
    std::unique_ptr<T> message = std::move(queue_.front());
    queue_.pop_front();
    return message;
  }

private:
  std::deque<std::unique_ptr<T>> queue_;
  simgrid::s4u::SemaphorePtr ready_;
};

} // namespace baskets
