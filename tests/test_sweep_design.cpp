#include "sim/sweep_design.hpp"

#include <boost/random/sobol.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace baskets;

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

bool inside(const std::vector<std::vector<double>>& rows,
            const std::vector<ParameterRange>& ranges) {
  for (const std::vector<double>& row : rows) {
    if (row.size() != ranges.size())
      return false;
    for (std::size_t j = 0; j < ranges.size(); ++j)
      if (!(row[j] >= ranges[j].low && row[j] <= ranges[j].high))
        return false;
  }
  return true;
}

// How many points fall in each of `cells` equal intervals of [0, 1) along column j.
std::vector<int> occupancy(const std::vector<std::vector<double>>& rows, std::size_t j,
                           std::size_t cells) {
  std::vector<int> counts(cells, 0);
  for (const std::vector<double>& row : rows)
    ++counts.at(static_cast<std::size_t>(std::floor(row[j] * static_cast<double>(cells))));
  return counts;
}

} // namespace

TEST_CASE("design: range values on a linear scale", "[design]") {
  const std::vector<double> v = range_values({2.0, 10.0, Scale::linear}, 5);
  REQUIRE(v == std::vector<double>{2.0, 4.0, 6.0, 8.0, 10.0});
  REQUIRE(range_values({2.0, 10.0, Scale::linear}, 1) == std::vector<double>{2.0});
  REQUIRE(range_values({3.0, 3.0, Scale::linear}, 3) == std::vector<double>{3.0, 3.0, 3.0});
  // Endpoints exact even where (high - low) / (steps - 1) does not divide evenly.
  const std::vector<double> thirds = range_values({0.1, 0.7, Scale::linear}, 4);
  REQUIRE(thirds.front() == 0.1);
  REQUIRE(thirds.back() == 0.7);
  REQUIRE(thirds[1] == Approx(0.3));
}

TEST_CASE("design: range values on a log scale are geometric", "[design]") {
  const std::vector<double> v = range_values({0.3, 30.0, Scale::log}, 7);
  REQUIRE(v.size() == 7);
  // exp(log(x)) is not always x: the endpoints are set exactly.
  REQUIRE(v.front() == 0.3);
  REQUIRE(v.back() == 30.0);
  const double ratio = std::pow(100.0, 1.0 / 6.0);
  for (std::size_t i = 0; i + 1 < v.size(); ++i)
    REQUIRE(v[i + 1] / v[i] == Approx(ratio).epsilon(1e-12));
  REQUIRE(range_values({1.0, 1000.0, Scale::log}, 4)[1] == Approx(10.0).epsilon(1e-12));
}

TEST_CASE("design: bad ranges and step counts are refused", "[design]") {
  REQUIRE_THROWS_AS(range_values({0.0, 1.0, Scale::linear}, 0), std::invalid_argument);
  REQUIRE_THROWS_AS(range_values({2.0, 1.0, Scale::linear}, 3), std::invalid_argument);
  REQUIRE_THROWS_AS(range_values({0.0, 1.0, Scale::log}, 3), std::invalid_argument);
  REQUIRE_THROWS_AS(range_values({-1.0, 1.0, Scale::log}, 3), std::invalid_argument);
  REQUIRE_THROWS_AS(range_values({0.0, infinity, Scale::linear}, 3), std::invalid_argument);
  REQUIRE_THROWS_AS(range_values({not_a_number, 1.0, Scale::linear}, 3), std::invalid_argument);
  REQUIRE_THROWS_AS(from_unit({0.0, 1.0, Scale::linear}, 1.5), std::invalid_argument);
  REQUIRE_THROWS_AS(from_unit({0.0, 1.0, Scale::linear}, not_a_number), std::invalid_argument);
}

