#include "sim/sampler.hpp"

#include "sim/statistics.hpp"

#include <simgrid/s4u/Actor.hpp>

#include <stdexcept>

namespace baskets {

ReplicaTimeSeries empty_series(const TimeSeriesLayout& layout) {
  const std::size_t k = layout.samples();
  ReplicaTimeSeries series;
  series.served_share.assign(layout.strategies.size() * k, 0.0);
  series.outage_share.assign(layout.strategies.size() * k, 0.0);
  series.quality_gap.assign(layout.strategies.size() * k, 0.0);
  series.utilisation.assign(layout.providers.size() * k, 0.0);
  series.price.assign(layout.providers.size() * k, 0.0);
  series.market_share.assign(layout.providers.size() * k, 0.0);
  series.capacity.assign(layout.providers.size() * k, 0.0);
  series.energy.assign(layout.providers.size() * k, 0.0);
  series.providers_cut_off.assign(k, 0.0);
  series.tension.assign(layout.governments.size() * k, 0.0);
  return series;
}

TimeSeriesLayout make_layout(const Scenario& scenario, double step_days) {
  if (!(step_days > 0.0))
    throw std::invalid_argument("the time-series step must be positive");
  TimeSeriesLayout layout;
  layout.step_days = step_days;
  for (int k = 1; k * step_days <= scenario.simulation.horizon_days * (1.0 + 1e-12); ++k)
    layout.times.push_back(k * step_days);
  layout.strategies = strategy_names(scenario);
  layout.providers = provider_names(scenario); // the platform's order
  for (const Government& g : scenario.governments)
    layout.governments.push_back(g.name);
  return layout;
}

void sample(const ReplicaContext& replica, const Platform& platform, const TimeSeriesLayout& layout,
            const SampledAgents& agents, ReplicaTimeSeries& series) {
  const std::size_t strategies = layout.strategies.size();
  const std::size_t samples = layout.samples();
  // What each strategy's buyers had received and demanded at the previous sample.
  std::vector<double> served_before(strategies, 0.0), quality_before(strategies, 0.0),
      demand_before(strategies, 0.0);
  const std::size_t providers = agents.providers.size();
  std::vector<double> provider_served_before(providers, 0.0), energy_before(providers, 0.0);

  for (std::size_t k = 0; k < samples; ++k) {
    ++replica.counts.waits;
    simgrid::s4u::this_actor::sleep_until(replica.to_engine(layout.times[k]));
    const double now = replica.now();

    std::vector<double> served(strategies, 0.0), quality(strategies, 0.0), demand(strategies, 0.0),
        in_outage(strategies, 0.0), buyers(strategies, 0.0);
    for (std::size_t b = 0; b < agents.buyers.size(); ++b) {
      const auto s = static_cast<std::size_t>(platform.buyers[b].strategy);
      const BuyerAgent& buyer = *agents.buyers[b];
      // Reading a workload's progress is a SimGrid call, during which the buyer may act at this
      // same instant (a demand step): read again until the buyer did not change meanwhile.
      ServiceTally received;
      double demanded = 0.0;
      for (std::uint64_t before = buyer.revision();; before = buyer.revision()) {
        received = buyer.received_so_far(now);
        demanded = buyer.demand_so_far(now);
        if (buyer.revision() == before)
          break;
      }
      served[s] += received.served;
      quality[s] += received.quality_adjusted;
      demand[s] += demanded;
      in_outage[s] += buyer.in_outage() ? 1.0 : 0.0;
      buyers[s] += 1.0;
    }
    for (std::size_t s = 0; s < strategies; ++s) {
      const double d_served = served[s] - served_before[s];
      const double d_demand = demand[s] - demand_before[s];
      const double d_quality = quality[s] - quality_before[s];
      series.served_share[s * samples + k] = d_demand > 0.0 ? d_served / d_demand : 0.0;
      series.quality_gap[s * samples + k] = d_served > 0.0 ? 1.0 - d_quality / d_served : 0.0;
      series.outage_share[s * samples + k] = buyers[s] > 0.0 ? in_outage[s] / buyers[s] : 0.0;
      served_before[s] = served[s];
      quality_before[s] = quality[s];
      demand_before[s] = demand[s];
    }

    // Each provider's work served over the step, read like the buyers' (a provider's tally
    // changes when a buyer settles during the read).
    std::vector<double> provider_served(providers, 0.0);
    double market = 0.0;
    for (std::size_t p = 0; p < providers; ++p) {
      const Provider& provider = *agents.providers[p];
      for (std::uint64_t before = provider.revision();; before = provider.revision()) {
        provider_served[p] = provider.served_so_far(now).served;
        if (provider.revision() == before)
          break;
      }
      market += provider_served[p] - provider_served_before[p];
    }
    double cut_off = 0.0;
    for (std::size_t p = 0; p < providers; ++p) {
      const Provider& provider = *agents.providers[p];
      const std::size_t at = p * samples + k;
      series.utilisation[at] = provider.utilisation();
      series.price[at] = provider.price();
      series.capacity[at] = provider.capacity_in_force();
      const double served_here = provider_served[p] - provider_served_before[p];
      series.market_share[at] = market > 0.0 ? served_here / market : 0.0;
      const double energy = provider.energy_so_far(now);
      series.energy[at] = energy - energy_before[p];
      provider_served_before[p] = provider_served[p];
      energy_before[p] = energy;
      cut_off += provider.suspended() ? 1.0 : 0.0;
    }
    series.providers_cut_off[k] = cut_off;
    for (std::size_t g = 0; g < agents.governments.size(); ++g)
      series.tension[g * samples + k] = static_cast<double>(agents.governments[g]->tension());
  }
}

} // namespace baskets
