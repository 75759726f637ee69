// libFuzzer target: the sweep-file reader on arbitrary text. parse_sweep returns a validated
// Sweep or throws ScenarioLoadError; anything else (another exception, a crash, a hang, a
// sanitizer report) is a bug.
//
// A sweep that names its scenario (`sweep.scenario = "..."`) gets tests/cli/valid_base.toml's
// text instead of the file, so that the fuzzer never reads the disk. The number of points is
// capped before parsing: parse_sweep builds and validates every point, so a design such as
// `points = 10000000` takes minutes and gigabytes; timeouts and out-of-memory reports on those
// would hide the bugs this target looks for.
#include "sim/scenario_parser.hpp"
#include "sim/sweep_spec.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr std::int64_t max_points = 32;

std::string read_base_scenario() {
  std::ifstream in(BASKETS_FUZZ_BASE_SCENARIO, std::ios::binary);
  if (!in)
    __builtin_trap(); // the harness is broken, not the reader: stop at once
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// How many points the text's design could have, as an upper bound, or nullopt if the text is not
// a TOML sweep at all (parse_sweep then rejects it early and cheaply).
std::optional<std::int64_t> points_bound(std::string_view text) {
  toml::table root;
  try {
    root = toml::parse(text, std::string_view("fuzz.toml"));
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
  const toml::table* sweep = root["sweep"].as_table();
  if (sweep == nullptr)
    return std::nullopt;
  const toml::array* parameters = sweep->get_as<toml::array>("parameters");
  const std::int64_t dimensions = parameters != nullptr ? std::int64_t(parameters->size()) : 0;
  // Sampled designs: `points` (saltelli makes points x (parameters + 2)).
  std::int64_t bound = 1;
  if (const toml::value<std::int64_t>* points = sweep->get_as<std::int64_t>("points"))
    bound = std::max<std::int64_t>(1, points->get());
  if (bound > max_points)
    return bound;
  if (sweep->get_as<std::string>("design") != nullptr &&
      sweep->get_as<std::string>("design")->get() == "saltelli")
    bound *= dimensions + 2;
  // A grid: the product of each parameter's levels (`values` or `range.steps`).
  std::int64_t grid = 1;
  if (parameters != nullptr)
    for (const toml::node& entry : *parameters) {
      const toml::table* parameter = entry.as_table();
      if (parameter == nullptr)
        continue;
      std::int64_t levels = 1;
      if (const toml::array* values = parameter->get_as<toml::array>("values"))
        levels = std::int64_t(values->size());
      else if (const toml::table* range = parameter->get_as<toml::table>("range"))
        if (const toml::value<std::int64_t>* steps = range->get_as<std::int64_t>("steps"))
          levels = steps->get();
      grid *= std::max<std::int64_t>(1, levels);
      if (levels > max_points || grid > max_points)
        return grid;
    }
  return std::max(bound, grid);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string base_scenario = read_base_scenario();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const std::optional<std::int64_t> bound = points_bound(text); bound && *bound > max_points)
    return -1; // too large to validate quickly: keep it out of the corpus
  try {
    const baskets::Sweep sweep = baskets::parse_sweep(text, "fuzz.toml", base_scenario);
    if (!sweep.points.empty()) {
      (void)sweep.scenario_at(0);
      (void)sweep.describe_point(0);
      (void)sweep.numbers_at(0);
      (void)baskets::sweep_fingerprint(sweep, 1);
    }
  } catch (const baskets::ScenarioLoadError& error) {
    for (const baskets::ScenarioError& e : error.errors())
      (void)e.format();
  }
  return 0;
}
