// Where a parameter sweep puts its points. Pure functions of their arguments (the random ones of a
// seed), so that a sweep file names its design completely and a rerun gives the same points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace baskets {

enum class Scale { linear, log };

struct ParameterRange {
  double low = 0;
  double high = 0;
  Scale scale = Scale::linear;
};

// `steps` values from low to high inclusive, evenly spaced on the scale; the endpoints are exact.
// steps == 1 gives {low}. Throws std::invalid_argument for steps == 0 and for a bad range (low >
// high, a non-finite bound, a log range with low <= 0).
std::vector<double> range_values(const ParameterRange& range, std::size_t steps);

// u in [0, 1] to the range: linear interpolation, or linear in the logarithm for a log range. The
// result is clamped into [low, high] against rounding. Throws std::invalid_argument for a bad range
// or u outside [0, 1].
double from_unit(const ParameterRange& range, double u);

// Every combination of the per-parameter levels, the first parameter varying slowest (row-major).
// No parameters, or a parameter without levels, gives no rows.
std::vector<std::vector<double>> full_factorial(const std::vector<std::vector<double>>& levels);

// `points` points of a Sobol sequence over the ranges (Boost.Random's boost::random::sobol),
// randomised by a random digital shift drawn from `seed`: same seed, same points. The sequence
// starts at its origin, which Boost 1.74 skips, so that 2^k points keep the net's stratification
// (each 1-D projection has one point in each of 2^k equal intervals of the unit scale); use a
// power of two for points. Throws std::invalid_argument for no ranges, more than
// max_sobol_dimension() ranges, zero points or a bad range.
std::vector<std::vector<double>> sobol_design(const std::vector<ParameterRange>& ranges,
                                              std::size_t points, std::uint64_t seed);

// `points` independent points, uniform on each range's scale (log-uniform for a log range).
// Throws std::invalid_argument for no ranges, zero points or a bad range.
std::vector<std::vector<double>> uniform_design(const std::vector<ParameterRange>& ranges,
                                                std::size_t points, std::uint64_t seed);

// Saltelli's (2010) design for variance-based indices (sobol_indices in sim/sensitivity.hpp), with
// d = ranges.size() parameters: one shifted Sobol sequence of dimension 2d gives the matrices A
// (its first d coordinates) and B (its last d). Rows: A_1..A_base, then B_1..B_base, then for
// i = 0..d-1 the base rows of A_B^(i), which is A with column i taken from B; base (d + 2) rows in
// all. Throws std::invalid_argument for no ranges, 2d > max_sobol_dimension(), base == 0 or a bad
// range.
std::vector<std::vector<double>> saltelli_design(const std::vector<ParameterRange>& ranges,
                                                 std::size_t base, std::uint64_t seed);

// The most dimensions Boost's Sobol table supports (3667 in Boost 1.74).
std::size_t max_sobol_dimension();

} // namespace baskets
