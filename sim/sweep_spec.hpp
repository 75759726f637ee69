// A parameter sweep as a file describes it (docs/sweeps.md): a base scenario, the parameters that
// vary (each a scenario key by its path), the design that places the points, and the replicas per
// point. Every point is a scenario in its own right, validated by the scenario reader, so a swept
// value is held to exactly the rules of a value written in a scenario file.
#pragma once

#include "sim/scenario.hpp"
#include "sim/sweep_design.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace baskets {

enum class Design { grid, sobol, uniform, saltelli };
std::string_view design_name(Design design);

// A swept value: a number (whole numbers stay TOML integers where the scenario expects one), a
// boolean or a string.
using SweepValue = std::variant<double, bool, std::string>;
std::string value_text(const SweepValue& value);

struct SweepParameter {
  std::string name;               // its column in the results
  std::vector<std::string> paths; // scenario keys set to the same value
  std::optional<ParameterRange> range;
  std::vector<SweepValue> values; // a grid's levels (from `values`, or the range's steps)
  // The number a point's value is stored as in the points table: the value itself, 0/1 for a
  // boolean, the level's index for a string.
  double number(const SweepValue& value) const;
  std::string_view scale_name() const;
};

struct Sweep {
  std::string path; // the file with the [sweep] table
  std::string text; // its text, as read
  std::string scenario_path;
  std::string scenario_text; // the base scenario (the same file, or the one it names)
  Scenario base;
  Design design = Design::grid;
  std::uint64_t design_seed = 1;
  std::uint64_t replicas = 0; // per point
  std::vector<SweepParameter> parameters;
  std::vector<std::vector<SweepValue>> points; // point x parameter
  std::size_t saltelli_base = 0;               // N of a saltelli design

  // The scenario of point `p`, validated. Throws ScenarioLoadError naming the sweep file, the
  // point, its values and what the scenario reader found wrong.
  Scenario scenario_at(std::size_t point) const;
  // The points table's numbers of point `p`, one per parameter.
  std::vector<double> numbers_at(std::size_t point) const;
  // The points table's column of one parameter: its number at every point.
  std::vector<double> column(std::size_t parameter) const;
  // "cutoff_rate = 0.3, switch_delay = 7"
  std::string describe_point(std::size_t point) const;
};

// Reads a sweep file: a scenario with a [sweep] table, or a file with only a [sweep] table naming
// its scenario. Validates the specification and every point before returning. Throws
// ScenarioLoadError listing the problems, each with the file and the key.
Sweep load_sweep(const std::string& path);

// The same from texts already read (a results file stores them): `scenario_text` is used for the
// base scenario instead of reading the file the sweep names, if given.
Sweep parse_sweep(std::string_view text, const std::string& path,
                  const std::optional<std::string>& scenario_text = std::nullopt);

// A hash of everything that fixes a sweep's results: the base scenario, the sweep, the seed, the
// replicas per point and the program's version. Files with the same fingerprint may be merged.
std::string sweep_fingerprint(const Sweep& sweep, std::uint64_t seed);

} // namespace baskets
