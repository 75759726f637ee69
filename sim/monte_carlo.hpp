// The process's simulator: one SimGrid engine (SimGrid allows one per process) holding the
// scenario's platform, on which replicas run back to back, each from its own day 0.
#pragma once

#include "sim/metrics.hpp"
#include "sim/platform.hpp"
#include "sim/replica.hpp"
#include "sim/scenario.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace baskets {

// A replica that did not complete (its process crashed or was killed).
class ReplicaFailure : public std::runtime_error {
public:
  ReplicaFailure(std::uint64_t replica, std::uint64_t seed, const std::string& why);
  std::uint64_t replica() const { return replica_; }
  std::uint64_t seed() const { return seed_; }

private:
  std::uint64_t replica_;
  std::uint64_t seed_;
};

class Simulator {
public:
  // Creates the engine and builds the platform. Throws std::logic_error if this process
  // already has one.
  explicit Simulator(Scenario scenario);

  const Scenario& scenario() const { return scenario_; }
  const Platform& platform() const { return platform_; }

  // Runs one replica in this process. The engine's clock is then no longer at 0, and a
  // replica's results depend on the clock's rounding in their last bits: use this for one
  // replica per process (replaying a replica), and run_isolated otherwise.
  ReplicaOutcome run_replica(std::uint64_t seed, std::uint64_t replica) const;

  // Runs one replica in a child process forked from this one, whose engine has never run: every
  // replica starts from clock 0, so its results are bit-identical however replicas are grouped.
  // A crash of the child is reported as ReplicaFailure.
  ReplicaResult run_isolated(std::uint64_t seed, std::uint64_t replica) const;

  // Replicas first .. first + count - 1, in order; `on_done` is called after each.
  std::vector<ReplicaResult>
  run_replicas(std::uint64_t seed, std::uint64_t first, std::uint64_t count,
               const std::function<void(std::uint64_t done)>& on_done = {}) const;

private:
  Scenario scenario_;
  std::unique_ptr<simgrid::s4u::Engine> engine_;
  Platform platform_;
};

} // namespace baskets
