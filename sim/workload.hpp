// A buyer's portion of work running on one basket: a single long SimGrid execution bounded at
// the portion's demand rate. SimGrid shares the host's speed among all executions on it (max-min
// fairness), which is the capacity contention when many buyers fail over to one provider.
//
// Served work is read from the execution when the state changes (a demand step, a switch, a
// cutoff), because after a failure SimGrid no longer reports the progress made before it.
#pragma once

#include "sim/energy_meter.hpp"
#include "sim/quality.hpp"

#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>

#include <cstdint>

namespace baskets {

// What a buyer received (or a provider served), summed over its workloads.
struct ServiceTally {
  double served = 0.0;           // work units
  double quality_adjusted = 0.0; // work units times relative quality
  double api_spend = 0.0;        // currency
  std::uint64_t settlements = 0; // how many readings were credited

  // Adds a reading's work and spend (not its count of settlements).
  void add(const ServiceTally& reading) {
    served += reading.served;
    quality_adjusted += reading.quality_adjusted;
    api_spend += reading.api_spend;
  }
};

// Where a workload's readings go besides the buyer's tally: the provider's tally (work it served,
// its revenue) and the meter of the host it runs on, read before the execution starts or ends.
struct WorkloadAccounts {
  ServiceTally* provider = nullptr;
  EnergyMeter* host_meter = nullptr;
};

class Workload {
public:
  // Starts at `now` (days since the replica's start) and runs until stopped or failed.
  Workload(simgrid::s4u::Host* host, double rate_bound, double now, double replica_end,
           const ModelQuality& quality, double price, double doubling_days, ServiceTally& tally,
           WorkloadAccounts accounts = {});
  ~Workload();
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  // The work done since the last reading and its quality-adjusted amount, without crediting it:
  // what a time-series sample sees.
  ServiceTally unsettled(double now) const;
  // Credits the work done since the last reading to the tally.
  void settle(double now);
  // Reads the work done, then ends the execution. Called before the host goes off (a cutoff) or
  // when the buyer moves the work elsewhere.
  void stop(double now);
  // Credits the work done so far at the old price, then charges `price` from now on.
  void reprice(double now, double price);
  bool running() const { return running_; }
  double rate_bound() const { return rate_bound_; }
  simgrid::s4u::Host* host() const { return host_; }

private:
  // The work done since the last reading, given the execution's remaining amount now, priced and
  // quality-weighted: one formula for what a sample sees and what a settlement credits.
  ServiceTally reading(double remaining, double now) const;

  simgrid::s4u::Host* host_;
  simgrid::s4u::ExecPtr exec_;
  ModelQuality quality_;
  double rate_bound_;
  double price_;
  double doubling_days_;
  ServiceTally& tally_;
  WorkloadAccounts accounts_;
  double last_remaining_;
  double last_reading_;
  bool running_ = true;
};

} // namespace baskets
