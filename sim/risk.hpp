// Risk statistics over Monte Carlo replicas: beyond the mean and its standard error, how bad the
// tail of each strategy's outcome distribution is (quantiles, value-at-risk, conditional
// value-at-risk, the chance of a long outage) and how often a strategy beats the first one in the
// same replica. Everything here is a statistic of the empirical distribution over replicas.
#pragma once

#include "sim/metrics.hpp"
#include "sim/statistics.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace baskets {

// The p-quantile of a sample, p in [0, 1], interpolating linearly between order statistics: with
// x sorted ascending and h = (n - 1) p, Q(p) = x[floor h] + (h - floor h) (x[floor h + 1] -
// x[floor h]) ("type 7", the R and numpy default). Throws std::invalid_argument on an empty
// sample, a NaN in it, or p outside [0, 1].
double sample_quantile(std::vector<double> values, double p);

// Value-at-risk of a loss sample (larger is worse) at level alpha in [0, 1]: the smallest loss l
// with empirical P(L <= l) >= alpha, i.e. the order statistic L_(ceil(alpha n)) (ascending,
// 1-based; the smallest loss when alpha n rounds to 0). No interpolation: the VaR is always a loss
// that occurred. alpha n within rounding of an integer counts as that integer, so that 0.95 * 1000
// means 950 rather than 950.0000000000001. Throws std::invalid_argument on an empty sample, a NaN
// in it, or alpha outside [0, 1].
double value_at_risk(const std::vector<double>& losses, double alpha);

// Conditional value-at-risk (expected shortfall) of a loss sample at level alpha in [0, 1]: the
// mean of the worst (1 - alpha) fraction of the empirical distribution, the atom at the boundary
// counted fractionally (Rockafellar-Uryasev, Acerbi-Tasche). With m = (1 - alpha) n, k = floor m
// and the losses sorted descending, CVaR = (sum of the k largest + (m - k) * the (k+1)-th largest)
// / m. It equals min_t { t + E[(L - t)+] / (1 - alpha) }, is never below the VaR, is the mean at
// alpha = 0 and, as its limit, the largest loss at alpha = 1. m within rounding of an integer
// counts as that integer. Throws like value_at_risk.
double conditional_value_at_risk(const std::vector<double>& losses, double alpha);

struct Interval {
  double low = 0.0;
  double high = 0.0;
};

// The two-sided Student t confidence interval for the mean, mean -/+ t_{n-1, (1+level)/2} * SE.
// With fewer than two samples there is no spread to go by and the interval is {mean, mean}. Throws
// std::invalid_argument for level outside (0, 1).
Interval confidence_interval(const Estimate& e, double level = 0.95);

struct MetricRisk {
  Estimate estimate; // mean, standard error, samples
  Interval ci95;
  double p5 = 0.0, p50 = 0.0, p95 = 0.0, p99 = 0.0; // sample quantiles (type 7)
};

struct LossRisk {
  double var95 = 0.0, var99 = 0.0, cvar95 = 0.0, cvar99 = 0.0;
};

struct PairedRisk { // this strategy minus the first one, replica by replica
  Estimate difference;
  Interval ci95;
  // The fraction of replicas in which this strategy does strictly better than the first on the
  // metric, "better" read from metric_info's higher_is_better; ties count as not better.
  double probability_better = 0.0;
};

struct StrategyRisk {
  std::array<MetricRisk, metric_count> metrics;
  LossRisk unserved_share_loss; // loss = 1 - served_share
  LossRisk cost_loss;           // loss = cost_total
  // The fraction of replicas whose longest_outage_days is strictly above the threshold.
  double probability_long_outage = 0.0;
  // Against strategy 0; for strategy 0 itself the difference is 0 and probability_better 0.
  std::array<PairedRisk, metric_count> paired;
};

// The risk summary of each of the first `strategies` strategies over the replicas. Throws
// std::invalid_argument when there are strategies to assess but no replicas, or a replica reports
// fewer strategies than asked for.
std::vector<StrategyRisk> assess_risk(const std::vector<ReplicaResult>& replicas,
                                      std::size_t strategies, double long_outage_threshold_days);

} // namespace baskets
