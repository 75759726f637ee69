#include "agents/government.hpp"

#include "sim/messages.hpp"

#include <simgrid/s4u/Actor.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace baskets {
namespace sg4 = simgrid::s4u;

namespace {

constexpr double days_per_year = 365.0;
constexpr const char* tension_names[] = {"calm", "tense", "crisis"};

struct OrderPair {
  Order apply;
  Order lift;
};

OrderPair orders_for(const GovernmentAction& spec, int against) {
  switch (spec.kind) {
  case ActionKind::suspend_model:
    return {{OrderKind::cut_off}, {OrderKind::restore}};
  case ActionKind::block_jurisdiction:
    return {{OrderKind::block, against}, {OrderKind::unblock, against}};
  case ActionKind::restrict_chips:
    return {{OrderKind::restrict_capacity, -1, spec.capacity_factor, spec.growth_factor},
            {OrderKind::lift_capacity, -1, spec.capacity_factor, spec.growth_factor}};
  case ActionKind::restrict_licence:
    break;
  }
  return {{OrderKind::restrict_licence, against}, {OrderKind::restrict_licence, against}};
}

} // namespace

std::string GovernmentAgent::describe(const GovernmentAction& spec) const {
  switch (spec.kind) {
  case ActionKind::suspend_model:
    return "suspension of the model";
  case ActionKind::block_jurisdiction:
    return "block of " + spec.against;
  case ActionKind::restrict_licence:
    return "licence restriction for " + spec.against + " of the next release";
  case ActionKind::restrict_chips:
    return fmt::format("chip export control (capacity x{}, capacity growth x{})",
                       spec.capacity_factor, spec.growth_factor);
  }
  return "action";
}

std::string GovernmentAgent::names_of(const std::vector<int>& hit) const {
  std::string names;
  for (const int t : hit)
    names += (names.empty() ? "" : ", ") + targets_[static_cast<std::size_t>(t)].name;
  return names;
}

GovernmentAgent::GovernmentAgent(const Platform& platform, int index, const ReplicaContext& replica,
                                 RandomStream stream, std::vector<OrderTarget> targets)
    : spec_(platform.scenario->governments[static_cast<std::size_t>(index)]), replica_(replica),
      stream_(stream), targets_(std::move(targets)), tension_(spec_.tension.initial),
      office_(platform.government_offices[static_cast<std::size_t>(index)]) {
  for (const GovernmentAction& spec : spec_.actions) {
    Action action{&spec};
    if (!spec.target.empty()) {
      const auto it = std::find_if(targets_.begin(), targets_.end(), [&](const OrderTarget& t) {
        return t.kind != TargetKind::buyers_hardware && t.name == spec.target;
      });
      action.target = static_cast<int>(it - targets_.begin());
    } else {
      action.target_jurisdiction = platform.jurisdiction_index(spec.target_jurisdiction);
    }
    if (!spec.against.empty())
      action.against = platform.jurisdiction_index(spec.against);
    actions_.push_back(action);
    in_force_.emplace_back(targets_.size(), false);
  }
}

// Who an action reaches: its target, or every provider (and, for a chip export control, the
// buyers' own hardware) of its jurisdiction; a licence restriction reaches open labs only.
std::vector<int> GovernmentAgent::hit_targets(const Action& action) {
  const ActionKind kind = action.spec->kind;
  const auto reaches = [kind](const OrderTarget& t) {
    if (t.kind == TargetKind::buyers_hardware)
      return kind == ActionKind::restrict_chips;
    return kind != ActionKind::restrict_licence || t.kind == TargetKind::open_lab;
  };
  int jurisdiction = action.target_jurisdiction;
  if (action.target >= 0) {
    // Drawn on every arrival, so that the stream does not depend on the tension's history.
    const bool common_mode = stream_.bernoulli(
        spec_.tension.common_mode_probability[static_cast<std::size_t>(tension_)]);
    if (!common_mode)
      return {action.target};
    jurisdiction = targets_[static_cast<std::size_t>(action.target)].jurisdiction;
  }
  std::vector<int> hit;
  for (std::size_t t = 0; t < targets_.size(); ++t)
    if (targets_[t].jurisdiction == jurisdiction && reaches(targets_[t]))
      hit.push_back(static_cast<int>(t));
  return hit;
}

