#include "sim/risk.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <random>
#include <stdexcept>

using namespace baskets;

namespace {

std::vector<double> lognormal_sample(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::lognormal_distribution<double> draw(0.0, 1.0);
  std::vector<double> values(n);
  for (double& x : values)
    x = draw(engine);
  return values;
}

// The VaR straight from its definition: walk the sorted losses until the empirical distribution
// function reaches alpha.
double naive_var(std::vector<double> losses, double alpha) {
  std::ranges::sort(losses);
  const auto n = static_cast<double>(losses.size());
  for (std::size_t i = 0; i < losses.size(); ++i)
    if (static_cast<double>(i + 1) / n >= alpha)
      return losses[i];
  return losses.back();
}

// CVaR as the integral of the quantile function over [alpha, 1], divided by 1 - alpha: the i-th
// smallest loss (1-based) is the quantile on ((i-1)/n, i/n], so it weighs by the overlap of that
// interval with [alpha, 1]. Independent of the tail-count formula in risk.cpp.
double integral_cvar(std::vector<double> losses, double alpha) {
  std::ranges::sort(losses);
  const auto n = static_cast<double>(losses.size());
  double integral = 0.0;
  for (std::size_t i = 0; i < losses.size(); ++i) {
    const double from = std::max(static_cast<double>(i) / n, alpha);
    const double to = static_cast<double>(i + 1) / n;
    if (to > from)
      integral += (to - from) * losses[i];
  }
  return integral / (1.0 - alpha);
}

// CVaR as Rockafellar-Uryasev's minimum, t + E[(L - t)+] / (1 - alpha), which the VaR attains.
double rockafellar_uryasev_cvar(const std::vector<double>& losses, double alpha) {
  const double t = naive_var(losses, alpha);
  double excess = 0.0;
  for (const double x : losses)
    excess += std::max(x - t, 0.0);
  return t + excess / static_cast<double>(losses.size()) / (1.0 - alpha);
}

} // namespace

TEST_CASE("risk: sample quantiles interpolate between order statistics", "[risk]") {
  const std::vector<double> four{4.0, 1.0, 3.0, 2.0}; // unsorted on purpose
  REQUIRE(sample_quantile(four, 0.5) == 2.5);
  REQUIRE(sample_quantile(four, 0.0) == 1.0);
  REQUIRE(sample_quantile(four, 1.0) == 4.0);
  // h = 3 * 0.25 = 0.75: three quarters of the way from 1 to 2.
  REQUIRE(sample_quantile(four, 0.25) == Approx(1.75).epsilon(1e-15));

  std::vector<double> hundred(100);
  std::iota(hundred.begin(), hundred.end(), 1.0);
  std::ranges::shuffle(hundred, std::mt19937_64(7));
  // h = 99 * 0.95 = 94.05: between the 95th value (95) and the 96th (96).
  REQUIRE(sample_quantile(hundred, 0.95) == Approx(95.05).epsilon(1e-14));
  REQUIRE(sample_quantile(hundred, 0.05) == Approx(5.95).epsilon(1e-14));
  REQUIRE(sample_quantile({3.5}, 0.3) == 3.5);

  REQUIRE_THROWS_AS(sample_quantile({}, 0.5), std::invalid_argument);
  REQUIRE_THROWS_AS(sample_quantile(four, -0.01), std::invalid_argument);
  REQUIRE_THROWS_AS(sample_quantile(four, 1.01), std::invalid_argument);
  REQUIRE_THROWS_AS(sample_quantile({1.0, std::nan("")}, 0.5), std::invalid_argument);
}

TEST_CASE("risk: two-point losses give the closed-form VaR and CVaR", "[risk]") {
  // Loss c with probability p, 0 otherwise, exactly p n losses equal to c.
  constexpr std::size_t n = 1000;
  constexpr double p = 0.02;
  constexpr double c = 7.5;
  std::vector<double> losses(n, 0.0);
  std::fill_n(losses.begin(), static_cast<std::size_t>(p * n), c);
  std::ranges::shuffle(losses, std::mt19937_64(20240601));

  // p < 1 - alpha: the tail holds all the c atoms and some zeros, CVaR = p c / (1 - alpha).
  REQUIRE(value_at_risk(losses, 0.95) == 0.0);
  REQUIRE(conditional_value_at_risk(losses, 0.95) == Approx(p * c / (1.0 - 0.95)).epsilon(1e-12));
  REQUIRE(conditional_value_at_risk(losses, 0.95) == Approx(3.0).epsilon(1e-12));
  // p > 1 - alpha: the tail lies wholly inside the c atom.
  REQUIRE(value_at_risk(losses, 0.99) == c);
  REQUIRE(conditional_value_at_risk(losses, 0.99) == Approx(c).epsilon(1e-12));
  // At alpha = 1 - p exactly the VaR is still 0 (P(L <= 0) = 0.98 reaches alpha) and the CVaR is c.
  REQUIRE(value_at_risk(losses, 0.98) == 0.0);
  REQUIRE(conditional_value_at_risk(losses, 0.98) == Approx(c).epsilon(1e-12));
  // The limits: the mean at alpha = 0, the worst loss at alpha = 1.
  REQUIRE(conditional_value_at_risk(losses, 0.0) == Approx(p * c).epsilon(1e-12));
  REQUIRE(conditional_value_at_risk(losses, 1.0) == c);
  REQUIRE(value_at_risk(losses, 0.0) == 0.0);
  REQUIRE(value_at_risk(losses, 1.0) == c);
}

