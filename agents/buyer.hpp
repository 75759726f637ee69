// The European buyer: demand for AI work that grows over time, spread over baskets by its
// strategy. It lives on its own site (never cut off) and runs its work remotely on providers'
// data centres, or on its own hardware for open weights it has downloaded.
//
// When a basket is cut off, the portion on it is unserved until the buyer has switched (after
// the switch delay, paying the switching cost) to the first available fallback; it returns to
// its basket as soon as that basket serves it again.
//
// Its own hardware (for the weights it self-hosts) is usable once delivered: the initial
// hardware after its lead time, and more that it orders when the demand it plans to self-host
// outgrows what it has (docs/market.md); a chip export control on its jurisdiction slows or
// forbids those orders, but not the hardware it holds. The hardware draws power by its chip.
#pragma once

#include "agents/chip_controls.hpp"
#include "agents/provider.hpp"
#include "agents/strategy.hpp"
#include "sim/messages.hpp"
#include "sim/replica_context.hpp"
#include "sim/workload.hpp"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace baskets {

struct BuyerOutcome {
  double demand = 0.0; // work units over the horizon
  double served = 0.0;
  double quality_adjusted = 0.0;
  double outage_days = 0.0; // time with part of the demand unserved for lack of a basket
  double longest_outage_days = 0.0;
  int outage_episodes = 0;
  double api_spend = 0.0;
  double hardware_cost = 0.0;
  double switching_cost = 0.0;
  double energy_cost = 0.0; // of its own hardware
  double energy_kwh = 0.0;
  int switches = 0;
  int hardware_orders = 0;
};

class BuyerAgent {
public:
  BuyerAgent(const Platform& platform, int buyer, const ReplicaContext& replica,
             const std::vector<Provider*>& providers,
             std::vector<std::optional<double>> held_releases,
             const ChipControls& hardware_controls);

  Channel<Notice>* inbox() { return &inbox_; }
  simgrid::s4u::Host* site() const { return site_; }
  int jurisdiction() const { return jurisdiction_; }
  const PortfolioPlan& plan() const { return plan_; }
  const BuyerOutcome& outcome() const { return outcome_; }

  void run(); // the actor's body

  // Read by time-series samples, without changing anything.
  ServiceTally received_so_far(double now) const;
  double demand_so_far(double now) const;
  bool in_outage() const { return unserved_portions_ > 0; }
  // Changes whenever what the buyer has received or demanded changes: a sample read across a
  // SimGrid call (during which this buyer may act) is consistent only if this did not change.
  std::uint64_t revision() const { return revision_ + tally_.settlements; }

private:
  enum class State { serving, waiting, stranded };
  struct PortionRun {
    const Portion* plan;
    State state = State::serving;
    Basket on;                          // where it is served, when serving
    std::shared_ptr<Workload> workload; // a provider holds it weakly while it runs there
    double switch_at = 0.0;             // when waiting
  };

  bool available(const Basket& basket) const;
  std::string name() const;
  std::string describe(const Basket& basket) const;
  bool uses_self_hosted(int lab) const;
  void serve(PortionRun& portion, const Basket& basket, double now);
  void drop_workload(PortionRun& portion, double now);
  void set_state(PortionRun& portion, State state, double when);
  void lose_basket(PortionRun& portion, double when);
  bool switch_to_fallback(PortionRun& portion, double when);
  void reconcile(double when);
  void on_release(const Notice& notice);
  void step_demand(double now);
  double demand_over(double from, double to) const;
  // Own hardware: what is usable now, the next delivery, and the procurement rule.
  double own_capacity() const;
  double next_delivery() const;
  void receive_hardware(double now);
  void order_hardware(double now);
  void finish();

  const Platform& platform_;
  const BuyerGroup& group_;
  const ReplicaContext& replica_;
  const std::vector<Provider*>& providers_;
  int jurisdiction_;
  const ChipControls& hardware_controls_; // on its jurisdiction's buyers' own hardware
  PortfolioPlan plan_;
  Channel<Notice> inbox_;
  simgrid::s4u::Host* site_;
  int index_in_group_;
  std::vector<std::optional<double>> held_releases_; // quality day of the weights held, by lab
  std::vector<PortionRun> portions_;
  ServiceTally tally_;
  BuyerOutcome outcome_;
  double demand_rate_ = 0.0; // work units per day in the current step
  double step_start_ = 0.0;
  int unserved_portions_ = 0;
  std::uint64_t revision_ = 0;
  double outage_start_ = 0.0;

  const SiteLadder& ladder_;
  EnergyMeter site_meter_;
  bool initial_hardware_ = false;                   // delivered
  int expansions_ = 0;                              // delivered
  std::vector<std::pair<double, bool>> deliveries_; // (when, initial?) in time order
  double hardware_capital_ = 0.0;
};

} // namespace baskets
