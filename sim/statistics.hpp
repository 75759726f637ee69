// Monte Carlo estimates over replicas: the mean of each metric with its standard error, and the
// paired difference of each strategy against the first one (same replica, same random history,
// so the shared noise cancels).
#pragma once

#include "sim/metrics.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace baskets {

struct Estimate {
  double mean = 0.0;
  double standard_error = 0.0; // of the mean; 0 with fewer than two samples
  std::size_t samples = 0;
};

Estimate estimate(const std::vector<double>& samples);

struct StrategySummary {
  std::array<Estimate, metric_count> metrics;
  std::array<Estimate, metric_count> paired_difference; // this strategy minus the first
};

std::vector<StrategySummary> summarise(const std::vector<ReplicaResult>& replicas,
                                       std::size_t strategies);

// The values of one metric for one strategy, in replica order.
std::vector<double> column(const std::vector<ReplicaResult>& replicas, std::size_t strategy,
                           Metric metric);

} // namespace baskets