TEST_CASE("design: from_unit maps the unit interval onto the range", "[design]") {
  REQUIRE(from_unit({2.0, 10.0, Scale::linear}, 0.0) == 2.0);
  REQUIRE(from_unit({2.0, 10.0, Scale::linear}, 1.0) == 10.0);
  REQUIRE(from_unit({2.0, 10.0, Scale::linear}, 0.25) == Approx(4.0));
  REQUIRE(from_unit({1.0, 100.0, Scale::log}, 0.5) == Approx(10.0).epsilon(1e-12));
  const ParameterRange awkward{0.3, 30.0, Scale::log};
  REQUIRE(from_unit(awkward, 0.0) >= 0.3);
  REQUIRE(from_unit(awkward, 1.0) <= 30.0);
}

TEST_CASE("design: full factorial, first parameter slowest", "[design]") {
  const auto rows = full_factorial({{1, 2}, {10, 20, 30}});
  REQUIRE(rows ==
          std::vector<std::vector<double>>{{1, 10}, {1, 20}, {1, 30}, {2, 10}, {2, 20}, {2, 30}});
  REQUIRE(full_factorial({{1, 2}, {3, 4}, {5, 6, 7}, {8}}).size() == 12);
  REQUIRE(full_factorial({{5, 6, 7}}) == std::vector<std::vector<double>>{{5}, {6}, {7}});
  REQUIRE(full_factorial({}).empty());
  REQUIRE(full_factorial({{1, 2}, {}}).empty());
}

TEST_CASE("design: Sobol points stay inside their ranges and follow the seed", "[design]") {
  const std::vector<ParameterRange> ranges{
      {0.0, 1.0, Scale::linear}, {-5.0, 5.0, Scale::linear}, {1e-3, 1e3, Scale::log},
      {0.3, 30.0, Scale::log},   {7.0, 7.0, Scale::linear},
  };
  const auto rows = sobol_design(ranges, 256, 42);
  REQUIRE(rows.size() == 256);
  REQUIRE(inside(rows, ranges));
  REQUIRE(sobol_design(ranges, 256, 42) == rows);
  const auto other = sobol_design(ranges, 256, 43);
  REQUIRE(inside(other, ranges));
  REQUIRE(other != rows);
  // A different shift moves every coordinate (equal 53-bit values: a vanishing chance).
  for (std::size_t j = 0; j < 4; ++j)
    REQUIRE(other[0][j] != rows[0][j]);
  // The first points of a longer design are the shorter design.
  const auto longer = sobol_design(ranges, 512, 42);
  REQUIRE(std::vector<std::vector<double>>(longer.begin(), longer.begin() + 256) == rows);
}

TEST_CASE("design: 2^k shifted Sobol points stratify every 1-D projection", "[design]") {
  // Boost 1.74 starts at the sequence's second point: the design adds the origin itself, and
  // without it the interval next to 0 would be empty and another doubly filled.
  boost::random::sobol boost_sobol(1);
  REQUIRE(boost_sobol() == std::uint64_t{1} << 63);

  // On [0, 1] the design's values are the unit coordinates themselves.
  const std::vector<ParameterRange> unit(8, ParameterRange{0.0, 1.0, Scale::linear});
  for (const std::uint64_t seed : {1u, 2u, 99u})
    for (std::size_t k = 0; k <= 10; ++k) {
      const std::size_t n = std::size_t{1} << k;
      const auto rows = sobol_design(unit, n, seed);
      for (std::size_t j = 0; j < unit.size(); ++j)
        REQUIRE(occupancy(rows, j, n) == std::vector<int>(n, 1));
    }
}

