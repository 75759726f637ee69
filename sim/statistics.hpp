// Monte Carlo estimates over replicas: the mean of each metric with its standard error, and the
// paired difference of each strategy against the first one (same replica, same random history,
// so the shared noise cancels); the same means for each API provider's metrics.
#pragma once

#include "sim/metrics.hpp"
#include "sim/scenario.hpp"

#include <array>
#include <cstddef>
#include <string>
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

// The values of one metric for one strategy, or for one provider, in replica order.
std::vector<double> column(const std::vector<ReplicaResult>& replicas, std::size_t strategy,
                           Metric metric);
std::vector<double> provider_column(const std::vector<ReplicaResult>& replicas,
                                    std::size_t provider, ProviderMetric metric);

// The strategies, in scenario order: what ReplicaResult::strategies is indexed by.
std::vector<std::string> strategy_names(const Scenario& scenario);

// The API providers, in platform order: hyperscalers, then the open labs that host an API. What
// ReplicaResult::providers is indexed by (and TimeSeriesLayout::providers lists).
std::vector<std::string> provider_names(const Scenario& scenario);

struct ProviderSummary {
  std::array<Estimate, provider_metric_count> metrics;
};

// Throws std::invalid_argument when a replica has not exactly `providers` entries.
std::vector<ProviderSummary> summarise_providers(const std::vector<ReplicaResult>& replicas,
                                                 std::size_t providers);

} // namespace baskets
