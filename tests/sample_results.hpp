// A small, known set of results for the results-file tests (the Catch2 tests and the sample
// file that tests/results/check_results_file.py reads): the scenario of tests/cli/valid_base.toml
// with a second strategy whose name is not ASCII and two open labs, one hosting an API (a second
// API provider after the hyperscaler) and one not (no provider), five replicas completed of six
// asked for (replica 3 failed), and values that encode where they belong, so that a reader can
// check every one of them. tests/results/check_results_file.py repeats the formulas below.
#pragma once

#include "outputs/results_file.hpp"
#include "sim/risk.hpp"
#include "sim/scenario_parser.hpp"
#include "sim/statistics.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace baskets::testing {

inline const std::vector<std::uint64_t> sample_replicas{0, 1, 2, 4, 5};
inline constexpr std::uint64_t sample_seed = 7;
inline constexpr std::uint64_t sample_requested = 6;
inline constexpr double sample_step_days = 30.0;
inline const std::string second_strategy = "zwei Körbe (Ü)"; // UTF-8 on purpose
inline const std::string hosted_lab = "Forge API";           // the second API provider

// The value of metric m of strategy s in replica r: exact in binary, distinct everywhere.
inline double sample_value(std::uint64_t r, std::size_t s, std::size_t m) {
  return (100.0 * static_cast<double>(r)) + (10.0 * static_cast<double>(s)) +
         static_cast<double>(m) + 0.5;
}

// The value of provider metric m of provider p in replica r.
inline double sample_provider_value(std::uint64_t r, std::size_t p, std::size_t m) {
  return (1000.0 * static_cast<double>(r)) + (100.0 * static_cast<double>(p)) +
         static_cast<double>(m) + 0.25;
}

// Sample k of entity e of series i (in ReplicaTimeSeries::all() order) in replica r.
inline double sample_series_value(std::size_t i, std::uint64_t r, std::size_t e, std::size_t k) {
  return (1000.0 * static_cast<double>(i)) + (100.0 * static_cast<double>(r)) +
         (10.0 * static_cast<double>(e)) + (0.25 * static_cast<double>(k));
}

struct SampleResults {
  Scenario scenario;
  std::vector<ReplicaResult> replicas;
  std::vector<StrategyRisk> risk;
  TimeSeriesLayout layout;
  std::vector<ReplicaTimeSeries> series;
  RunProvenance provenance;

  // With `with_providers` and `governments` false, the time series have empty entity dimensions
  // (the providers' table keeps its providers).
  SampleResults(const std::string& scenario_path, bool with_providers = true,
                bool governments = true)
      : scenario(load_scenario(scenario_path)) {
    Strategy two = scenario.strategies.front();
    two.name = second_strategy;
    scenario.strategies.push_back(two);
    const std::size_t strategies = scenario.strategies.size();
    OpenLab weights_only;
    weights_only.name = "Weights only";
    OpenLab hosting;
    hosting.name = hosted_lab;
    hosting.hosted_api = HostedApi{};
    scenario.open_labs.push_back(weights_only);
    scenario.open_labs.push_back(hosting);
    const std::size_t providers = provider_names(scenario).size();

    for (const std::uint64_t r : sample_replicas) {
      ReplicaResult result{r, std::vector<StrategyMetrics>(strategies),
                           std::vector<ProviderMetrics>(providers)};
      for (std::size_t s = 0; s < strategies; ++s)
        for (std::size_t m = 0; m < metric_count; ++m)
          result.strategies[s].values[m] = sample_value(r, s, m);
      for (std::size_t p = 0; p < providers; ++p)
        for (std::size_t m = 0; m < provider_metric_count; ++m)
          result.providers[p].values[m] = sample_provider_value(r, p, m);
      replicas.push_back(result);
    }
    risk = assess_risk(replicas, strategies, 30.0);

    layout.step_days = sample_step_days;
    for (double t = sample_step_days; t <= scenario.simulation.horizon_days; t += sample_step_days)
      layout.times.push_back(t);
    for (const Strategy& s : scenario.strategies)
      layout.strategies.push_back(s.name);
    if (with_providers)
      layout.providers = provider_names(scenario);
    if (governments)
      for (const Government& g : scenario.governments)
        layout.governments.push_back(g.name);

    const std::size_t n = layout.samples();
    const std::size_t on_layout = layout.providers.size();
    // In ReplicaTimeSeries::all() order: 3 series over strategies, 5 over providers, 1 alone, 1
    // over governments.
    const std::vector<std::size_t> entities{
        strategies, strategies, strategies, on_layout, on_layout,
        on_layout,  on_layout,  on_layout,  1,         layout.governments.size()};
    for (const std::uint64_t r : sample_replicas) {
      ReplicaTimeSeries one;
      const std::vector<std::vector<double>*> all = one.all();
      if (all.size() != entities.size())
        throw std::logic_error("SampleResults: a series was added: give its entities above");
      for (std::size_t i = 0; i < all.size(); ++i)
        for (std::size_t e = 0; e < entities[i]; ++e)
          for (std::size_t k = 0; k < n; ++k)
            all[i]->push_back(sample_series_value(i, r, e, k));
      series.push_back(std::move(one));
    }

    provenance.command_line = "baskets run valid_base.toml --seed 7 -n 6";
    provenance.started_at = "2024-05-01T12:00:00Z";
    provenance.finished_at = "2024-05-01T12:00:09Z";
    provenance.host = "testhost";
    provenance.seed = sample_seed;
    provenance.replicas_requested = sample_requested;
    provenance.replicas_failed = 1;
    provenance.long_outage_threshold_days = 30.0;
  }

  ResultsToWrite view(bool with_series = true) const {
    ResultsToWrite out;
    out.scenario = &scenario;
    out.provenance = provenance;
    out.replicas = &replicas;
    out.risk = &risk;
    if (with_series) {
      out.series_layout = &layout;
      out.series = &series;
    }
    return out;
  }
};

} // namespace baskets::testing
