#include "sim/sweep_design.hpp"

#include "sim/random_stream.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace baskets {

namespace {

// Entities of the sweep_design stream: the Sobol shift and the uniform points draw from different
// streams, so that neither design's points depend on whether the other was drawn.
constexpr std::uint64_t shift_entity = 0;
constexpr std::uint64_t uniform_entity = 1;

void check_range(const ParameterRange& range) {
  if (!std::isfinite(range.low) || !std::isfinite(range.high))
    throw std::invalid_argument("parameter range: the bounds must be finite numbers");
  if (range.low > range.high)
    throw std::invalid_argument("parameter range: low (" + std::to_string(range.low) +
                                ") is above high (" + std::to_string(range.high) + ")");
  if (range.scale == Scale::log && range.low <= 0)
    throw std::invalid_argument("parameter range: a log scale needs low > 0, got " +
                                std::to_string(range.low));
}

void check_design(const std::vector<ParameterRange>& ranges, std::size_t points,
                  const char* design) {
  if (ranges.empty())
    throw std::invalid_argument(std::string(design) + " design: no parameters");
  if (points == 0)
    throw std::invalid_argument(std::string(design) + " design: zero points");
  for (const ParameterRange& range : ranges)
    check_range(range);
}

// Product that reports overflow instead of wrapping, for row counts.
std::size_t checked_product(std::size_t a, std::size_t b, const char* what) {
  if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a)
    throw std::invalid_argument(std::string(what) + ": too many points");
  return a * b;
}

// The top 53 bits as a double in [0, 1): exact, never rounds up to 1, and floor(u 2^k) is the
// integer's top k bits, so the net's stratification survives the conversion.
double unit_from_word(std::uint64_t word) {
  return std::ldexp(static_cast<double>(word >> 11), -53);
}

// Unit-cube points of the digitally shifted Sobol sequence, point-major. The shift XORs every
// coordinate's 64-bit integer with a per-dimension random word: a bijection of each elementary
// interval of the base-2 net onto another, so the stratification holds, while every point becomes
// uniform on the cube (which makes estimates from the design unbiased and lets seeds be compared).
std::vector<std::vector<double>> shifted_sobol(std::size_t dimensions, std::size_t points,
                                               std::uint64_t seed) {
  if (dimensions > max_sobol_dimension())
    throw std::invalid_argument("Sobol design: " + std::to_string(dimensions) +
                                " dimensions, Boost's table supports at most " +
                                std::to_string(max_sobol_dimension()));
  RandomStream stream(seed, StreamPurpose::sweep_design, shift_entity, 0);
  std::vector<std::uint64_t> shift(dimensions);
  for (std::uint64_t& word : shift)
    word = stream.engine()();

  boost::random::sobol generator(dimensions);
  std::vector<std::vector<double>> rows(points, std::vector<double>(dimensions));
  for (std::size_t p = 0; p < points; ++p)
    for (std::size_t j = 0; j < dimensions; ++j) {
      // Boost 1.74 starts at the sequence's second point (its first call gives 1/2 in every
      // coordinate); point 0 is the origin, added here: 2^k points are then a (t, k, d)-net,
      // while without the origin one interval of each projection stays empty and another holds
      // two points (Owen 2020, "On dropping the first Sobol' point").
      const std::uint64_t word = p == 0 ? 0 : static_cast<std::uint64_t>(generator());
      rows[p][j] = unit_from_word(word ^ shift[j]);
    }
  return rows;
}

} // namespace

std::size_t max_sobol_dimension() {
  return boost::random::default_sobol_table::max_dimension;
}

std::vector<double> range_values(const ParameterRange& range, std::size_t steps) {
  check_range(range);
  if (steps == 0)
    throw std::invalid_argument("parameter range: zero steps");
  if (steps == 1)
    return {range.low};
  const bool log = range.scale == Scale::log;
  const double from = log ? std::log(range.low) : range.low;
  const double to = log ? std::log(range.high) : range.high;
  std::vector<double> values(steps);
  for (std::size_t i = 0; i < steps; ++i) {
    const double on_scale =
        std::lerp(from, to, static_cast<double>(i) / static_cast<double>(steps - 1));
    values[i] = log ? std::exp(on_scale) : on_scale;
  }
  // exp(log(x)) need not give x back; the user wrote the endpoints and expects to see them.
  values.front() = range.low;
  values.back() = range.high;
  return values;
}

