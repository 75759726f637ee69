// An API provider's service: its data centre (a SimGrid host whose speed is its capacity), the
// workloads buyers run on it, and the state governments change: suspended (the host is off),
// blocked for some jurisdictions (their access is cut), capacity restricted by chip controls
// (the host runs at a lower pstate). Hyperscalers and open labs' hosted APIs both have one;
// governments apply their orders to it directly.
//
// The market side (docs/market.md): its price follows its utilisation by its price rule, a
// provider with an investment plan adds capacity when its utilisation stays high (a pstate
// switch once the lead time is over), and its data centre draws power by its chip.
#pragma once

#include "agents/chip_controls.hpp"
#include "sim/energy_meter.hpp"
#include "sim/messages.hpp"
#include "sim/platform.hpp"
#include "sim/quality.hpp"
#include "sim/replica_context.hpp"
#include "sim/workload.hpp"

#include <limits>
#include <memory>
#include <optional>
#include <vector>

namespace baskets {

// What a provider did over a replica.
struct ProviderOutcome {
  ServiceTally service;          // work served, quality-adjusted, revenue (as api_spend)
  double utilisation_days = 0.0; // the integral of utilisation over the replica
  double energy_kwh = 0.0;
  double energy_cost = 0.0; // at its jurisdiction's power price
  double capital_cost = 0.0;
  int capacity_orders = 0;
  double final_capacity = 0.0; // installed, before any chip control
};

class Provider {
public:
  Provider(const Platform& platform, int index, const ReplicaContext& replica);

  const ProviderSpec& spec() const { return spec_; }
  int index() const { return index_; }
  simgrid::s4u::Host* datacenter() const { return datacenter_; }
  simgrid::s4u::Host* office() const { return office_; }
  // Its reminders to reprice, which its own actor waits on (provider_actor.hpp).
  Channel<RepriceReminder>& reminders() { return reminders_; }

  bool serves(int jurisdiction) const;
  bool suspended() const { return suspensions_ > 0; }
  ModelQuality quality() const;
  // An open lab's hosted API serves its latest release.
  void set_release(double quality_day) { release_quality_day_ = quality_day; }

  void subscribe(Channel<Notice>* inbox, int jurisdiction);
  void attach(const std::shared_ptr<Workload>& workload, int jurisdiction);
  void detach(const Workload& workload);
  // What a buyer's workload here credits besides the buyer.
  // An inactive meter (no chip) may be passed on: its readings do nothing.
  WorkloadAccounts accounts() { return {&service_, &meter_}; }

  void apply(const Order& order);
  // Sets the price its rule gives for the utilisation now, repricing the attached workloads if it
  // changed; its actor calls it on each reminder, once the changes that posted it are over.
  void reprice(double now);

  // Capacity investment: the next time it reviews its utilisation or receives capacity
  // (infinity without an investment plan), and what it does then.
  double next_investment_event() const;
  void on_investment_event(double now);

  // Work asked of the data centre per day (the sum of the workloads' bounds) over its capacity
  // now; 0 while it is cut off.
  double utilisation() const;
  double price() const { return price_; }
  double capacity_in_force() const; // work units per day, chip controls included
  // Read by samples without changing anything: what it has served and used so far.
  ServiceTally served_so_far(double now) const;
  double energy_so_far(double now) const { return meter_.energy_at(now); }
  std::uint64_t revision() const { return revision_ + service_.settlements; }

  // Closes the replica's accounts at the horizon.
  ProviderOutcome finish(double horizon);

private:
  // Every SimGrid call may let other actors run at the same instant (it is a simcall): a buyer
  // may drop a workload while this provider is settling the others. So the provider holds its
  // workloads weakly and loops over a snapshot.
  struct Attached {
    std::weak_ptr<Workload> workload; // owned by the buyer
    const Workload* identity;
    int jurisdiction;
  };
  struct Subscriber {
    Channel<Notice>* inbox;
    int jurisdiction;
  };

  void notify(int only_jurisdiction) const;
  void report_contention();
  const std::string& jurisdiction_name(int jurisdiction) const;
  void update_pstate();
  // Accounts for the time since the last change (utilisation, energy); call before any change.
  void account(double now);
  void utilisation_changed();
  double price_for(double utilisation) const;
  void review_investment(double now);
  void deliver_capacity();
  // Every order is either delivered (a level) or outstanding: no separate count to keep in step.
  int orders_placed() const { return level_ + (delivery_at_ ? 1 : 0); }
  void forget(const Attached& attached);

  const Platform& platform_;
  ProviderSpec spec_;
  int index_;
  const ReplicaContext& replica_;
  simgrid::s4u::Host* datacenter_;
  simgrid::s4u::Host* office_;
  Channel<RepriceReminder> reminders_;
  std::vector<Attached> attached_;
  std::vector<Subscriber> subscribers_;
  int suspensions_ = 0;
  std::vector<int> blocks_; // by jurisdiction
  ChipControls chip_controls_;
  double release_quality_day_ = 0.0;
  bool contended_ = false; // as last logged

  // The market side.
  double asked_ = 0.0; // the attached workloads' bounds, summed as they come and go
  double list_price_;  // the price before any surge: price plus the energy passed on
  double price_;
  bool reprice_pending_ = false;
  ServiceTally service_;
  EnergyMeter meter_;
  double last_account_ = 0.0;
  double utilisation_days_ = 0.0;
  int level_ = 0; // capacity steps delivered
  double capital_cost_ = 0.0;
  std::optional<double> delivery_at_;
  double next_review_ = std::numeric_limits<double>::infinity();
  double last_review_ = 0.0;
  double utilisation_days_at_review_ = 0.0;
  std::uint64_t revision_ = 0;
};

} // namespace baskets
