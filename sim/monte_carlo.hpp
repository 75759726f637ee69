// The simulator of one scenario. Replicas run in worker processes, in batches scheduled by oneTBB
// so that every core stays busy. Each worker creates its own SimGrid engine and platform (SimGrid
// allows one engine per process, bound to the thread that creates it) and runs its batch back to
// back in it; see replica_slots.hpp for why the results do not depend on the grouping.
#pragma once

#include "sim/metrics.hpp"
#include "sim/platform.hpp"
#include "sim/replica.hpp"
#include "sim/replica_slots.hpp"
#include "sim/scenario.hpp"
#include "sim/timeseries.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace baskets {

// A replica that did not complete: its worker crashed or was killed.
struct ReplicaFailure {
  std::uint64_t replica;
  std::uint64_t seed;
  std::string why;
  std::string describe() const;
};

struct RunOptions {
  std::uint64_t seed = 1;
  std::uint64_t first = 0; // replicas first .. first + count - 1
  std::uint64_t count = 0;
  unsigned threads = 0;    // worker processes at once; 0: all cores
  std::uint64_t batch = 0; // replicas per worker; 0: chosen from count and threads
  std::optional<std::uint64_t> crash_replica; // test-only: this replica's worker dies
  int crash_signal = SIGABRT;                 // test-only: of this signal
  const TimeSeriesLayout* series = nullptr;   // record time series in this layout
};

struct RunResults {
  std::vector<ReplicaResult> completed;  // in replica order
  std::vector<ReplicaTimeSeries> series; // one per completed replica, with a layout
  std::vector<ReplicaFailure> failures;  // in replica order
  int interrupted_by = 0;                // the signal that stopped the run, or 0
};

// How `count` replicas are split into worker batches ([begin, end) pairs, in order): of size
// `batch` if given, otherwise shrinking as the run goes (guided scheduling).
std::vector<std::pair<std::uint64_t, std::uint64_t>>
plan_batches(std::uint64_t count, unsigned threads, std::uint64_t batch = 0);
inline constexpr std::uint64_t max_batch = 256; // replicas per worker at most, by default

class Simulator {
public:
  // Creates nothing yet: engines are created where replicas run.
  explicit Simulator(Scenario scenario);

  const Scenario& scenario() const { return scenario_; }

  // Runs one replica in this process (for replay), with its agents logging to `events` if given.
  // The first call creates this process's engine; throws std::logic_error if another Simulator
  // of this process already did.
  ReplicaOutcome run_in_process(std::uint64_t seed, std::uint64_t replica,
                                EventLog* events = nullptr) const;

  // Runs replicas in worker processes. `on_done(done)` is called, from any thread, each time a
  // replica completes or fails. Throws std::logic_error if this process already has an engine
  // (workers must create their own).
  RunResults run(const RunOptions& options,
                 const std::function<void(std::uint64_t done)>& on_done = {}) const;

private:
  friend int run_points(const std::vector<const Simulator*>&, const RunOptions&,
                        const std::function<void(std::size_t, RunResults)>&,
                        const std::function<void(std::uint64_t)>&);
  const Platform& engine_platform() const;

  Scenario scenario_;
  ReplicaSlots slots_;
  mutable std::unique_ptr<simgrid::s4u::Engine> engine_;
  mutable std::optional<Platform> platform_;
  mutable std::size_t next_slot_ = 0; // of this process's engine
};

// Runs replicas options.first .. first + count - 1 of every simulator's scenario (the points of a
// sweep), all with options.seed: replica r of every point has the same random streams (common
// random numbers). Every (point, batch) is a task of one pool, so cores stay busy across points.
// `on_point(p, results)` is called once per point, one call at a time, from a pool thread as soon
// as all of the point's replicas completed or failed, or at the end for points an interruption
// cut short (their results then say interrupted_by). `on_done(done)` counts replicas over all
// points. Returns the signal that interrupted the run, or 0. Throws like Simulator::run.
int run_points(const std::vector<const Simulator*>& simulators, const RunOptions& options,
               const std::function<void(std::size_t point, RunResults results)>& on_point,
               const std::function<void(std::uint64_t done)>& on_done = {});

} // namespace baskets
