#include "sim/statistics.hpp"

#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/mean.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <boost/accumulators/statistics/variance.hpp>

#include <cmath>

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

std::vector<double> column(const std::vector<ReplicaResult>& replicas, std::size_t strategy,
                           Metric metric) {
  std::vector<double> values;
  values.reserve(replicas.size());
  for (const ReplicaResult& r : replicas)
    values.push_back(r.strategies[strategy][metric]);
  return values;
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

} // namespace baskets
