#include "agents/provider.hpp"

#include <algorithm>
#include <utility>

namespace baskets {

Provider::Provider(const Platform& platform, int index, const ReplicaContext& replica)
    : platform_(platform), spec_(platform.providers[static_cast<std::size_t>(index)]),
      index_(index), replica_(replica),
      datacenter_(platform.datacenters[static_cast<std::size_t>(index)]),
      office_(platform.provider_offices[static_cast<std::size_t>(index)]),
      blocks_(platform.zones.size(), 0), list_price_(spec_.price),
      meter_(spec_.chip != nullptr ? EnergyMeter(datacenter_) : EnergyMeter()) {
  // The engine is reused across replicas: start from the nominal platform.
  if (!datacenter_->is_on())
    datacenter_->turn_on();
  datacenter_->set_pstate(0);
  if (spec_.chip != nullptr)
    list_price_ += spec_.pricing.energy_pass_through * spec_.power_price / spec_.chip->efficiency;
  price_ = price_for(0.0);
  if (spec_.investment)
    next_review_ = spec_.investment->review_days;
}

bool Provider::serves(int jurisdiction) const {
  return suspensions_ == 0 && blocks_[static_cast<std::size_t>(jurisdiction)] == 0;
}

ModelQuality Provider::quality() const {
  return spec_.open_lab >= 0 ? ModelQuality::release(release_quality_day_)
                             : ModelQuality::following(spec_.quality_lag_days);
}

void Provider::subscribe(Channel<Notice>* inbox, int jurisdiction) {
  subscribers_.push_back({inbox, jurisdiction});
}

void Provider::account(double now) {
  if (now > last_account_)
    utilisation_days_ += utilisation() * (now - last_account_);
  last_account_ = std::max(last_account_, now);
  meter_.read(now);
}

void Provider::attach(const std::shared_ptr<Workload>& workload, int jurisdiction) {
  account(replica_.now());
  attached_.push_back({workload, workload.get(), jurisdiction});
  asked_ += workload->rate_bound();
  ++revision_;
  report_contention();
  utilisation_changed();
}

// Called once `attached` has left attached_.
void Provider::forget(const Attached& attached) {
  if (const auto workload = attached.workload.lock())
    asked_ -= workload->rate_bound();
  if (attached_.empty())
    asked_ = 0.0; // no rounding left over from the sums
  ++revision_;
}

void Provider::detach(const Workload& workload) {
  const auto it = std::find_if(attached_.begin(), attached_.end(),
                               [&](const Attached& a) { return a.identity == &workload; });
  if (it == attached_.end())
    return; // already ended by a cutoff or a block
  account(replica_.now());
  const Attached gone = *it;
  attached_.erase(it);
  forget(gone);
  report_contention();
  utilisation_changed();
}

double Provider::utilisation() const {
  if (!datacenter_->is_on())
    return 0.0;
  return std::max(asked_, 0.0) / datacenter_->get_speed();
}

double Provider::capacity_in_force() const {
  return spec_.ladder.speed(datacenter_->get_pstate());
}

ServiceTally Provider::served_so_far(double now) const {
  ServiceTally total = service_;
  for (const Attached& a : attached_)
    if (const auto workload = a.workload.lock())
      total.add(workload->unsettled(now));
  return total;
}

const std::string& Provider::jurisdiction_name(int jurisdiction) const {
  return platform_.scenario->jurisdictions[static_cast<std::size_t>(jurisdiction)].name;
}

// When the work asked of the data centre exceeds its capacity, SimGrid shares the capacity among
// the workloads; the log says when that starts and ends.
void Provider::report_contention() {
  if (replica_.events == nullptr)
    return;
  const double capacity = datacenter_->is_on() ? datacenter_->get_speed() : 0.0;
  const bool contended = asked_ > capacity * (1.0 + 1e-9) && !attached_.empty();
  if (contended && !contended_)
    replica_.log("{}: contended: {:.1f} work units/day asked of a capacity of {:.1f}", spec_.name,
                 asked_, capacity);
  else if (!contended && contended_)
    replica_.log("{}: contention over ({:.1f} work units/day asked, capacity {:.1f})", spec_.name,
                 asked_, capacity);
  contended_ = contended;
}

// The price rule (docs/market.md). A surge is reviewed once the instant's changes are over: many
// buyers re-size their work at the same demand step, and repricing after each of them would
// settle every workload each time.
double Provider::price_for(double utilisation) const {
  const PriceRule& rule = spec_.pricing;
  const double surge = 1.0 + rule.surge_slope * std::max(0.0, utilisation - rule.surge_threshold);
  return list_price_ * std::min(rule.max_multiplier, surge);
}

void Provider::utilisation_changed() {
  if (!spec_.pricing.surges() || reprice_pending_)
    return;
  reprice_pending_ = true;
  ++replica_.counts.messages;
  reminders_.post(std::make_unique<RepriceReminder>());
}

void Provider::reprice(double now) {
  reprice_pending_ = false;
  const double price = price_for(utilisation());
  if (price == price_)
    return;
  replica_.log("{}: price {:.4g} (utilisation {:.2f})", spec_.name, price, utilisation());
  price_ = price;
  const std::vector<Attached> snapshot = attached_;
  for (const Attached& a : snapshot)
    if (const auto workload = a.workload.lock())
      workload->reprice(now, price);
}

void Provider::apply(const Order& order) {
  const double now = replica_.now();
  switch (order.kind) {
  case OrderKind::cut_off:
    if (suspensions_++ == 0) {
      account(now);
      // The work on the data centre ends with it. Each workload is read and ended just before
      // the host goes off: after a failure SimGrid no longer reports the progress made, and
      // executions that fail with their host and are never waited on accumulate in SimGrid 3.32's
      // kernel, making every later host state change slower (measured: bench/README.md).
      for (const Attached& a : std::exchange(attached_, {}))
        if (const auto workload = a.workload.lock())
          workload->stop(now);
      asked_ = 0.0;
      ++revision_;
      datacenter_->turn_off();
      replica_.log("{}: cut off (its data centre is off)", spec_.name);
      notify(-1);
      utilisation_changed();
    }
    break;
  case OrderKind::restore:
    if (--suspensions_ == 0) {
      account(now);
      datacenter_->turn_on();
      update_pstate();
      replica_.log("{}: restored", spec_.name);
      notify(-1);
      utilisation_changed();
    }
    break;
  case OrderKind::block:
    if (blocks_[static_cast<std::size_t>(order.jurisdiction)]++ == 0) {
      account(now);
      std::vector<Attached> cut;
      std::erase_if(attached_, [&](const Attached& a) {
        if (a.jurisdiction != order.jurisdiction)
          return false;
        cut.push_back(a);
        return true;
      });
      for (const Attached& a : cut)
        forget(a);
      for (const Attached& a : cut)
        if (const auto workload = a.workload.lock())
          workload->stop(now);
      replica_.log("{}: blocked from serving {}", spec_.name,
                   jurisdiction_name(order.jurisdiction));
      report_contention();
      notify(order.jurisdiction);
      utilisation_changed();
    }
    break;
  case OrderKind::unblock:
    if (--blocks_[static_cast<std::size_t>(order.jurisdiction)] == 0) {
      replica_.log("{}: serves {} again", spec_.name, jurisdiction_name(order.jurisdiction));
      notify(order.jurisdiction);
    }
    break;
  case OrderKind::restrict_capacity:
    chip_controls_.apply(order);
    update_pstate();
    replica_.log("{}: chip export control: capacity x{}, capacity growth x{}", spec_.name,
                 order.factor, order.growth);
    report_contention();
    utilisation_changed();
    break;
  case OrderKind::lift_capacity: {
    chip_controls_.apply(order);
    update_pstate();
    replica_.log("{}: chip export control (capacity x{}, growth x{}) lifted", spec_.name,
                 order.factor, order.growth);
    report_contention();
    utilisation_changed();
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
      s.inbox->post(std::make_unique<Notice>(Notice{
          NoticeKind::provider_changed, index_, spec_.jurisdiction, replica_.now(), 0.0, {}}));
    }
}

void Provider::update_pstate() {
  if (!datacenter_->is_on())
    return;
  // The tightest export control in force sets the capacity.
  const auto& factors = platform_.capacity_factors;
  const auto factor = static_cast<std::size_t>(
      std::find(factors.begin(), factors.end(), chip_controls_.capacity_factor()) -
      factors.begin());
  const std::size_t pstate = spec_.ladder.pstate(level_, factor);
  if (pstate == datacenter_->get_pstate())
    return;
  account(replica_.now());
  datacenter_->set_pstate(pstate);
}

double Provider::next_investment_event() const {
  return std::min(next_review_, delivery_at_.value_or(std::numeric_limits<double>::infinity()));
}

void Provider::on_investment_event(double now) {
  if (delivery_at_ && *delivery_at_ <= next_review_) {
    deliver_capacity();
    return;
  }
  review_investment(now);
}

// Investment rule (docs/market.md): at each review, a mean utilisation above the threshold over
// the period just ended orders one step of capacity, unless an order is outstanding, the plan's
// orders are spent, or a chip export control forbids new chips. An export control that slows
// growth stretches the order's lead time.
void Provider::review_investment(double now) {
  const CapacityInvestment& plan = *spec_.investment;
  account(now);
  const double period = now - last_review_;
  const double mean = period > 0.0 ? (utilisation_days_ - utilisation_days_at_review_) / period : 0;
  last_review_ = now;
  utilisation_days_at_review_ = utilisation_days_;
  next_review_ = now + plan.review_days;
  if (!(mean > plan.utilisation_threshold) || delivery_at_ || orders_placed() >= plan.max_orders)
    return;
  const std::optional<double> lead = chip_controls_.lead_time(plan.lead_time_days);
  if (!lead) {
    replica_.log("{}: would add capacity (utilisation {:.2f}) but a chip export control forbids it",
                 spec_.name, mean);
    return;
  }
  delivery_at_ = now + *lead;
  capital_cost_ += spec_.ladder.step * plan.cost_per_capacity;
  replica_.log(
      "{}: orders {:.1f} work units/day of capacity (utilisation {:.2f}), usable in {:.0f} "
      "days",
      spec_.name, spec_.ladder.step, mean, *lead);
}

void Provider::deliver_capacity() {
  delivery_at_.reset();
  ++level_;
  update_pstate();
  replica_.log("{}: new capacity in service: {:.1f} work units/day installed", spec_.name,
               spec_.ladder.installed(level_));
  report_contention();
  utilisation_changed();
}

ProviderOutcome Provider::finish(double horizon) {
  account(horizon);
  ProviderOutcome outcome;
  outcome.service = service_;
  outcome.utilisation_days = utilisation_days_;
  outcome.energy_kwh = meter_.energy_at(horizon);
  outcome.energy_cost = outcome.energy_kwh * spec_.power_price;
  outcome.capital_cost = capital_cost_;
  outcome.capacity_orders = orders_placed();
  outcome.final_capacity = spec_.ladder.installed(level_);
  return outcome;
}

} // namespace baskets
