#include "agents/provider.hpp"

#include <algorithm>
#include <utility>

namespace baskets {
namespace sg4 = simgrid::s4u;

Provider::Provider(const Platform& platform, int index, const ReplicaContext& replica)
    : platform_(platform), spec_(platform.providers[static_cast<std::size_t>(index)]),
      index_(index), replica_(replica),
      datacenter_(platform.datacenters[static_cast<std::size_t>(index)]),
      office_(platform.provider_offices[static_cast<std::size_t>(index)]),
      orders_(sg4::Mailbox::by_name(spec_.name + "/orders")), blocks_(platform.zones.size(), 0) {
  // The engine is reused across replicas: start from the nominal platform.
  if (!datacenter_->is_on())
    datacenter_->turn_on();
  datacenter_->set_pstate(0);
}

bool Provider::serves(int jurisdiction) const {
  return suspensions_ == 0 && blocks_[static_cast<std::size_t>(jurisdiction)] == 0;
}

ModelQuality Provider::quality() const {
  return spec_.open_lab >= 0 ? ModelQuality::release(release_quality_day_)
                             : ModelQuality::following(spec_.quality_lag_days);
}

void Provider::subscribe(sg4::Mailbox* inbox, int jurisdiction) {
  subscribers_.push_back({inbox, jurisdiction});
}

void Provider::attach(const std::shared_ptr<Workload>& workload, int jurisdiction) {
  attached_.push_back({workload, workload.get(), jurisdiction});
  report_contention();
}

void Provider::detach(const Workload& workload) {
  std::erase_if(attached_, [&](const Attached& a) { return a.identity == &workload; });
  report_contention();
}

double Provider::utilisation() const {
  if (!datacenter_->is_on())
    return 0.0;
  double asked = 0.0;
  for (const Attached& a : attached_)
    if (const auto workload = a.workload.lock())
      asked += workload->rate_bound();
  return asked / datacenter_->get_speed();
}

const std::string& Provider::jurisdiction_name(int jurisdiction) const {
  return platform_.scenario->jurisdictions[static_cast<std::size_t>(jurisdiction)].name;
}

// When the work asked of the data centre exceeds its capacity, SimGrid shares the capacity among
// the workloads; the log says when that starts and ends.
void Provider::report_contention() {
  if (replica_.events == nullptr)
    return;
  double asked = 0.0;
  for (const Attached& a : attached_)
    if (const auto workload = a.workload.lock())
      asked += workload->rate_bound();
  const double capacity = datacenter_->is_on() ? datacenter_->get_speed() : 0.0;
  const bool contended = asked > capacity * (1.0 + 1e-9) && !attached_.empty();
  if (contended && !contended_)
    replica_.log("{}: contended: {:.1f} work units/day asked of a capacity of {:.1f}", spec_.name,
                 asked, capacity);
  else if (!contended && contended_)
    replica_.log("{}: contention over ({:.1f} work units/day asked, capacity {:.1f})", spec_.name,
                 asked, capacity);
  contended_ = contended;
}

void Provider::apply(const Order& order) {
  const double now = replica_.now();
  switch (order.kind) {
  case OrderKind::cut_off:
    if (suspensions_++ == 0) {
      // The work on the data centre ends with it. Each workload is read and ended just before
      // the host goes off: after a failure SimGrid no longer reports the progress made, and
      // executions that fail with their host and are never waited on accumulate in SimGrid 3.32's
      // kernel, making every later host state change slower (measured: bench/README.md).
      for (const Attached& a : std::exchange(attached_, {}))
        if (const auto workload = a.workload.lock())
          workload->stop(now);
      datacenter_->turn_off();
      replica_.log("{}: cut off (its data centre is off)", spec_.name);
      notify(-1);
    }
    break;
  case OrderKind::restore:
    if (--suspensions_ == 0) {
      datacenter_->turn_on();
      update_pstate();
      replica_.log("{}: restored", spec_.name);
      notify(-1);
    }
    break;
  case OrderKind::block:
    if (blocks_[static_cast<std::size_t>(order.jurisdiction)]++ == 0) {
      std::vector<Attached> cut;
      std::erase_if(attached_, [&](const Attached& a) {
        if (a.jurisdiction != order.jurisdiction)
          return false;
        cut.push_back(a);
        return true;
      });
      for (const Attached& a : cut)
        if (const auto workload = a.workload.lock())
          workload->stop(now);
      replica_.log("{}: blocked from serving {}", spec_.name,
                   jurisdiction_name(order.jurisdiction));
      report_contention();
      notify(order.jurisdiction);
    }
    break;
  case OrderKind::unblock:
    if (--blocks_[static_cast<std::size_t>(order.jurisdiction)] == 0) {
      replica_.log("{}: serves {} again", spec_.name, jurisdiction_name(order.jurisdiction));
      notify(order.jurisdiction);
    }
    break;
  case OrderKind::restrict_capacity:
    capacity_restrictions_.push_back(order.factor);
    update_pstate();
    replica_.log("{}: capacity restricted to x{} by a chip export control", spec_.name,
                 order.factor);
    report_contention();
    break;
  case OrderKind::lift_capacity: {
    const auto it =
        std::find(capacity_restrictions_.begin(), capacity_restrictions_.end(), order.factor);
    if (it != capacity_restrictions_.end())
      capacity_restrictions_.erase(it);
    update_pstate();
    replica_.log("{}: chip export control x{} lifted", spec_.name, order.factor);
    report_contention();
    break;
  }
  case OrderKind::restrict_licence:
    break; // a licence belongs to an open lab's releases, not to an API
  }
}

void Provider::notify(int only_jurisdiction) const {
  for (const Subscriber& s : subscribers_)
    if (only_jurisdiction < 0 || s.jurisdiction == only_jurisdiction) {
      ++replica_.counts.messages;
      post(s.inbox, std::make_unique<Notice>(
                        Notice{NoticeKind::provider_changed, index_, replica_.now(), 0.0, {}}));
    }
}

void Provider::update_pstate() const {
  if (!datacenter_->is_on())
    return;
  // The tightest export control in force sets the capacity.
  unsigned long pstate = 0;
  double tightest = 1.0;
  for (const double factor : capacity_restrictions_)
    if (factor < tightest) {
      tightest = factor;
      const auto& factors = platform_.capacity_factors;
      pstate = static_cast<unsigned long>(std::find(factors.begin(), factors.end(), factor) -
                                          factors.begin()) +
               1;
    }
  datacenter_->set_pstate(pstate);
}

} // namespace baskets