double GovernmentAgent::draw_duration(const DurationSpec& spec) {
  // Both draws always happen, so that the stream stays aligned whatever the outcome.
  const bool permanent = stream_.bernoulli(spec.permanent_probability);
  double days = spec.mean_days;
  switch (spec.distribution) {
  case DurationKind::exponential:
    days = stream_.exponential(1.0 / spec.mean_days);
    break;
  case DurationKind::lognormal:
    days = stream_.lognormal(spec.mean_days, spec.sigma);
    break;
  case DurationKind::fixed:
    break;
  }
  return permanent ? std::numeric_limits<double>::infinity() : days;
}

void GovernmentAgent::fire(std::size_t index) {
  const Action& action = actions_[index];
  std::vector<int> hit = hit_targets(action);
  const double duration = draw_duration(action.spec->duration);
  const OrderPair orders = orders_for(*action.spec, action.against);

  if (action.spec->kind == ActionKind::restrict_licence) {
    for (const int t : hit) {
      targets_[static_cast<std::size_t>(t)].apply(orders.apply);
    }
    replica_.log("{}: {} of {}", spec_.name, describe(*action.spec), names_of(hit));
    return;
  }
  // An action already in force on a target is not applied twice: while a provider is cut off,
  // the same action cannot cut it again (cutoffs arrive at their rate while it is up).
  std::erase_if(hit, [&](int t) { return in_force_[index][static_cast<std::size_t>(t)]; });
  if (hit.empty())
    return;
  for (const int t : hit) {
    in_force_[index][static_cast<std::size_t>(t)] = true;
    targets_[static_cast<std::size_t>(t)].apply(orders.apply);
  }
  if (replica_.events != nullptr)
    replica_.log("{}: {} on {}{}, {}", spec_.name, describe(*action.spec), names_of(hit),
                 hit.size() > 1 ? " (common mode)" : "",
                 std::isinf(duration) ? std::string("permanently")
                                      : fmt::format("for {:.1f} days", duration));
  const double until = replica_.now() + duration;
  if (until >= replica_.horizon)
    return; // in force until the end of the replica
  lifts_.push_back(Lift{until, fired_++, index, std::move(hit), orders.lift});
  std::push_heap(lifts_.begin(), lifts_.end(), std::greater<>());
}

void GovernmentAgent::lift_before(double time) {
  while (!lifts_.empty() && lifts_.front().until < time) {
    std::pop_heap(lifts_.begin(), lifts_.end(), std::greater<>());
    const Lift lift = std::move(lifts_.back());
    lifts_.pop_back();
    ++replica_.counts.waits;
    sg4::this_actor::sleep_until(replica_.to_engine(lift.until));
    for (const int t : lift.hit) {
      in_force_[lift.action][static_cast<std::size_t>(t)] = false;
      targets_[static_cast<std::size_t>(t)].apply(lift.order);
    }
    if (replica_.events != nullptr)
      replica_.log("{}: {} on {} ends", spec_.name, describe(*actions_[lift.action].spec),
                   names_of(lift.hit));
  }
}

void GovernmentAgent::run() {
  const TensionSettings& tension = spec_.tension;
  std::vector<double> rates(actions_.size() + 2);
  for (;;) {
    const auto level = static_cast<std::size_t>(tension_);
    for (std::size_t a = 0; a < actions_.size(); ++a)
      rates[a] = actions_[a].spec->rate_per_year * tension.rate_multiplier[level] / days_per_year;
    // The last two events are the tension going up and going down.
    const double up[] = {tension.calm_to_tense_per_year, tension.tense_to_crisis_per_year, 0.0};
    const double down[] = {0.0, tension.tense_to_calm_per_year, tension.crisis_to_tense_per_year};
    rates[actions_.size()] = up[level] / days_per_year;
    rates[actions_.size() + 1] = down[level] / days_per_year;

    double total = 0.0;
    for (const double rate : rates)
      total += rate;
    if (total <= 0.0) {
      lift_before(replica_.horizon);
      return;
    }
    const double next = replica_.now() + stream_.exponential(total);
    lift_before(std::min(next, replica_.horizon));
    if (next >= replica_.horizon)
      return;
    ++replica_.counts.waits;
    sg4::this_actor::sleep_until(replica_.to_engine(next));

    const std::size_t event = stream_.pick(rates.data(), rates.size());
    if (event < actions_.size()) {
      fire(event);
      continue;
    }
    tension_ = static_cast<TensionLevel>(event == actions_.size() ? level + 1 : level - 1);
    replica_.log("{}: tension {} -> {}", spec_.name, tension_names[level],
                 tension_names[static_cast<std::size_t>(tension_)]);
  }
}

} // namespace baskets
