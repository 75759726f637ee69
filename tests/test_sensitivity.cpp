#include "sim/sensitivity.hpp"
#include "sim/sweep_design.hpp"

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

using namespace baskets;

namespace {

constexpr double pi = boost::math::constants::pi<double>();

using Model = std::function<double(const std::vector<double>&)>;

struct Truth {
  double first_order;
  double total;
};

// The estimator's spread measured rather than guessed: each seed gives an independent random
// digital shift of the design, so the seeds' estimates are independent draws of an estimator whose
// numerators are unbiased (every design point is uniform on the cube). Only the division by the
// estimated variance adds a bias. Measured over 1000 seeds (2000 for the linear model), the mean
// estimates came within 2.1 standard errors of the truth, and within 6% of each index's tolerance
// below; the draws were close to symmetric (skewness under 0.1). So the mean over the seeds must
// lie within a Student t interval of the truth, Bonferroni-corrected to a 0.1% chance that any of
// the 2d indices falls outside. The interval must also be narrower than 0.01, or the check would
// prove nothing.
void require_indices_near(const Model& model, const std::vector<ParameterRange>& ranges,
                          std::size_t base, const std::vector<Truth>& truths) {
  constexpr std::size_t seeds = 20;
  const std::size_t d = ranges.size();
  std::vector<std::vector<SobolIndices>> runs;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const auto rows = saltelli_design(ranges, base, seed);
    std::vector<double> y;
    y.reserve(rows.size());
    for (const auto& row : rows)
      y.push_back(model(row));
    runs.push_back(sobol_indices(y, base, d));
  }
  const double miss = 0.001 / static_cast<double>(2 * d);
  const double t_quantile =
      boost::math::quantile(boost::math::students_t(seeds - 1.0), 1 - miss / 2);
  const auto check = [&](const char* which, std::size_t i, double truth,
                         double SobolIndices::*member) {
    double mean = 0;
    for (const auto& run : runs)
      mean += run[i].*member;
    mean /= seeds;
    double squares = 0;
    for (const auto& run : runs)
      squares += (run[i].*member - mean) * (run[i].*member - mean);
    const double standard_error = std::sqrt(squares / (seeds - 1) / seeds);
    INFO(which << " index of parameter " << i << ": mean " << mean << " over " << seeds
               << " seeds, standard error " << standard_error << ", truth " << truth
               << ", tolerance " << t_quantile * standard_error);
    REQUIRE(std::abs(mean - truth) <= t_quantile * standard_error);
    REQUIRE(t_quantile * standard_error < 0.01);
  };
  for (std::size_t i = 0; i < d; ++i) {
    check("first-order", i, truths[i].first_order, &SobolIndices::first_order);
    check("total", i, truths[i].total, &SobolIndices::total);
  }
}

} // namespace

TEST_CASE("sensitivity: Spearman sees a monotone effect whatever its shape", "[sensitivity]") {
  std::vector<double> x, rising, falling;
  for (int k = 1; k <= 20; ++k) {
    x.push_back(k);
    rising.push_back(std::exp(k));
    falling.push_back(-std::pow(k, 3));
  }
  REQUIRE(spearman_correlation(x, rising) == 1.0);
  REQUIRE(spearman_correlation(x, falling) == -1.0);
  REQUIRE(spearman_correlation(rising, x) == 1.0);
}

TEST_CASE("sensitivity: Spearman gives ties their average rank", "[sensitivity]") {
  // Ranks of x: 1, 2.5, 2.5, 4; of y: 1, 3, 2, 4. Deviations from the mean rank 2.5:
  // x -1.5, 0, 0, 1.5; y -1.5, 0.5, -0.5, 1.5. Sums: xy 4.5, xx 4.5, yy 5; r = 4.5 / sqrt(22.5).
  REQUIRE(spearman_correlation({1, 2, 2, 3}, {10, 30, 20, 40}) == Approx(std::sqrt(0.9)));
  // Ties on both sides. Ranks x: 1.5, 1.5, 3, 4, 5; y: 1, 2.5, 2.5, 4, 5.
  // Deviations from 3: x -1.5, -1.5, 0, 1, 2; y -2, -0.5, -0.5, 1, 2.
  // xy = 3 + 0.75 + 0 + 1 + 4 = 8.75; xx = 2.25 + 2.25 + 1 + 4 = 9.5; yy = 4 + 0.5 + 1 + 4 = 9.5.
  REQUIRE(spearman_correlation({0, 0, 1, 2, 3}, {5, 6, 6, 7, 8}) == Approx(8.75 / 9.5));
}

TEST_CASE("sensitivity: Spearman is undefined without variation or pairs", "[sensitivity]") {
  REQUIRE(std::isnan(spearman_correlation({1, 2, 3, 4}, {5, 5, 5, 5})));
  REQUIRE(std::isnan(spearman_correlation({2, 2, 2}, {1, 2, 3})));
  REQUIRE(std::isnan(spearman_correlation({1, 2}, {1, 2})));
  REQUIRE(std::isnan(spearman_correlation({}, {})));
  REQUIRE(std::isnan(spearman_correlation({1, 2, 3}, {1, std::nan(""), 3})));
  REQUIRE_THROWS_AS(spearman_correlation({1, 2, 3}, {1, 2}), std::invalid_argument);
}

