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
                       std::vector<std::optional<double>> held_releases)
    : platform_(platform), group_(platform.scenario->buyers[static_cast<std::size_t>(
                               platform.buyers[static_cast<std::size_t>(buyer)].group)]),
      replica_(replica), providers_(providers),
      jurisdiction_(platform.buyers[static_cast<std::size_t>(buyer)].jurisdiction),
      plan_(plan_portfolio(platform.scenario->strategies[static_cast<std::size_t>(
                               platform.buyers[static_cast<std::size_t>(buyer)].strategy)],
                           jurisdiction_, group_.sensitive_share, platform)),
      inbox_(sg4::Mailbox::by_name(fmt::format("buyer-{}/inbox", buyer))),
      site_(platform.buyer_sites[static_cast<std::size_t>(buyer)]),
      index_in_group_(platform.buyers[static_cast<std::size_t>(buyer)].index_in_group),
      held_releases_(std::move(held_releases)) {
  for (const Portion& portion : plan_.portions)
    portions_.push_back(PortionRun{&portion, State::serving, portion.primary, nullptr, 0.0});
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
    return held_releases_[static_cast<std::size_t>(basket.index)].has_value();
  return providers_[static_cast<std::size_t>(basket.index)]->serves(jurisdiction_);
}

void BuyerAgent::serve(PortionRun& portion, const Basket& basket, double now) {
  drop_workload(portion, now);
  ++replica_.counts.executions;
  double bound = portion.plan->demand_share * demand_rate_;
  const double doubling = platform_.scenario->market.frontier_doubling_days;
  if (basket.kind == BasketKind::self_hosted) {
    if (!(basket == portion.plan->primary))
      bound = std::min(bound, group_.failover.capacity_share * group_.own_hardware.capacity);
    const double quality_day = *held_releases_[static_cast<std::size_t>(basket.index)];
    portion.workload =
        std::make_shared<Workload>(site_, bound, now, replica_.horizon,
                                   ModelQuality::release(quality_day), 0.0, doubling, tally_);
  } else {
    Provider& provider = *providers_[static_cast<std::size_t>(basket.index)];
    if (!(basket == portion.plan->primary))
      bound = std::min(bound, group_.failover.capacity_share * provider.spec().capacity);
    portion.workload =
        std::make_shared<Workload>(provider.datacenter(), bound, now, replica_.horizon,
                                   provider.quality(), provider.spec().price, doubling, tally_);
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
    if (portion.workload) {
      const ServiceTally pending = portion.workload->unsettled(now);
      total.served += pending.served;
      total.quality_adjusted += pending.quality_adjusted;
      total.api_spend += pending.api_spend;
    }
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
  outcome_.hardware_cost = group_.own_hardware.cost_per_day * end;
}

void BuyerAgent::run() {
  const double step = platform_.scenario->simulation.demand_step_days;
  demand_rate_ = demand_over(0.0, std::min(step, replica_.horizon));
  for (PortionRun& portion : portions_) {
    if (available(portion.plan->primary))
      serve(portion, portion.plan->primary, 0.0);
    else
      lose_basket(portion, 0.0);
  }
  double next_step = step;

  Inbox<Notice> notices(inbox_);
  for (;;) {
    double next = std::min(replica_.horizon, next_step);
    for (const PortionRun& portion : portions_)
      if (portion.state == State::waiting)
        next = std::min(next, portion.switch_at);

    if (next - replica_.now() > time_epsilon) {
      ++replica_.counts.waits;
      if (const auto notice = notices.get_for(next - replica_.now())) {
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