TEST_CASE("design: the first two Sobol coordinates form a (0, k, 2)-net", "[design]") {
  // Every elementary box of area 1/2^k ([a/2^i, (a+1)/2^i) x [b/2^(k-i), (b+1)/2^(k-i))) holds
  // exactly one of 2^k points; the digital shift permutes these boxes, so the net survives it.
  const std::vector<ParameterRange> unit(2, ParameterRange{0.0, 1.0, Scale::linear});
  const std::size_t k = 8;
  const auto rows = sobol_design(unit, std::size_t{1} << k, 5);
  for (std::size_t i = 0; i <= k; ++i) {
    const std::size_t across = std::size_t{1} << i;
    const std::size_t up = std::size_t{1} << (k - i);
    std::vector<int> counts(across * up, 0);
    for (const std::vector<double>& row : rows) {
      const auto a = static_cast<std::size_t>(std::floor(row[0] * static_cast<double>(across)));
      const auto b = static_cast<std::size_t>(std::floor(row[1] * static_cast<double>(up)));
      ++counts.at(a * up + b);
    }
    REQUIRE(counts == std::vector<int>(across * up, 1));
  }
}

TEST_CASE("design: Sobol and Saltelli designs refuse what Boost cannot make", "[design]") {
  const ParameterRange r{0.0, 1.0, Scale::linear};
  REQUIRE(max_sobol_dimension() == 3667);
  REQUIRE_THROWS_AS(sobol_design({}, 8, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(sobol_design({r}, 0, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(sobol_design(std::vector<ParameterRange>(3668, r), 2, 1),
                    std::invalid_argument);
  REQUIRE(sobol_design(std::vector<ParameterRange>(3667, r), 2, 1).size() == 2);
  REQUIRE_THROWS_AS(sobol_design({{1.0, 0.0, Scale::linear}}, 8, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(sobol_design({{0.0, 1.0, Scale::log}}, 8, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(saltelli_design({}, 8, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(saltelli_design({r}, 0, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(saltelli_design(std::vector<ParameterRange>(1834, r), 2, 1),
                    std::invalid_argument);
  REQUIRE_THROWS_AS(uniform_design({}, 8, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(uniform_design({r}, 0, 1), std::invalid_argument);
}

TEST_CASE("design: uniform points stay inside, follow the seed, log-uniform on a log scale",
          "[design]") {
  const std::vector<ParameterRange> ranges{{-2.0, 3.0, Scale::linear}, {1.0, 1e4, Scale::log}};
  const auto rows = uniform_design(ranges, 4000, 7);
  REQUIRE(rows.size() == 4000);
  REQUIRE(inside(rows, ranges));
  REQUIRE(uniform_design(ranges, 4000, 7) == rows);
  REQUIRE(uniform_design(ranges, 4000, 8) != rows);
  // Log-uniform on [1, 1e4]: half the points below 100. The share of 4000 has a standard
  // deviation of 0.5 / sqrt(4000) = 0.0079; 0.04 is five of them.
  double below = 0;
  for (const auto& row : rows)
    below += row[1] < 100.0 ? 1.0 : 0.0;
  REQUIRE(below / 4000.0 == Approx(0.5).margin(0.04));
}

TEST_CASE("design: Saltelli rows are A, B, then A with one column from B", "[design]") {
  const std::vector<ParameterRange> ranges{
      {0.0, 1.0, Scale::linear}, {10.0, 20.0, Scale::linear}, {0.01, 1.0, Scale::log}};
  const std::size_t base = 16;
  const std::size_t d = ranges.size();
  const auto rows = saltelli_design(ranges, base, 3);
  REQUIRE(rows.size() == base * (d + 2));
  REQUIRE(inside(rows, ranges));
  REQUIRE(saltelli_design(ranges, base, 3) == rows);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t p = 0; p < base; ++p) {
      const std::vector<double>& a = rows[p];
      const std::vector<double>& b = rows[base + p];
      const std::vector<double>& ab = rows[(2 + i) * base + p];
      for (std::size_t j = 0; j < d; ++j)
        REQUIRE(ab[j] == (j == i ? b[j] : a[j]));
    }
  // A and B are different coordinates of one sequence, not copies of each other.
  for (std::size_t p = 0; p < base; ++p)
    for (std::size_t j = 0; j < d; ++j)
      REQUIRE(rows[p][j] != rows[base + p][j]);
}