TEST_CASE("sensitivity: main effects of an additive model on a factorial", "[sensitivity]") {
  // y = 3 x1 + 0.5 x2 - 4 [x3 == 1]: each main effect is its term's swing, whatever the others.
  const auto rows = full_factorial({{0, 1, 2}, {10, 20}, {0, 1}});
  std::vector<double> x1, x2, x3, y;
  for (const auto& row : rows) {
    x1.push_back(row[0]);
    x2.push_back(row[1]);
    x3.push_back(row[2]);
    y.push_back(3 * row[0] + 0.5 * row[1] - 4 * row[2]);
  }
  REQUIRE(main_effect_range(x1, y) == Approx(6.0));
  REQUIRE(main_effect_range(x2, y) == Approx(5.0));
  REQUIRE(main_effect_range(x3, y) == Approx(4.0));
  REQUIRE(std::isnan(main_effect_range({1, 1, 1}, {1, 2, 3})));
  REQUIRE_THROWS_AS(main_effect_range({1, 2}, {1}), std::invalid_argument);
}

TEST_CASE("sensitivity: Sobol indices by hand on the smallest design", "[sensitivity]") {
  // base 2, one parameter: f_A = 1, 3; f_B = 2, 4; f_AB = 3, 4. Mean of f_A, f_B 2.5, variance
  // (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25. First order: mean((f_B - 2.5)(f_AB - f_A)) =
  // (-0.5 * 2 + 1.5 * 1) / 2 = 0.25, over V: 0.2. Total: mean((f_A - f_AB)^2) / 2V =
  // (4 + 1) / 2 / 2.5 = 1.
  const auto indices = sobol_indices({1, 3, 2, 4, 3, 4}, 2, 1);
  REQUIRE(indices.size() == 1);
  REQUIRE(indices[0].first_order == Approx(0.2));
  REQUIRE(indices[0].total == Approx(1.0));
  const auto flat = sobol_indices({5, 5, 5, 5, 5, 5, 5, 5}, 2, 2);
  REQUIRE(std::isnan(flat[0].first_order));
  REQUIRE(std::isnan(flat[1].total));
  REQUIRE_THROWS_AS(sobol_indices({1, 2, 3, 4, 5}, 2, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(sobol_indices({}, 0, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(sobol_indices({1, 2}, 1, 0), std::invalid_argument);
}

TEST_CASE("sensitivity: Sobol indices of the Ishigami function", "[sensitivity]") {
  constexpr double a = 7, b = 0.1;
  const Model ishigami = [&](const std::vector<double>& x) {
    return std::sin(x[0]) + a * std::pow(std::sin(x[1]), 2) +
           b * std::pow(x[2], 4) * std::sin(x[0]);
  };
  // Analytic variances (Ishigami and Homma 1990; Sobol' and Levitan 1999).
  const double pi4 = std::pow(pi, 4), pi8 = std::pow(pi, 8);
  const double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
  const double v1 = 0.5 * std::pow(1 + b * pi4 / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = 8 * b * b * pi8 / 225;
  const std::vector<Truth> truths{{v1 / v, (v1 + v13) / v}, {v2 / v, v2 / v}, {0, v13 / v}};
  // The values usually quoted, as a check on the formulas above.
  REQUIRE(truths[0].first_order == Approx(0.3139).margin(1e-4));
  REQUIRE(truths[1].first_order == Approx(0.4424).margin(1e-4));
  REQUIRE(truths[0].total == Approx(0.5576).margin(1e-4));
  REQUIRE(truths[2].total == Approx(0.2437).margin(1e-4));

  const std::vector<ParameterRange> ranges(3, ParameterRange{-pi, pi, Scale::linear});
  require_indices_near(ishigami, ranges, 4096, truths);
}

TEST_CASE("sensitivity: a linear model's first-order and total indices agree", "[sensitivity]") {
  // y = sum c_i x_i, x_i uniform: no interactions, so S_i = ST_i = c_i^2 var_i / sum_j c_j^2 var_j
  // with var_i = (high - low)^2 / 12: 1/12, 4 * 4/12, 9 * 16/12, i.e. 1, 16, 144 over 161.
  const std::vector<double> c{1, 2, 3};
  const Model linear = [&](const std::vector<double>& x) {
    return c[0] * x[0] + c[1] * x[1] + c[2] * x[2];
  };
  const std::vector<ParameterRange> ranges{
      {0, 1, Scale::linear}, {0, 2, Scale::linear}, {-1, 3, Scale::linear}};
  const std::vector<Truth> truths{
      {1.0 / 161, 1.0 / 161}, {16.0 / 161, 16.0 / 161}, {144.0 / 161, 144.0 / 161}};
  require_indices_near(linear, ranges, 2048, truths);
}

TEST_CASE("sensitivity: Sobol indices ignore an offset of the response", "[sensitivity]") {
  // Indices of f and f + c are equal; an estimator that multiplies by f_B uncentred would see the
  // offset as noise a million times larger than the signal.
  const std::vector<ParameterRange> ranges(2, ParameterRange{0, 1, Scale::linear});
  const std::size_t base = 256;
  const auto rows = saltelli_design(ranges, base, 11);
  std::vector<double> y, shifted;
  for (const auto& row : rows) {
    y.push_back(row[0] + row[0] * row[1]);
    shifted.push_back(y.back() + 1e6);
  }
  const auto plain = sobol_indices(y, base, 2);
  const auto offset = sobol_indices(shifted, base, 2);
  for (std::size_t i = 0; i < 2; ++i) {
    REQUIRE(offset[i].first_order == Approx(plain[i].first_order).margin(1e-6));
    REQUIRE(offset[i].total == Approx(plain[i].total).margin(1e-6));
  }
}
