// An API provider's service: its data centre (a SimGrid host whose speed is its capacity), the
// workloads buyers run on it, and the state governments change: suspended (the host is off),
// blocked for some jurisdictions (their access is cut), capacity restricted by chip controls
// (the host runs at a lower pstate). Hyperscalers and open labs' hosted APIs both have one; the
// agent that owns it applies the orders it receives.
#pragma once

#include "sim/messages.hpp"
#include "sim/platform.hpp"
#include "sim/quality.hpp"
#include "sim/replica_context.hpp"
#include "sim/workload.hpp"

#include <simgrid/s4u/Mailbox.hpp>

#include <memory>
#include <vector>

namespace baskets {

class Provider {
public:
  Provider(const Platform& platform, int index, const ReplicaContext& replica);

  const ProviderSpec& spec() const { return spec_; }
  int index() const { return index_; }
  simgrid::s4u::Host* datacenter() const { return datacenter_; }
  simgrid::s4u::Host* office() const { return office_; }
  simgrid::s4u::Mailbox* orders() const { return orders_; }

  bool serves(int jurisdiction) const;
  bool suspended() const { return suspensions_ > 0; }
  ModelQuality quality() const;
  // An open lab's hosted API serves its latest release.
  void set_release(double quality_day) { release_quality_day_ = quality_day; }

  void subscribe(simgrid::s4u::Mailbox* inbox, int jurisdiction);
  void attach(const std::shared_ptr<Workload>& workload, int jurisdiction);
  void detach(const Workload& workload);

  void apply(const Order& order);

  // Work asked of the data centre per day (the sum of the workloads' bounds) over its capacity
  // now; 0 while it is cut off.
  double utilisation() const;
  double price() const { return spec_.price; }

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
    simgrid::s4u::Mailbox* inbox;
    int jurisdiction;
  };

  void notify(int only_jurisdiction) const;
  void report_contention();
  const std::string& jurisdiction_name(int jurisdiction) const;
  void update_pstate() const;

  const Platform& platform_;
  ProviderSpec spec_;
  int index_;
  const ReplicaContext& replica_;
  simgrid::s4u::Host* datacenter_;
  simgrid::s4u::Host* office_;
  simgrid::s4u::Mailbox* orders_;
  std::vector<Attached> attached_;
  std::vector<Subscriber> subscribers_;
  int suspensions_ = 0;
  std::vector<int> blocks_; // by jurisdiction
  std::vector<double> capacity_restrictions_;
  double release_quality_day_ = 0.0;
  bool contended_ = false; // as last logged
};

} // namespace baskets