double from_unit(const ParameterRange& range, double u) {
  check_range(range);
  if (!(u >= 0 && u <= 1))
    throw std::invalid_argument("from_unit: u must be in [0, 1], got " + std::to_string(u));
  // std::lerp rather than low + u (high - low): the same value, without overflow for wide ranges.
  const double value = range.scale == Scale::log
                           ? std::exp(std::lerp(std::log(range.low), std::log(range.high), u))
                           : std::lerp(range.low, range.high, u);
  return std::clamp(value, range.low, range.high);
}

std::vector<std::vector<double>> full_factorial(const std::vector<std::vector<double>>& levels) {
  if (levels.empty())
    return {};
  std::size_t rows = 1;
  for (const std::vector<double>& parameter : levels)
    rows = checked_product(rows, parameter.size(), "full factorial");
  std::vector<std::vector<double>> design(rows, std::vector<double>(levels.size()));
  for (std::size_t r = 0; r < rows; ++r) {
    // Mixed-radix digits of r, the last parameter the fastest digit.
    std::size_t rest = r;
    for (std::size_t j = levels.size(); j-- > 0;) {
      design[r][j] = levels[j][rest % levels[j].size()];
      rest /= levels[j].size();
    }
  }
  return design;
}

std::vector<std::vector<double>> sobol_design(const std::vector<ParameterRange>& ranges,
                                              std::size_t points, std::uint64_t seed) {
  check_design(ranges, points, "Sobol");
  std::vector<std::vector<double>> rows = shifted_sobol(ranges.size(), points, seed);
  for (std::vector<double>& row : rows)
    for (std::size_t j = 0; j < ranges.size(); ++j)
      row[j] = from_unit(ranges[j], row[j]);
  return rows;
}

std::vector<std::vector<double>> uniform_design(const std::vector<ParameterRange>& ranges,
                                                std::size_t points, std::uint64_t seed) {
  check_design(ranges, points, "uniform");
  RandomStream stream(seed, StreamPurpose::sweep_design, uniform_entity, 0);
  std::vector<std::vector<double>> rows(points, std::vector<double>(ranges.size()));
  for (std::vector<double>& row : rows)
    for (std::size_t j = 0; j < ranges.size(); ++j)
      row[j] = from_unit(ranges[j], stream.uniform01());
  return rows;
}

std::vector<std::vector<double>> saltelli_design(const std::vector<ParameterRange>& ranges,
                                                 std::size_t base, std::uint64_t seed) {
  check_design(ranges, base, "Saltelli");
  const std::size_t d = ranges.size();
  if (d > max_sobol_dimension() / 2)
    throw std::invalid_argument("Saltelli design: " + std::to_string(d) +
                                " parameters need a Sobol sequence of dimension " +
                                std::to_string(2 * d) + ", Boost's table supports at most " +
                                std::to_string(max_sobol_dimension()));
  const std::size_t total = checked_product(base, d + 2, "Saltelli design");
  // A and B come from one sequence of dimension 2d rather than two of dimension d: two sequences
  // would share their first coordinates, and A, B must be independent of each other.
  const std::vector<std::vector<double>> unit = shifted_sobol(2 * d, base, seed);

  std::vector<std::vector<double>> rows;
  rows.reserve(total);
  // offset 0: A's coordinates, offset d: B's.
  for (const std::size_t offset : {std::size_t{0}, d})
    for (std::size_t p = 0; p < base; ++p) {
      std::vector<double> row(d);
      for (std::size_t j = 0; j < d; ++j)
        row[j] = from_unit(ranges[j], unit[p][offset + j]);
      rows.push_back(std::move(row));
    }
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t p = 0; p < base; ++p) {
      std::vector<double> row = rows[p];
      row[i] = rows[base + p][i];
      rows.push_back(std::move(row));
    }
  return rows;
}

} // namespace baskets