TEST_CASE("risk: VaR and CVaR match a naive sorted-sample computation", "[risk]") {
  const std::vector<double> losses = lognormal_sample(10'000, 42);
  std::vector<double> descending = losses;
  std::ranges::sort(descending, std::greater<>{});

  for (const double alpha : {0.9, 0.95, 0.99, 0.999}) {
    INFO("alpha " << alpha);
    // (1 - alpha) n is an integer, so the CVaR is the plain mean of that many largest losses.
    const auto tail = static_cast<std::size_t>(std::llround((1.0 - alpha) * 10'000));
    const double top_mean =
        std::accumulate(descending.begin(), descending.begin() + static_cast<std::ptrdiff_t>(tail),
                        0.0) /
        static_cast<double>(tail);
    const double cvar = conditional_value_at_risk(losses, alpha);
    REQUIRE(cvar == Approx(top_mean).epsilon(1e-12));
    const double var = value_at_risk(losses, alpha);
    REQUIRE(var == naive_var(losses, alpha));
    // The boundary atom: the largest loss not in the tail.
    REQUIRE(var == descending[tail]);
    REQUIRE(cvar >= var);
  }
}

TEST_CASE("risk: CVaR with a fractional tail count matches independent formulas", "[risk]") {
  for (const std::size_t n : {1u, 7u, 123u, 1001u}) {
    const std::vector<double> losses = lognormal_sample(n, 1000 + n);
    for (const double alpha : {0.0, 0.5, 0.9, 0.95, 0.975, 0.99}) {
      INFO("n " << n << ", alpha " << alpha);
      const double cvar = conditional_value_at_risk(losses, alpha);
      REQUIRE(cvar == Approx(integral_cvar(losses, alpha)).epsilon(1e-12));
      REQUIRE(cvar == Approx(rockafellar_uryasev_cvar(losses, alpha)).epsilon(1e-12));
      REQUIRE(value_at_risk(losses, alpha) == naive_var(losses, alpha));
      REQUIRE(cvar >= value_at_risk(losses, alpha));
    }
  }
  // A hand-computed case: 5 losses at alpha = 0.7, tail 1.5 = the largest plus half the next.
  const std::vector<double> five{1.0, 5.0, 2.0, 4.0, 3.0};
  REQUIRE(conditional_value_at_risk(five, 0.7) == Approx((5.0 + 0.5 * 4.0) / 1.5).epsilon(1e-14));
  REQUIRE(value_at_risk(five, 0.7) == 4.0); // rank ceil(3.5) = 4

  // Levels whose product with n rounds to just above an integer must not move the VaR a whole
  // order statistic up: in doubles 0.07 * 100 is 7.000000000000001, yet P(L <= 7) = 0.07 exactly.
  std::vector<double> hundred(100);
  std::iota(hundred.begin(), hundred.end(), 1.0);
  std::ranges::shuffle(hundred, std::mt19937_64(11));
  REQUIRE(0.07 * 100.0 > 7.0);
  REQUIRE(value_at_risk(hundred, 0.07) == 7.0);
  for (int k = 1; k < 100; ++k) {
    const double alpha = k / 100.0;
    INFO("alpha " << alpha);
    REQUIRE(value_at_risk(hundred, alpha) == static_cast<double>(k));
  }

  REQUIRE_THROWS_AS(value_at_risk({}, 0.95), std::invalid_argument);
  REQUIRE_THROWS_AS(conditional_value_at_risk({}, 0.95), std::invalid_argument);
  REQUIRE_THROWS_AS(conditional_value_at_risk(five, 1.5), std::invalid_argument);
  REQUIRE_THROWS_AS(value_at_risk(five, -0.5), std::invalid_argument);
}

TEST_CASE("risk: confidence intervals use the Student t quantile", "[risk]") {
  const Interval large = confidence_interval({10.0, 0.5, 1'000'000});
  REQUIRE((large.high - large.low) / 2.0 / 0.5 == Approx(1.959964).epsilon(1e-5));
  REQUIRE((large.low + large.high) / 2.0 == Approx(10.0));

  // Four degrees of freedom: t_{4, 0.975} = 2.776445.
  const Interval five = confidence_interval({-1.0, 2.0, 5});
  REQUIRE((five.high - five.low) / 2.0 / 2.0 == Approx(2.776445).margin(1e-3));
  REQUIRE(five.high - five.low == Approx(2.0 * 2.0 * 2.776445).epsilon(1e-6));
  REQUIRE(five.low == Approx(-1.0 - 2.0 * 2.776445).epsilon(1e-6));

  const Interval ninety_nine = confidence_interval({0.0, 1.0, 1'000'000}, 0.99);
  REQUIRE(ninety_nine.high == Approx(2.575829).epsilon(1e-5));

  const Interval single = confidence_interval({3.0, 0.0, 1});
  REQUIRE(single.low == 3.0);
  REQUIRE(single.high == 3.0);
  REQUIRE_THROWS_AS(confidence_interval({0.0, 1.0, 10}, 1.0), std::invalid_argument);
}

TEST_CASE("risk: assess_risk compares strategies replica by replica", "[risk]") {
  // Strategy 1 serves more than strategy 0 in 6 replicas, the same in 2 and less in 2; it costs
  // less in 3 replicas, the same in 1 and more in 6. Different counts, so a flipped sign for
  // either metric shows.
  const std::vector<double> served0{0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9};
  const std::vector<double> served1{0.95, 0.92, 0.91, 0.99, 0.93, 0.94, 0.9, 0.9, 0.8, 0.7};
  const std::vector<double> cost0{10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
  const std::vector<double> cost1{8, 9, 9.5, 10, 11, 12, 13, 14, 15, 30};
  // Longest outages; the threshold is 7 days and a 7-day outage is not above it.
  const std::vector<double> longest0{0, 0, 7, 8, 0, 0, 0, 0, 0, 20};
  const std::vector<double> longest1{0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  std::vector<ReplicaResult> replicas;
  for (std::size_t r = 0; r < served0.size(); ++r) {
    ReplicaResult result{r, std::vector<StrategyMetrics>(2), {}};
    result.strategies[0][Metric::served_share] = served0[r];
    result.strategies[1][Metric::served_share] = served1[r];
    result.strategies[0][Metric::cost_total] = cost0[r];
    result.strategies[1][Metric::cost_total] = cost1[r];
    result.strategies[0][Metric::longest_outage_days] = longest0[r];
    result.strategies[1][Metric::longest_outage_days] = longest1[r];
    replicas.push_back(result);
  }

  const std::vector<StrategyRisk> risks = assess_risk(replicas, 2, 7.0);
  REQUIRE(risks.size() == 2);
  const auto served = static_cast<std::size_t>(Metric::served_share);
  const auto cost = static_cast<std::size_t>(Metric::cost_total);

  REQUIRE(risks[1].paired[served].probability_better == Approx(0.6));
  REQUIRE(risks[1].paired[cost].probability_better == Approx(0.3));
  REQUIRE(risks[0].paired[served].probability_better == 0.0);
  REQUIRE(risks[0].paired[cost].difference.mean == 0.0);
  REQUIRE(risks[0].paired[cost].difference.samples == 10);
  // Mean of cost1 is 131.5 / 10, so the paired difference is 3.15 above strategy 0.
  REQUIRE(risks[1].paired[cost].difference.mean == Approx(3.15));
  REQUIRE(risks[1].paired[cost].ci95.low < 3.15);
  REQUIRE(risks[1].paired[cost].ci95.high > 3.15);

  REQUIRE(risks[0].probability_long_outage == Approx(0.2));
  REQUIRE(risks[1].probability_long_outage == 0.0);

  // Ten replicas put a 5% or 1% tail inside the single worst one: all four are the worst loss,
  // which is 1 - 0.7 for the unserved share (0.99 if served_share itself were taken as the loss).
  const LossRisk& unserved = risks[1].unserved_share_loss;
  REQUIRE(unserved.var95 == Approx(0.3));
  REQUIRE(unserved.var99 == Approx(0.3));
  REQUIRE(unserved.cvar95 == Approx(0.3));
  REQUIRE(unserved.cvar99 == Approx(0.3));
  REQUIRE(risks[0].unserved_share_loss.cvar95 == Approx(0.1));
  REQUIRE(risks[1].cost_loss.var95 == 30.0);
  REQUIRE(risks[1].cost_loss.cvar99 == 30.0);
  REQUIRE(risks[0].cost_loss.cvar95 == 10.0);

  const MetricRisk& cost1_risk = risks[1].metrics[cost];
  REQUIRE(cost1_risk.estimate.mean == Approx(13.15));
  REQUIRE(cost1_risk.p50 == Approx(11.5));  // between the 5th (11) and 6th (12) sorted values
  REQUIRE(cost1_risk.p5 == Approx(8.45));   // h = 0.45: 8 + 0.45 * (9 - 8)
  REQUIRE(cost1_risk.p99 == Approx(28.65)); // h = 8.91: 15 + 0.91 * (30 - 15)
  REQUIRE(cost1_risk.ci95.low < 13.15);
  REQUIRE(cost1_risk.ci95.high > 13.15);

  REQUIRE(assess_risk(replicas, 0, 7.0).empty());
  REQUIRE_THROWS_AS(assess_risk({}, 2, 7.0), std::invalid_argument);
  REQUIRE_THROWS_AS(assess_risk(replicas, 3, 7.0), std::invalid_argument);
}
