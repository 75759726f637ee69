#include "sim/replica.hpp"

#include "agents/chip_controls.hpp"
#include "agents/government.hpp"
#include "agents/open_lab.hpp"
#include "agents/provider_actor.hpp"
#include "sim/sampler.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cmath>
#include <memory>

namespace baskets {
namespace sg4 = simgrid::s4u;

namespace {

// Who may receive a government's orders: hyperscalers (their service), then open labs, then the
// buyers' own hardware of each jurisdiction where some buyer can order more (chip export
// controls only).
std::vector<OrderTarget> order_targets(const Platform& platform,
                                       const std::vector<std::unique_ptr<Provider>>& providers,
                                       const std::vector<std::unique_ptr<OpenLabAgent>>& labs,
                                       std::vector<ChipControls>& hardware_controls) {
  std::vector<OrderTarget> targets;
  for (const auto& provider : providers)
    if (provider->spec().open_lab < 0)
      targets.push_back({provider->spec().name,
                         [p = provider.get()](const Order& order) { p->apply(order); },
                         provider->spec().jurisdiction, TargetKind::provider});
  for (const auto& lab : labs)
    targets.push_back({lab->name(), [l = lab.get()](const Order& order) { l->apply(order); },
                       lab->jurisdiction(), TargetKind::open_lab});
  const Scenario& scenario = *platform.scenario;
  for (std::size_t j = 0; j < scenario.jurisdictions.size(); ++j) {
    const bool expands =
        std::any_of(scenario.buyers.begin(), scenario.buyers.end(), [&](const BuyerGroup& group) {
          return group.own_hardware.expansion &&
                 platform.jurisdiction_index(group.jurisdiction) == static_cast<int>(j);
        });
    if (expands)
      targets.push_back({scenario.jurisdictions[j].name + " buyers' own hardware",
                         [c = &hardware_controls[j]](const Order& order) { c->apply(order); },
                         static_cast<int>(j), TargetKind::buyers_hardware});
  }
  return targets;
}

void subscribe(BuyerAgent& buyer, const std::vector<std::unique_ptr<Provider>>& providers,
               const std::vector<std::unique_ptr<OpenLabAgent>>& labs) {
  std::vector<Basket> baskets;
  for (const Portion& portion : buyer.plan().portions) {
    baskets.push_back(portion.primary);
    baskets.insert(baskets.end(), portion.fallbacks.begin(), portion.fallbacks.end());
  }
  std::vector<Basket> seen;
  for (const Basket& basket : baskets) {
    if (std::find(seen.begin(), seen.end(), basket) != seen.end())
      continue;
    seen.push_back(basket);
    if (basket.kind == BasketKind::api)
      providers[static_cast<std::size_t>(basket.index)]->subscribe(buyer.inbox(),
                                                                   buyer.jurisdiction());
    else
      labs[static_cast<std::size_t>(basket.index)]->subscribe(buyer.inbox());
  }
}

} // namespace

ReplicaOutcome run_replica(const Platform& platform, std::uint64_t seed, std::uint64_t replica,
                           double origin, EventLog* events, const TimeSeriesLayout* layout) {
  const Scenario& scenario = *platform.scenario;
  const ReplicaContext context{origin, scenario.simulation.horizon_days, events};

  std::vector<std::unique_ptr<Provider>> providers;
  std::vector<Provider*> provider_views;
  for (std::size_t p = 0; p < platform.providers.size(); ++p) {
    providers.push_back(std::make_unique<Provider>(platform, static_cast<int>(p), context));
    provider_views.push_back(providers.back().get());
  }

  std::vector<std::unique_ptr<OpenLabAgent>> labs;
  std::vector<Release> first_releases;
  for (std::size_t l = 0; l < scenario.open_labs.size(); ++l) {
    Provider* hosted = nullptr;
    for (const auto& provider : providers)
      if (provider->spec().open_lab == static_cast<int>(l))
        hosted = provider.get();
    labs.push_back(std::make_unique<OpenLabAgent>(
        platform, static_cast<int>(l), context,
        RandomStream(seed, StreamPurpose::open_lab, l, replica), hosted));
    first_releases.push_back(labs.back()->first_release());
  }

  // The chip export controls in force on each jurisdiction's buyers' own hardware.
  std::vector<ChipControls> hardware_controls(scenario.jurisdictions.size());
  std::vector<std::unique_ptr<BuyerAgent>> buyers;
  for (std::size_t b = 0; b < platform.buyers.size(); ++b) {
    const auto jurisdiction = static_cast<std::size_t>(platform.buyers[b].jurisdiction);
    std::vector<std::optional<double>> held;
    for (const Release& release : first_releases)
      held.push_back(release.excluded[jurisdiction] ? std::nullopt
                                                    : std::optional(release.quality_day));
    buyers.push_back(std::make_unique<BuyerAgent>(platform, static_cast<int>(b), context,
                                                  provider_views, std::move(held),
                                                  hardware_controls[jurisdiction]));
    subscribe(*buyers.back(), providers, labs);
  }

  std::vector<std::unique_ptr<GovernmentAgent>> governments;
  for (std::size_t g = 0; g < scenario.governments.size(); ++g)
    governments.push_back(std::make_unique<GovernmentAgent>(
        platform, static_cast<int>(g), context,
        RandomStream(seed, StreamPurpose::government, g, replica),
        order_targets(platform, providers, labs, hardware_controls)));

  std::optional<ReplicaTimeSeries> series;
  if (layout != nullptr)
    series = empty_series(*layout);

  // The replica's agents start together at its origin.
  sg4::Actor::create("replica", platform.buyer_sites.front(), [&] {
    sg4::this_actor::sleep_until(origin);
    context.counts.actors += 1 + labs.size() + buyers.size() + governments.size();
    context.counts.waits += 1;
    for (const auto& provider : providers)
      if (needs_actor(provider->spec())) {
        ++context.counts.actors;
        sg4::Actor::create(provider->spec().name, provider->office(),
                           [&context, p = provider.get()] { run_provider(*p, context); });
      }
    for (const auto& lab : labs)
      sg4::Actor::create(lab->name(), lab->office(), [l = lab.get()] { l->run(); });
    for (std::size_t b = 0; b < buyers.size(); ++b)
      sg4::Actor::create("buyer", buyers[b]->site(), [a = buyers[b].get()] { a->run(); });
    for (std::size_t g = 0; g < governments.size(); ++g)
      sg4::Actor::create(scenario.governments[g].name, platform.government_offices[g],
                         [a = governments[g].get()] { a->run(); });
    if (series) {
      ++context.counts.actors;
      sg4::Actor::create("sampler", platform.buyer_sites.front(), [&] {
        sample(context, platform, *layout, SampledAgents{buyers, providers, governments}, *series);
      });
    }
  });
  sg4::Engine::get_instance()->run();

  ReplicaOutcome outcome;
  for (const auto& buyer : buyers)
    outcome.buyers.push_back(buyer->outcome());
  for (const auto& provider : providers)
    outcome.providers.push_back(provider->finish(context.horizon));
  outcome.result = summarise(platform, replica, outcome.buyers);
  outcome.result.providers = summarise_providers(outcome.providers, context.horizon);
  outcome.counts = context.counts;
  outcome.series = std::move(series);
  return outcome;
}

ReplicaResult summarise(const Platform& platform, std::uint64_t replica,
                        const std::vector<BuyerOutcome>& buyers) {
  const std::size_t strategies = platform.scenario->strategies.size();
  ReplicaResult result{replica, std::vector<StrategyMetrics>(strategies), {}};
  std::vector<BuyerOutcome> sums(strategies);
  std::vector<int> counts(strategies, 0);
  for (std::size_t b = 0; b < buyers.size(); ++b) {
    const auto s = static_cast<std::size_t>(platform.buyers[b].strategy);
    const BuyerOutcome& o = buyers[b];
    BuyerOutcome& sum = sums[s];
    ++counts[s];
    sum.demand += o.demand;
    sum.served += o.served;
    sum.quality_adjusted += o.quality_adjusted;
    sum.outage_days += o.outage_days;
    sum.longest_outage_days = std::max(sum.longest_outage_days, o.longest_outage_days);
    sum.outage_episodes += o.outage_episodes;
    sum.api_spend += o.api_spend;
    sum.hardware_cost += o.hardware_cost;
    sum.switching_cost += o.switching_cost;
    sum.energy_cost += o.energy_cost;
  }
  for (std::size_t s = 0; s < strategies; ++s) {
    const BuyerOutcome& sum = sums[s];
    const double n = counts[s] > 0 ? counts[s] : 1;
    StrategyMetrics& m = result.strategies[s];
    // Served work is integrated from SimGrid's executions step by step, so buyers served in full
    // come out a rounding residue (about 1e-15 of their demand) above or below it. That residue is
    // no shortfall, and no service beyond demand: a gap under 1e-9 of the demand (a tenth of a
    // second's work over five years) counts as demand met. A larger excess would be a fault, and
    // shows.
    const bool residue = std::abs(sum.served - sum.demand) <= 1e-9 * sum.demand;
    const double served = residue ? sum.demand : sum.served;
    m[Metric::served_share] = sum.demand > 0.0 ? served / sum.demand : 0.0;
    m[Metric::unserved_work] = (sum.demand - served) / n;
    m[Metric::outage_days] = sum.outage_days / n;
    m[Metric::longest_outage_days] = sum.longest_outage_days;
    m[Metric::outage_episodes] = sum.outage_episodes / n;
    m[Metric::cost_api] = sum.api_spend / n;
    m[Metric::cost_hardware] = sum.hardware_cost / n;
    m[Metric::cost_switching] = sum.switching_cost / n;
    m[Metric::cost_energy] = sum.energy_cost / n;
    m[Metric::cost_total] =
        (sum.api_spend + sum.hardware_cost + sum.switching_cost + sum.energy_cost) / n;
    m[Metric::quality_adjusted_output] = sum.quality_adjusted / n;
    m[Metric::quality_gap] = sum.served > 0.0 ? 1.0 - sum.quality_adjusted / sum.served : 0.0;
  }
  return result;
}

std::vector<ProviderMetrics> summarise_providers(const std::vector<ProviderOutcome>& providers,
                                                 double horizon) {
  double market = 0.0;
  for (const ProviderOutcome& p : providers)
    market += p.service.served;
  std::vector<ProviderMetrics> metrics(providers.size());
  for (std::size_t i = 0; i < providers.size(); ++i) {
    const ProviderOutcome& p = providers[i];
    ProviderMetrics& m = metrics[i];
    m[ProviderMetric::served_work] = p.service.served;
    m[ProviderMetric::revenue] = p.service.api_spend;
    m[ProviderMetric::market_share] = market > 0.0 ? p.service.served / market : 0.0;
    m[ProviderMetric::mean_utilisation] = p.utilisation_days / horizon;
    m[ProviderMetric::mean_price] =
        p.service.served > 0.0 ? p.service.api_spend / p.service.served : 0.0;
    m[ProviderMetric::energy] = p.energy_kwh;
    m[ProviderMetric::energy_cost] = p.energy_cost;
    m[ProviderMetric::capital_cost] = p.capital_cost;
    m[ProviderMetric::capacity_orders] = p.capacity_orders;
    m[ProviderMetric::final_capacity] = p.final_capacity;
    m[ProviderMetric::intelligence_per_kwh] =
        p.energy_kwh > 0.0 ? p.service.quality_adjusted / p.energy_kwh : 0.0;
  }
  return metrics;
}

} // namespace baskets
