#include "sim/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

namespace baskets {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

void check_sizes(const std::vector<double>& x, const std::vector<double>& y, const char* what) {
  if (x.size() != y.size())
    throw std::invalid_argument(std::string(what) + ": " + std::to_string(x.size()) +
                                " parameter values but " + std::to_string(y.size()) + " responses");
}

bool any_nan(const std::vector<double>& values) {
  return std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
}

// 1-based ranks, tied values sharing the mean of the ranks they span.
std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first + 1;
    while (last < order.size() && values[order[last]] == values[order[first]])
      ++last;
    // Ranks first+1 .. last (1-based) have this mean.
    const double rank = 0.5 * static_cast<double>(first + 1 + last);
    for (std::size_t k = first; k < last; ++k)
      ranks[order[k]] = rank;
    first = last;
  }
  return ranks;
}

} // namespace

double spearman_correlation(const std::vector<double>& x, const std::vector<double>& y) {
  check_sizes(x, y, "spearman_correlation");
  if (x.size() < 3 || any_nan(x) || any_nan(y))
    return not_a_number;
  const std::vector<double> rx = average_ranks(x);
  const std::vector<double> ry = average_ranks(y);
  // Both rank vectors have mean (n + 1) / 2; Pearson's formula rather than 1 - 6 sum d^2 / ...,
  // which is exact only without ties.
  const double centre = 0.5 * static_cast<double>(x.size() + 1);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double dx = rx[k] - centre;
    const double dy = ry[k] - centre;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx == 0 || syy == 0)
    return not_a_number;
  // Rounding may carry a perfect correlation a hair past 1.
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

double main_effect_range(const std::vector<double>& x, const std::vector<double>& y) {
  check_sizes(x, y, "main_effect_range");
  if (any_nan(x))
    return not_a_number;
  // Exact equality groups the levels: a factorial design repeats each level bit for bit.
  std::map<double, std::pair<double, std::size_t>> groups; // level -> (sum, count)
  for (std::size_t k = 0; k < x.size(); ++k) {
    auto& [sum, count] = groups[x[k]];
    sum += y[k];
    ++count;
  }
  if (groups.size() < 2)
    return not_a_number;
  double lowest = std::numeric_limits<double>::infinity();
  double highest = -std::numeric_limits<double>::infinity();
  for (const auto& [level, group] : groups) {
    const double group_mean = group.first / static_cast<double>(group.second);
    if (std::isnan(group_mean))
      return not_a_number;
    lowest = std::min(lowest, group_mean);
    highest = std::max(highest, group_mean);
  }
  return highest - lowest;
}

std::vector<SobolIndices> sobol_indices(const std::vector<double>& y, std::size_t base,
                                        std::size_t parameters) {
  if (base == 0 || parameters == 0)
    throw std::invalid_argument("sobol_indices: base and parameters must be at least 1");
  if (parameters + 2 > std::numeric_limits<std::size_t>::max() / base ||
      y.size() != base * (parameters + 2))
    throw std::invalid_argument("sobol_indices: " + std::to_string(y.size()) +
                                " responses, a Saltelli design of " + std::to_string(base) +
                                " base points and " + std::to_string(parameters) +
                                " parameters has base (parameters + 2)");
  const double* const f_a = y.data();
  const double* const f_b = f_a + base;
  const double n = static_cast<double>(base);

  // Two passes (mean, then squares) rather than sum of squares minus squared sum, which cancels
  // badly when the responses sit far from zero.
  double centre = 0;
  for (std::size_t k = 0; k < 2 * base; ++k)
    centre += f_a[k];
  centre /= 2 * n;
  double variance = 0;
  for (std::size_t k = 0; k < 2 * base; ++k)
    variance += (f_a[k] - centre) * (f_a[k] - centre);
  variance /= 2 * n;

  std::vector<SobolIndices> indices(parameters);
  for (std::size_t i = 0; i < parameters; ++i) {
    const double* const f_ab = f_b + (i + 1) * base;
    double first = 0, total = 0;
    for (std::size_t k = 0; k < base; ++k) {
      const double step = f_ab[k] - f_a[k];
      // f_B less the mean: Sobol indices of f and f - c are the same, and without the centring
      // the estimator's variance grows with the square of the response's offset from zero (a
      // cost in millions, a share near 1).
      first += (f_b[k] - centre) * step;
      total += step * step;
    }
    if (variance == 0) {
      indices[i] = {not_a_number, not_a_number};
    } else {
      indices[i] = {first / n / variance, total / n / (2 * variance)};
    }
  }
  return indices;
}

} // namespace baskets
