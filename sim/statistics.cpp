#include "sim/statistics.hpp"

#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/mean.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <boost/accumulators/statistics/variance.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace baskets {

namespace acc = boost::accumulators;

Estimate estimate(const std::vector<double>& samples) {
  acc::accumulator_set<double, acc::stats<acc::tag::mean, acc::tag::variance>> stats;
  for (const double x : samples)
    stats(x);
  const std::size_t n = samples.size();
  Estimate e;
  e.samples = n;
  if (n == 0)
    return e;
  e.mean = acc::mean(stats);
  if (n > 1) {
    // Boost gives the population variance; the sample variance divides by n - 1.
    const double sample_variance = acc::variance(stats) * static_cast<double>(n) / (n - 1.0);
    e.standard_error = std::sqrt(std::max(sample_variance, 0.0) / static_cast<double>(n));
  }
  return e;
}

namespace {

template <typename Pick>
std::vector<double> per_replica(const std::vector<ReplicaResult>& replicas, Pick pick) {
  std::vector<double> values;
  values.reserve(replicas.size());
  for (const ReplicaResult& r : replicas)
    values.push_back(pick(r));
  return values;
}

} // namespace

std::vector<double> column(const std::vector<ReplicaResult>& replicas, std::size_t strategy,
                           Metric metric) {
  return per_replica(replicas,
                     [&](const ReplicaResult& r) { return r.strategies[strategy][metric]; });
}

std::vector<double> provider_column(const std::vector<ReplicaResult>& replicas,
                                    std::size_t provider, ProviderMetric metric) {
  return per_replica(replicas,
                     [&](const ReplicaResult& r) { return r.providers[provider][metric]; });
}

std::vector<StrategySummary> summarise(const std::vector<ReplicaResult>& replicas,
                                       std::size_t strategies) {
  std::vector<StrategySummary> summaries(strategies);
  for (std::size_t s = 0; s < strategies; ++s) {
    for (std::size_t m = 0; m < metric_count; ++m) {
      const auto metric = static_cast<Metric>(m);
      const std::vector<double> values = column(replicas, s, metric);
      const std::vector<double> baseline = column(replicas, 0, metric);
      std::vector<double> differences(values.size());
      for (std::size_t i = 0; i < values.size(); ++i)
        differences[i] = values[i] - baseline[i];
      summaries[s].metrics[m] = estimate(values);
      summaries[s].paired_difference[m] = estimate(differences);
    }
  }
  return summaries;
}

std::vector<std::string> strategy_names(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const Strategy& s : scenario.strategies)
    names.push_back(s.name);
  return names;
}

std::vector<std::string> provider_names(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const Hyperscaler& h : scenario.hyperscalers)
    names.push_back(h.name);
  for (const OpenLab& l : scenario.open_labs)
    if (l.hosted_api)
      names.push_back(l.name);
  return names;
}

std::vector<ProviderSummary> summarise_providers(const std::vector<ReplicaResult>& replicas,
                                                 std::size_t providers) {
  for (const ReplicaResult& r : replicas)
    if (r.providers.size() != providers)
      throw std::invalid_argument("summarise_providers: replica " + std::to_string(r.replica) +
                                  " reports " + std::to_string(r.providers.size()) +
                                  " providers, not " + std::to_string(providers));
  std::vector<ProviderSummary> summaries(providers);
  for (std::size_t p = 0; p < providers; ++p)
    for (std::size_t m = 0; m < provider_metric_count; ++m)
      summaries[p].metrics[m] =
          estimate(provider_column(replicas, p, static_cast<ProviderMetric>(m)));
  return summaries;
}

} // namespace baskets
