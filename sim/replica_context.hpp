// What every agent of one replica shares: the replica's own time, and, when the replica is
// replayed, the log its agents tell their decisions to.
//
// SimGrid's clock does not restart between replicas run by one engine, so every agent measures
// time from the replica's own origin.
#pragma once

#include <simgrid/s4u/Engine.hpp>

#include <fmt/core.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace baskets {

struct LoggedEvent {
  double day;
  std::string text;
};

class EventLog {
public:
  void record(double day, std::string text) { events_.push_back({day, std::move(text)}); }
  const std::vector<LoggedEvent>& events() const { return events_; }

private:
  std::vector<LoggedEvent> events_;
};

// How much work the engine does for a replica, for the benchmarks: they compare the model with
// a bare SimGrid program doing the same activities.
struct ActivityCounts {
  std::uint64_t actors = 0;
  std::uint64_t executions = 0; // started (each is later cancelled or fails)
  std::uint64_t messages = 0;
  std::uint64_t waits = 0; // sleeps and receives with a timeout
};

struct ReplicaContext {
  double origin = 0.0;        // engine time at the replica's start
  double horizon = 0.0;       // days
  EventLog* events = nullptr; // only when the replica is replayed
  mutable ActivityCounts counts{};

  double now() const { return simgrid::s4u::Engine::get_clock() - origin; }
  double to_engine(double day) const { return origin + day; }
  bool ended() const { return now() >= horizon; }

  // Formats nothing unless a log is attached: a full run pays one test per event.
  template <typename... Args> void log(fmt::format_string<Args...> format, Args&&... args) const {
    if (events != nullptr)
      events->record(now(), fmt::format(format, std::forward<Args>(args)...));
  }
};

} // namespace baskets
