// A host's energy over one replica, from SimGrid's host energy plugin.
//
// The plugin keeps one running total per host for the engine's whole life, and the engine runs
// many replicas back to back: a difference of that total would depend on which replicas ran
// before in the same worker, and results must not (docs/reproducibility.md). So each replica
// integrates the plugin's own instantaneous power (its power model: pstate, idle and full-load
// draw, the host's load) over the replica's own time, which starts at 0.
//
// A reading is exact only if it is taken before anything changes the host's load at that instant:
// every change (an execution started or ended on it, a pstate or on/off switch) reads the meter
// first. Between changes the power is constant, so those readings are all it needs.
#pragma once

#include <simgrid/s4u/Host.hpp>

namespace baskets {

inline constexpr double hours_per_day = 24.0;

class EnergyMeter {
public:
  EnergyMeter() = default; // measures nothing: a host with no chip modelled
  explicit EnergyMeter(const simgrid::s4u::Host* host) : host_(host) {}

  // Accounts for the power drawn since the last reading; call before changing the host.
  void read(double now);
  // kWh used from the replica's start to `now`, without changing the meter (for samples).
  double energy_at(double now) const;

private:
  double power_kw() const;

  const simgrid::s4u::Host* host_ = nullptr;
  double kw_days_ = 0.0;
  double last_ = 0.0;
};

} // namespace baskets
