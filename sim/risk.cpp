#include "sim/risk.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>

namespace baskets {

namespace {

void require_sample(const std::vector<double>& values, const char* what) {
  if (values.empty())
    throw std::invalid_argument(std::string(what) + ": empty sample");
  if (std::ranges::any_of(values, [](double x) { return std::isnan(x); }))
    throw std::invalid_argument(std::string(what) + ": NaN in the sample");
}

void require_unit(double p, const char* what) {
  // Written so that a NaN level fails too.
  if (!(p >= 0.0 && p <= 1.0))
    throw std::invalid_argument(std::string(what) + ": level outside [0, 1]");
}

// A level times a sample size is meant as a count of observations, but 0.95 * 1000 or
// (1 - 0.99) * 1000 land a few ulps off the integer, and ceil/floor would then move a whole order
// statistic. The tolerance allows relative errors up to 1e-12 in the level, far above rounding and
// far below any level anyone would mean.
double snap_to_count(double x, std::size_t n) {
  const double nearest = std::round(x);
  return std::abs(x - nearest) <= 1e-12 * static_cast<double>(n) ? nearest : x;
}

LossRisk loss_risk(const std::vector<double>& losses) {
  return {value_at_risk(losses, 0.95), value_at_risk(losses, 0.99),
          conditional_value_at_risk(losses, 0.95), conditional_value_at_risk(losses, 0.99)};
}

} // namespace

double sample_quantile(std::vector<double> values, double p) {
  require_sample(values, "sample_quantile");
  require_unit(p, "sample_quantile");
  const std::size_t n = values.size();
  const double h = static_cast<double>(n - 1) * p;
  const auto low = std::min(static_cast<std::size_t>(std::floor(h)), n - 1);
  const double fraction = h - static_cast<double>(low);
  // Only the two order statistics around h matter: nth_element places the lower one, and the
  // upper one is the smallest of what lies above it.
  std::ranges::nth_element(values, values.begin() + static_cast<std::ptrdiff_t>(low));
  const double below = values[low];
  if (low + 1 == n || fraction == 0.0)
    return below;
  const double above =
      *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(low) + 1, values.end());
  return below + fraction * (above - below);
}

double value_at_risk(const std::vector<double>& losses, double alpha) {
  require_sample(losses, "value_at_risk");
  require_unit(alpha, "value_at_risk");
  const std::size_t n = losses.size();
  // 1-based rank ceil(alpha n); at alpha n = 0 every loss qualifies and the smallest is taken.
  const double rank = std::ceil(snap_to_count(alpha * static_cast<double>(n), n));
  const auto index = std::clamp(static_cast<std::size_t>(rank), std::size_t{1}, n) - 1;
  std::vector<double> sorted = losses;
  std::ranges::nth_element(sorted, sorted.begin() + static_cast<std::ptrdiff_t>(index));
  return sorted[index];
}

double conditional_value_at_risk(const std::vector<double>& losses, double alpha) {
  require_sample(losses, "conditional_value_at_risk");
  require_unit(alpha, "conditional_value_at_risk");
  const std::size_t n = losses.size();
  const double tail = snap_to_count((1.0 - alpha) * static_cast<double>(n), n);
  // An empty tail (alpha = 1, or alpha within rounding of it): the limit is the worst loss.
  if (tail == 0.0)
    return std::ranges::max(losses);
  const auto whole = std::min(static_cast<std::size_t>(std::floor(tail)), n);
  // The whole atoms in the tail plus the boundary one, largest first.
  const std::size_t needed = std::min(whole + 1, n);
  std::vector<double> sorted = losses;
  std::ranges::partial_sort(sorted, sorted.begin() + static_cast<std::ptrdiff_t>(needed),
                            std::greater<>{});
  double sum = 0.0;
  for (std::size_t i = 0; i < whole; ++i)
    sum += sorted[i];
  if (whole < n)
    sum += (tail - static_cast<double>(whole)) * sorted[whole];
  return sum / tail;
}

Interval confidence_interval(const Estimate& e, double level) {
  if (!(level > 0.0 && level < 1.0))
    throw std::invalid_argument("confidence_interval: level outside (0, 1)");
  if (e.samples < 2)
    return {e.mean, e.mean};
  const boost::math::students_t t(static_cast<double>(e.samples - 1));
  // The complement keeps the upper quantile accurate for levels close to 1.
  const double multiplier = boost::math::quantile(boost::math::complement(t, (1.0 - level) / 2.0));
  const double half_width = multiplier * e.standard_error;
  return {e.mean - half_width, e.mean + half_width};
}

std::vector<StrategyRisk> assess_risk(const std::vector<ReplicaResult>& replicas,
                                      std::size_t strategies, double long_outage_threshold_days) {
  if (strategies == 0)
    return {};
  if (replicas.empty())
    throw std::invalid_argument("assess_risk: no replicas");
  for (const ReplicaResult& r : replicas)
    if (r.strategies.size() < strategies)
      throw std::invalid_argument("assess_risk: replica " + std::to_string(r.replica) +
                                  " reports fewer strategies than asked for");

  const auto n = static_cast<double>(replicas.size());
  std::vector<StrategyRisk> risks(strategies);
  for (std::size_t s = 0; s < strategies; ++s) {
    StrategyRisk& risk = risks[s];
    for (std::size_t m = 0; m < metric_count; ++m) {
      const auto metric = static_cast<Metric>(m);
      const std::vector<double> values = column(replicas, s, metric);
      const std::vector<double> baseline = column(replicas, 0, metric);

      MetricRisk& own = risk.metrics[m];
      own.estimate = estimate(values);
      own.ci95 = confidence_interval(own.estimate);
      own.p5 = sample_quantile(values, 0.05);
      own.p50 = sample_quantile(values, 0.50);
      own.p95 = sample_quantile(values, 0.95);
      own.p99 = sample_quantile(values, 0.99);

      std::vector<double> differences(values.size());
      std::size_t better = 0;
      const bool higher_is_better = metric_info[m].higher_is_better;
      for (std::size_t i = 0; i < values.size(); ++i) {
        differences[i] = values[i] - baseline[i];
        if (higher_is_better ? values[i] > baseline[i] : values[i] < baseline[i])
          ++better;
      }
      PairedRisk& paired = risk.paired[m];
      paired.difference = estimate(differences);
      paired.ci95 = confidence_interval(paired.difference);
      paired.probability_better = static_cast<double>(better) / n;
    }

    std::vector<double> unserved = column(replicas, s, Metric::served_share);
    for (double& x : unserved)
      x = 1.0 - x;
    risk.unserved_share_loss = loss_risk(unserved);
    risk.cost_loss = loss_risk(column(replicas, s, Metric::cost_total));

    const std::vector<double> longest = column(replicas, s, Metric::longest_outage_days);
    const auto long_outages = std::ranges::count_if(
        longest, [&](double days) { return days > long_outage_threshold_days; });
    risk.probability_long_outage = static_cast<double>(long_outages) / n;
  }
  return risks;
}

} // namespace baskets
