// How much each swept parameter moves a response. Pure functions over the points of a sweep
// design (sim/sweep_design.hpp) and the response measured at each point.
#pragma once

#include <cstddef>
#include <vector>

namespace baskets {

// Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average rank.
// It measures a monotone effect whatever its shape, and a few extreme responses cannot dominate
// it. NaN with fewer than 3 pairs, when either side is constant, or when any value is NaN (NaN has
// no rank). Throws std::invalid_argument when the sizes differ.
double spearman_correlation(const std::vector<double>& x, const std::vector<double>& y);

// One-at-a-time main effect, for designs that repeat each level (a full factorial): the responses
// grouped by the distinct values of x, the spread (max - min) of the group means. NaN with fewer
// than 2 distinct levels or a NaN among x. Throws std::invalid_argument when the sizes differ.
double main_effect_range(const std::vector<double>& x, const std::vector<double>& y);

struct SobolIndices {
  double first_order = 0; // share of the variance due to the parameter alone
  double total = 0;       // ... due to the parameter alone or with others
};

// Variance-based indices from the responses y on saltelli_design(ranges, base, seed) with
// `parameters` ranges, in that design's row order (y.size() == base (parameters + 2)). First order
// by Saltelli et al. (2010) on the centred response: S_i = mean((f_B - m) (f_ABi - f_A)) / V, m the
// mean of f_A and f_B (the indices of f - m are those of f); total by Jansen (1999):
// ST_i = mean((f_A - f_ABi)^2) / (2 V); V is the variance (divisor 2 base) of the 2 base values
// f_A and f_B together. Indices are NaN when V == 0. Estimates, not exact: first order may come
// out slightly negative, or above the total. Throws std::invalid_argument when y's size does not
// match, or base or parameters is zero.
std::vector<SobolIndices> sobol_indices(const std::vector<double>& y, std::size_t base,
                                        std::size_t parameters);

} // namespace baskets
