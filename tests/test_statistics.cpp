#include "sim/statistics.hpp"

#include <catch2/catch.hpp>

using namespace baskets;

TEST_CASE("statistics: mean and standard error of known samples", "[statistics]") {
  const Estimate e = estimate({1.0, 2.0, 3.0, 4.0});
  REQUIRE(e.mean == Approx(2.5));
  // Sample variance 5/3; standard error sqrt(5/3 / 4).
  REQUIRE(e.standard_error == Approx(std::sqrt(5.0 / 12.0)));
  REQUIRE(e.samples == 4);
  REQUIRE(estimate({7.0}).standard_error == 0.0);
  REQUIRE(estimate({}).samples == 0);
}

TEST_CASE("statistics: the paired difference cancels the noise strategies share", "[statistics]") {
  // Strategy 1 is strategy 0 plus exactly 0.1 in every replica: the paired difference has no
  // spread at all, while each strategy's own mean does.
  std::vector<ReplicaResult> replicas;
  for (int r = 0; r < 10; ++r) {
    ReplicaResult result{static_cast<std::uint64_t>(r), std::vector<StrategyMetrics>(2)};
    result.strategies[0][Metric::served_share] = 0.5 + 0.04 * r;
    result.strategies[1][Metric::served_share] = 0.6 + 0.04 * r;
    replicas.push_back(result);
  }
  const auto summary = summarise(replicas, 2);
  const auto served = static_cast<std::size_t>(Metric::served_share);
  REQUIRE(summary[1].paired_difference[served].mean == Approx(0.1));
  REQUIRE(summary[1].paired_difference[served].standard_error == Approx(0.0).margin(1e-12));
  REQUIRE(summary[1].metrics[served].standard_error > 0.01);
  REQUIRE(summary[0].paired_difference[served].mean == 0.0);
}
