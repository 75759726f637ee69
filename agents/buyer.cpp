#include "agents/buyer.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>

namespace baskets {
namespace sg4 = simgrid::s4u;

namespace {
constexpr double time_epsilon = 1e-9; // days; far below any modelled duration
}

BuyerAgent::BuyerAgent(const Platform& platform, int buyer, const ReplicaContext& replica,
                       const std::vector<Provider*>& providers,
                       std::vector<std::optional<double>> held_releases,
                       const ChipControls& hardware_controls)
    : platform_(platform), group_(platform.scenario->buyers[static_cast<std::size_t>(
                               platform.buyers[static_cast<std::size_t>(buyer)].group)]),
      replica_(replica), providers_(providers),
      jurisdiction_(platform.buyers[static_cast<std::size_t>(buyer)].jurisdiction),
      hardware_controls_(hardware_controls),
      plan_(plan_portfolio(platform.scenario->strategies[static_cast<std::size_t>(
                               platform.buyers[static_cast<std::size_t>(buyer)].strategy)],
                           jurisdiction_, group_.sensitive_share, platform)),
      site_(platform.buyer_sites[static_cast<std::size_t>(buyer)]),
      index_in_group_(platform.buyers[static_cast<std::size_t>(buyer)].index_in_group),
      held_releases_(std::move(held_releases)),
      ladder_(platform.buyers[static_cast<std::size_t>(buyer)].ladder),
      site_meter_(platform.chip(group_.own_hardware.chip) != nullptr ? EnergyMeter(site_)
                                                                     : EnergyMeter()) {
  for (const Portion& portion : plan_.portions)
    portions_.push_back(PortionRun{&portion, State::serving, portion.primary, nullptr, 0.0});
  // The engine is reused across replicas: the site starts with what it has on day 0.
  const OwnHardware& hardware = group_.own_hardware;
  initial_hardware_ = hardware.capacity > 0.0 && hardware.lead_time_days <= 0.0;
  if (hardware.capacity > 0.0 && !initial_hardware_)
    deliveries_.emplace_back(hardware.lead_time_days, true);
  site_->set_pstate(ladder_.pstate(initial_hardware_, 0));
}

double BuyerAgent::own_capacity() const {
  return ladder_.capacity(ladder_.pstate(initial_hardware_, expansions_));
}

double BuyerAgent::next_delivery() const {
  return deliveries_.empty() ? replica_.horizon : deliveries_.front().first;
}

void BuyerAgent::receive_hardware(double now) {
  while (!deliveries_.empty() && deliveries_.front().first <= now + time_epsilon) {
    if (deliveries_.front().second)
      initial_hardware_ = true;
    else
      ++expansions_;
    deliveries_.erase(deliveries_.begin());
  }
  site_meter_.read(now);
  site_->set_pstate(ladder_.pstate(initial_hardware_, expansions_));
  replica_.log("{}: own hardware delivered: {:.1f} work units/day usable", name(), own_capacity());
  reconcile(now);
}

// Procurement rule (docs/market.md): when the demand planned on its own hardware exceeds the
// threshold times the capacity it has or has on order, it orders one more step. A chip export
// control on its jurisdiction stretches the lead time, or forbids the order (it tries again at
// its next demand step).
void BuyerAgent::order_hardware(double now) {
  const auto& expansion = group_.own_hardware.expansion;
  if (!expansion || outcome_.hardware_orders >= expansion->max_orders)
    return;
  double planned = 0.0;
  for (const Portion& portion : plan_.portions)
    if (portion.primary.kind == BasketKind::self_hosted)
      planned += portion.demand_share * demand_rate_;
  const double on_hand_or_ordered =
      group_.own_hardware.capacity + outcome_.hardware_orders * expansion->step;
  if (!(planned > expansion->utilisation_threshold * on_hand_or_ordered))
    return;
  const std::optional<double> lead = hardware_controls_.lead_time(expansion->lead_time_days);
  if (!lead) {
    replica_.log("{}: would order own hardware but a chip export control forbids it", name());
    return;
  }
  ++outcome_.hardware_orders;
  hardware_capital_ += expansion->step * expansion->cost_per_capacity;
  const double when = now + *lead;
  // deliveries_ stays in time order; among deliveries due at the same time, first ordered first.
  const auto later =
      std::upper_bound(deliveries_.begin(), deliveries_.end(), when,
                       [](double t, const auto& delivery) { return t < delivery.first; });
  deliveries_.emplace(later, when, false);
  replica_.log("{}: orders {:.1f} work units/day of own hardware, usable on day {:.0f}", name(),
               expansion->step, when);
}

std::string BuyerAgent::name() const {
  return fmt::format("{} #{}", group_.name, index_in_group_);
}

std::string BuyerAgent::describe(const Basket& basket) const {
  if (basket.kind == BasketKind::self_hosted)
    return "self-hosted " +
           platform_.scenario->open_labs[static_cast<std::size_t>(basket.index)].name;
  return providers_[static_cast<std::size_t>(basket.index)]->spec().name + " API";
}

bool BuyerAgent::uses_self_hosted(int lab) const {
  for (const Portion& portion : plan_.portions) {
    if (portion.primary == Basket{BasketKind::self_hosted, lab})
      return true;
    for (const Basket& fallback : portion.fallbacks)
      if (fallback == Basket{BasketKind::self_hosted, lab})
        return true;
  }
  return false;
}

bool BuyerAgent::available(const Basket& basket) const {
  if (basket.kind == BasketKind::self_hosted)
    return held_releases_[static_cast<std::size_t>(basket.index)].has_value() &&
           own_capacity() > 0.0;
  return providers_[static_cast<std::size_t>(basket.index)]->serves(jurisdiction_);
}

void BuyerAgent::serve(PortionRun& portion, const Basket& basket, double now) {
  drop_workload(portion, now);
  ++replica_.counts.executions;
  double bound = portion.plan->demand_share * demand_rate_;
  const double doubling = platform_.scenario->market.frontier_doubling_days;
  if (basket.kind == BasketKind::self_hosted) {
    if (!(basket == portion.plan->primary))
      bound = std::min(bound, group_.failover.capacity_share * own_capacity());
    const double quality_day = *held_releases_[static_cast<std::size_t>(basket.index)];
    portion.workload = std::make_shared<Workload>(site_, bound, now, replica_.horizon,
                                                  ModelQuality::release(quality_day), 0.0, doubling,
                                                  tally_, WorkloadAccounts{nullptr, &site_meter_});
  } else {
    Provider& provider = *providers_[static_cast<std::size_t>(basket.index)];
    if (!(basket == portion.plan->primary))
      bound = std::min(bound, group_.failover.capacity_share * provider.spec().capacity);
    portion.workload = std::make_shared<Workload>(
        provider.datacenter(), bound, now, replica_.horizon, provider.quality(), provider.price(),
        doubling, tally_, provider.accounts());
    provider.attach(portion.workload, jurisdiction_);
  }
  portion.on = basket;
  ++revision_;
}

void BuyerAgent::drop_workload(PortionRun& portion, double now) {
  if (!portion.workload)
    return;
  portion.workload->stop(now);
  if (portion.on.kind == BasketKind::api)
    providers_[static_cast<std::size_t>(portion.on.index)]->detach(*portion.workload);
  portion.workload.reset();
  ++revision_;
}

void BuyerAgent::set_state(PortionRun& portion, State state, double when) {
  const bool was_unserved = portion.state != State::serving;
  const bool is_unserved = state != State::serving;
  portion.state = state;
  if (was_unserved == is_unserved)
    return;
  if (is_unserved) {
    if (unserved_portions_++ == 0) {
      outage_start_ = when;
      ++outcome_.outage_episodes;
    }
  } else if (--unserved_portions_ == 0) {
    const double length = std::max(when - outage_start_, 0.0);
    outcome_.outage_days += length;
    outcome_.longest_outage_days = std::max(outcome_.longest_outage_days, length);
  }
}

// The portion's basket no longer serves it: it is unserved until the switch is done, unless the
// buyer switches at once.
void BuyerAgent::lose_basket(PortionRun& portion, double when) {
  drop_workload(portion, replica_.now());
  const double delay = group_.failover.switch_delay_days;
  replica_.log("{}: {} no longer serves it", name(), describe(portion.on));
  if (delay <= 0.0 && switch_to_fallback(portion, when))
    return;
  set_state(portion, delay <= 0.0 ? State::stranded : State::waiting, when);
  portion.switch_at = when + delay;
  if (delay <= 0.0)
    replica_.log("{}: no fallback available for its {} work", name(), describe(portion.on));
}

bool BuyerAgent::switch_to_fallback(PortionRun& portion, double when) {
  for (const Basket& fallback : portion.plan->fallbacks) {
    if (available(fallback)) {
      replica_.log("{}: fails over from {} to {}", name(), describe(portion.plan->primary),
                   describe(fallback));
      serve(portion, fallback, replica_.now());
      set_state(portion, State::serving, when);
      ++outcome_.switches;
      outcome_.switching_cost += group_.failover.switching_cost;
      return true;
    }
  }
  return false;
}

// Brings every portion in line with what the baskets offer now.
void BuyerAgent::reconcile(double when) {
  const double now = replica_.now();
  for (PortionRun& portion : portions_) {
    const Basket& primary = portion.plan->primary;
    switch (portion.state) {
    case State::serving: {
      const bool lost = !portion.workload->running() || !available(portion.on);
      if (lost && available(portion.on)) {
        serve(portion, portion.on, now); // cut and restored before this buyer heard of it
      } else if (lost) {
        if (!(portion.on == primary) && available(primary))
          serve(portion, primary, now);
        else
          lose_basket(portion, when);
      } else if (!(portion.on == primary) && available(primary)) {
        replica_.log("{}: back on {}", name(), describe(primary));
        serve(portion, primary, now); // back home as soon as the basket serves again
      }
      break;
    }
    case State::waiting:
      if (available(primary)) {
        replica_.log("{}: back on {}", name(), describe(primary));
        serve(portion, primary, now);
        set_state(portion, State::serving, when);
      }
      break;
    case State::stranded:
      if (available(primary)) {
        replica_.log("{}: back on {}", name(), describe(primary));
        serve(portion, primary, now);
        set_state(portion, State::serving, when);
      } else {
        switch_to_fallback(portion, when);
      }
      break;
    }
  }
}

void BuyerAgent::on_release(const Notice& notice) {
  if (notice.excluded_jurisdictions[static_cast<std::size_t>(jurisdiction_)])
    return; // the licence excludes us: keep the weights we hold
  if (uses_self_hosted(notice.source))
    replica_.log("{}: downloads the new {} weights", name(),
                 platform_.scenario->open_labs[static_cast<std::size_t>(notice.source)].name);
  held_releases_[static_cast<std::size_t>(notice.source)] = notice.release_quality_day;
  const double now = replica_.now();
  for (PortionRun& portion : portions_)
    if (portion.state == State::serving && portion.on.kind == BasketKind::self_hosted &&
        portion.on.index == notice.source)
      serve(portion, portion.on, now); // run the new weights from now on
  reconcile(notice.time);
}

ServiceTally BuyerAgent::received_so_far(double now) const {
  ServiceTally total = tally_;
  for (const PortionRun& portion : portions_)
    if (portion.workload)
      total.add(portion.workload->unsettled(now));
  return total;
}

double BuyerAgent::demand_so_far(double now) const {
  return outcome_.demand + demand_rate_ * (now - step_start_);
}

double BuyerAgent::demand_over(double from, double to) const {
  // The rate of a step is the continuous demand at the step's midpoint.
  const double years = 0.5 * (from + to) / 365.0;
  return group_.demand * std::pow(1.0 + group_.demand_growth_per_year, years);
}

void BuyerAgent::step_demand(double now) {
  outcome_.demand += demand_rate_ * (now - step_start_);
  step_start_ = now;
  ++revision_;
  demand_rate_ = demand_over(
      now, std::min(now + platform_.scenario->simulation.demand_step_days, replica_.horizon));
  order_hardware(now);
  for (PortionRun& portion : portions_)
    if (portion.state == State::serving)
      serve(portion, portion.on, now);
}

void BuyerAgent::finish() {
  const double end = replica_.horizon;
  for (PortionRun& portion : portions_)
    drop_workload(portion, end);
  outcome_.demand += demand_rate_ * (end - step_start_);
  if (unserved_portions_ > 0) {
    const double length = end - outage_start_;
    outcome_.outage_days += length;
    outcome_.longest_outage_days = std::max(outcome_.longest_outage_days, length);
  }
  outcome_.served = tally_.served;
  outcome_.quality_adjusted = tally_.quality_adjusted;
  outcome_.api_spend = tally_.api_spend;
  outcome_.hardware_cost = group_.own_hardware.cost_per_day * end + hardware_capital_;
  site_meter_.read(end);
  outcome_.energy_kwh = site_meter_.energy_at(end);
  outcome_.energy_cost =
      outcome_.energy_kwh *
      platform_.scenario->jurisdictions[static_cast<std::size_t>(jurisdiction_)].power_price;
}

void BuyerAgent::run() {
  const double step = platform_.scenario->simulation.demand_step_days;
  demand_rate_ = demand_over(0.0, std::min(step, replica_.horizon));
  order_hardware(0.0);
  for (PortionRun& portion : portions_) {
    if (available(portion.plan->primary))
      serve(portion, portion.plan->primary, 0.0);
    else
      lose_basket(portion, 0.0);
  }
  double next_step = step;

  for (;;) {
    double next = std::min({replica_.horizon, next_step, next_delivery()});
    for (const PortionRun& portion : portions_)
      if (portion.state == State::waiting)
        next = std::min(next, portion.switch_at);

    if (next - replica_.now() > time_epsilon) {
      ++replica_.counts.waits;
      if (const auto notice = inbox_.get_for(next - replica_.now())) {
        // It reaches this buyer one network latency after the event.
        const double arrives =
            notice->time + platform_.latency_days[static_cast<std::size_t>(notice->jurisdiction)]
                                                 [static_cast<std::size_t>(jurisdiction_)];
        if (arrives > replica_.now()) {
          ++replica_.counts.waits;
          sg4::this_actor::sleep_until(replica_.to_engine(arrives));
        }
        if (notice->kind == NoticeKind::release)
          on_release(*notice);
        else
          reconcile(notice->time);
        continue;
      } // else a timer is due
    }

    const double now = replica_.now();
    if (now >= replica_.horizon - time_epsilon)
      break;
    if (now >= next_step - time_epsilon) {
      step_demand(next_step);
      next_step += step;
    }
    if (!deliveries_.empty() && now >= next_delivery() - time_epsilon)
      receive_hardware(now);
    for (PortionRun& portion : portions_)
      if (portion.state == State::waiting && portion.switch_at <= now + time_epsilon &&
          !switch_to_fallback(portion, portion.switch_at)) {
        replica_.log("{}: no fallback available for its {} work", name(),
                     describe(portion.plan->primary));
        set_state(portion, State::stranded, portion.switch_at);
      }
  }
  finish();
}

} // namespace baskets
