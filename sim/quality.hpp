// Model quality relative to the frontier. Frontier capability doubles every D days, so a model
// with the frontier's quality of day q has, on day t, relative quality 2^(-(t - q) / D).
#pragma once

#include <cmath>

namespace baskets {

struct ModelQuality {
  // Either the model follows the frontier at a fixed lag (a hyperscaler's API), or its quality is
  // that of a fixed frontier day (a release of open weights).
  bool follows_frontier = true;
  double lag_days = 0.0;    // when it follows the frontier
  double quality_day = 0.0; // when it is a fixed release

  static ModelQuality following(double lag) { return {true, lag, 0.0}; }
  static ModelQuality release(double day) { return {false, 0.0, day}; }

  // Mean relative quality over [t1, t2] (days from the replica's start), work spread evenly.
  double mean_relative(double t1, double t2, double doubling_days) const {
    const double k = std::log(2.0) / doubling_days;
    if (follows_frontier)
      return std::exp(-k * lag_days);
    const double age1 = t1 - quality_day;
    if (t2 - t1 < 1e-12)
      return std::exp(-k * age1);
    return (std::exp(-k * age1) - std::exp(-k * (t2 - quality_day))) / (k * (t2 - t1));
  }
};

} // namespace baskets
