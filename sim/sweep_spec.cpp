// Reading a sweep file. The points are made by editing the base scenario's TOML tree at the swept
// paths and handing the edited tree, as text, to the scenario reader: one set of rules for values,
// whether they come from a scenario file or from a sweep.

#include "sim/sweep_spec.hpp"

#include "baskets/version.hpp"
#include "sim/scenario_parser.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>
#include <sstream>

namespace baskets {

std::string_view design_name(Design design) {
  switch (design) {
  case Design::grid:
    return "grid";
  case Design::sobol:
    return "sobol";
  case Design::uniform:
    return "uniform";
  case Design::saltelli:
    return "saltelli";
  }
  return "?";
}

std::string value_text(const SweepValue& value) {
  if (const double* number = std::get_if<double>(&value))
    return fmt::format("{}", *number);
  if (const bool* flag = std::get_if<bool>(&value))
    return *flag ? "true" : "false";
  return fmt::format("\"{}\"", std::get<std::string>(value));
}

double SweepParameter::number(const SweepValue& value) const {
  if (const double* x = std::get_if<double>(&value))
    return *x;
  if (const bool* flag = std::get_if<bool>(&value))
    return *flag ? 1.0 : 0.0;
  const auto level = std::ranges::find(values, value);
  return static_cast<double>(std::distance(values.begin(), level));
}

std::string_view SweepParameter::scale_name() const {
  if (!range)
    return "values";
  return range->scale == Scale::log ? "log" : "linear";
}

namespace {

namespace fs = std::filesystem;

// Errors of the sweep file, collected so that one run lists them all.
class Problems {
public:
  explicit Problems(std::string file) : file_(std::move(file)) {}
  void add(std::string key, const toml::source_region& where, std::string message) {
    problems_.push_back(ScenarioError{file_, std::move(key), static_cast<int>(where.begin.line),
                                      static_cast<int>(where.begin.column), std::move(message)});
  }
  void add(std::string key, std::string message) {
    problems_.push_back(ScenarioError{file_, std::move(key), 0, 0, std::move(message)});
  }
  bool empty() const { return problems_.empty(); }
  void throw_if_any() {
    if (!problems_.empty())
      throw ScenarioLoadError(std::move(problems_));
  }

private:
  std::string file_;
  std::vector<ScenarioError> problems_;
};

toml::table parse_toml(std::string_view text, const std::string& path) {
  try {
    return toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& error) {
    Problems problems(path);
    problems.add("", error.source(), std::string(error.description()));
    problems.throw_if_any();
  }
  return {};
}

std::string read_text(const std::string& path, const std::string& named_by) {
  std::error_code ignored;
  std::ifstream in(path, std::ios::binary);
  if (fs::is_directory(path, ignored) || !in)
    throw ScenarioLoadError(
        {ScenarioError{named_by.empty() ? path : named_by, named_by.empty() ? "" : "sweep.scenario",
                       0, 0, fmt::format("cannot open the scenario file {}", path)}});
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---- paths -----------------------------------------------------------------------------------

// One step of a path: a key, then selectors of array entries (an index or an entry's name).
struct Step {
  std::string key;
  std::vector<std::string> selectors;
};

std::optional<std::vector<Step>> split_path(std::string_view path) {
  std::vector<Step> steps(1);
  bool in_selector = false;
  for (const char c : path) {
    if (in_selector) {
      if (c == ']')
        in_selector = false;
      else
        steps.back().selectors.back() += c;
    } else if (c == '[') {
      if (steps.back().key.empty())
        return std::nullopt;
      steps.back().selectors.emplace_back();
      in_selector = true;
    } else if (c == '.') {
      if (steps.back().key.empty())
        return std::nullopt;
      steps.emplace_back();
    } else if (!steps.back().selectors.empty()) {
      return std::nullopt; // text after "]" that is not "." or "["
    } else {
      steps.back().key += c;
    }
  }
  if (in_selector || steps.back().key.empty())
    return std::nullopt;
  for (const Step& step : steps)
    for (const std::string& selector : step.selectors)
      if (selector.empty())
        return std::nullopt;
  return steps;
}

// Where a path leads in a scenario tree: a table and a key in it (the key may be absent), or an
// array and an index in it.
struct Slot {
  toml::table* table = nullptr;
  std::string key;
  toml::array* array = nullptr;
  std::size_t index = 0;
  const toml::node* current() const {
    return table != nullptr ? table->get(key) : array->get(index);
  }
};

bool is_index(const std::string& selector) {
  return std::ranges::all_of(selector, [](char c) { return c >= '0' && c <= '9'; });
}

// Follows `path` in `root`; on failure returns why.
std::variant<Slot, std::string> resolve(toml::table& root, std::string_view path) {
  const std::optional<std::vector<Step>> steps = split_path(path);
  if (!steps)
    return std::string("expected a path such as \"buyers[0].failover.switch_delay_days\" (keys "
                       "joined by dots, array entries by [index] or [name])");
  toml::table* table = &root;
  std::string walked;
  for (std::size_t s = 0; s < steps->size(); ++s) {
    const Step& step = (*steps)[s];
    const bool last = s + 1 == steps->size();
    walked += (walked.empty() ? "" : ".") + step.key;
    if (last && step.selectors.empty())
      return Slot{table, step.key, nullptr, 0};
    toml::node* node = table->get(step.key);
    if (node == nullptr && step.selectors.empty()) {
      // An optional table the base scenario leaves out (a buyer's failover, say) is added: the
      // scenario reader then checks the key like any other.
      node = table->insert_or_assign(step.key, toml::table{}).first->second.as_table();
    }
    if (node == nullptr)
      return fmt::format("the base scenario has no {}", walked);
    for (std::size_t k = 0; k < step.selectors.size(); ++k) {
      const std::string& selector = step.selectors[k];
      toml::array* array = node->as_array();
      if (array == nullptr)
        return fmt::format("{} is not an array", walked);
      std::size_t index = array->size();
      if (is_index(selector)) {
        index = selector.size() < 10 ? std::stoul(selector) : array->size();
        if (index >= array->size())
          return fmt::format("{}[{}]: {} has {} entries", walked, selector, walked, array->size());
      } else {
        for (std::size_t i = 0; i < array->size(); ++i)
          if (const toml::table* entry = array->get(i)->as_table())
            if (entry->get("name") != nullptr &&
                entry->get("name")->value<std::string>() == selector)
              index = i;
        if (index == array->size())
          return fmt::format("{} has no entry named \"{}\"", walked, selector);
      }
      walked += fmt::format("[{}]", selector);
      if (last && k + 1 == step.selectors.size())
        return Slot{nullptr, "", array, index};
      node = array->get(index);
    }
    table = node->as_table();
    if (table == nullptr)
      return fmt::format("{} is not a table", walked);
  }
  return std::string("empty path");
}

void assign(const Slot& slot, const SweepValue& value) {
  const toml::node* current = slot.current();
  const auto put = [&](auto&& v) {
    if (slot.table != nullptr)
      slot.table->insert_or_assign(slot.key, std::forward<decltype(v)>(v));
    else
      slot.array->replace(slot.array->cbegin() + static_cast<std::ptrdiff_t>(slot.index),
                          std::forward<decltype(v)>(v));
  };
  if (const double* number = std::get_if<double>(&value)) {
    // A whole number where the scenario has an integer, or nothing yet, stays an integer:
    // integer keys (counts) refuse floats, and number keys take integers.
    const bool integer_wanted = current == nullptr || current->is_integer();
    if (integer_wanted && std::nearbyint(*number) == *number && std::fabs(*number) < 9.0e15)
      put(static_cast<std::int64_t>(*number));
    else
      put(*number);
  } else if (const bool* flag = std::get_if<bool>(&value)) {
    put(*flag);
  } else {
    put(std::get<std::string>(value));
  }
}

// ---- the [sweep] table -------------------------------------------------------------------------

constexpr double max_sweep_points = 1'000'000;

constexpr std::array<std::string_view, 6> sweep_keys{"scenario",    "design",   "points",
                                                     "design_seed", "replicas", "parameters"};
constexpr std::array<std::string_view, 4> parameter_keys{"name", "path", "values", "range"};
constexpr std::array<std::string_view, 4> range_keys{"from", "to", "steps", "scale"};
// Names the points group uses for itself.
constexpr std::array<std::string_view, 3> reserved_names{"point", "complete", "replicas_completed"};

template <std::size_t N>
void reject_unknown(const toml::table& table, const std::string& at,
                    const std::array<std::string_view, N>& known, Problems& problems) {
  for (const auto& [key, node] : table)
    if (std::ranges::find(known, key.str()) == known.end())
      problems.add(at.empty() ? std::string(key.str()) : at + "." + std::string(key.str()),
                   key.source(),
                   fmt::format("unknown key \"{}\" (expected one of: {})", key.str(),
                               fmt::join(known, ", ")));
}

std::optional<std::uint64_t> read_count(const toml::table& table, std::string_view key,
                                        const std::string& at, std::int64_t low,
                                        Problems& problems) {
  const toml::node* node = table.get(key);
  if (node == nullptr)
    return std::nullopt;
  const auto* integer = node->as_integer();
  if (integer == nullptr || integer->get() < low) {
    problems.add(at, node->source(), fmt::format("expected an integer >= {}", low));
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(integer->get());
}

std::optional<double> number_of(const toml::node* node) {
  if (node == nullptr)
    return std::nullopt;
  if (const auto* integer = node->as_integer())
    return static_cast<double>(integer->get());
  if (const auto* floating = node->as_floating_point())
    if (std::isfinite(floating->get()))
      return floating->get();
  return std::nullopt;
}

struct ReadParameter {
  SweepParameter parameter;
  std::optional<std::uint64_t> steps;
};

std::optional<ReadParameter> read_parameter(const toml::table& table, const std::string& at,
                                            Design design, Problems& problems) {
  reject_unknown(table, at, parameter_keys, problems);
  ReadParameter read;
  SweepParameter& p = read.parameter;
  const toml::node* path = table.get("path");
  if (path == nullptr) {
    problems.add(at, table.source(),
                 "missing required key \"path\" (the scenario key to vary, or a list of them)");
  } else if (const auto* text = path->as_string()) {
    p.paths.push_back(text->get());
  } else if (const auto* list = path->as_array(); list != nullptr && !list->empty()) {
    for (const toml::node& entry : *list) {
      if (const auto* item = entry.as_string())
        p.paths.push_back(item->get());
      else
        problems.add(at + ".path", entry.source(), "expected a string (a scenario key's path)");
    }
  } else {
    problems.add(at + ".path", path->source(),
                 "expected a string or a non-empty list of strings (scenario keys' paths)");
  }
  if (const toml::node* name = table.get("name")) {
    if (const auto* text = name->as_string();
        text != nullptr && !text->get().empty() && text->get().find('/') == std::string::npos)
      p.name = text->get();
    else
      problems.add(at + ".name", name->source(), "expected a non-empty string without \"/\"");
  } else if (!p.paths.empty()) {
    p.name = p.paths.front();
  }
  if (std::ranges::find(reserved_names, p.name) != reserved_names.end())
    problems.add(
        at + ".name", table.source(),
        fmt::format("\"{}\" is used by the results file itself: choose another name", p.name));

  const toml::node* values = table.get("values");
  const toml::node* range = table.get("range");
  if ((values == nullptr) == (range == nullptr)) {
    problems.add(at, table.source(),
                 "expected exactly one of \"values\" (a list) and \"range\" ({ from, to, ... })");
    return std::nullopt;
  }
  if (values != nullptr) {
    const auto* list = values->as_array();
    if (design != Design::grid) {
      problems.add(at + ".values", values->source(),
                   fmt::format("a {} design samples ranges: give \"range = {{ from, to }}\"",
                               design_name(design)));
      return std::nullopt;
    }
    if (list == nullptr || list->empty()) {
      problems.add(at + ".values", values->source(), "expected a non-empty list of values");
      return std::nullopt;
    }
    for (const toml::node& entry : *list) {
      if (const std::optional<double> number = number_of(&entry))
        p.values.emplace_back(*number);
      else if (const auto* flag = entry.as_boolean())
        p.values.emplace_back(flag->get());
      else if (const auto* text = entry.as_string())
        p.values.emplace_back(text->get());
      else {
        problems.add(at + ".values", entry.source(),
                     "expected numbers, booleans or strings (finite numbers)");
        return std::nullopt;
      }
      if (p.values.back().index() != p.values.front().index()) {
        problems.add(at + ".values", entry.source(), "expected values of one type");
        return std::nullopt;
      }
    }
    return read;
  }
  const auto* bounds = range->as_table();
  if (bounds == nullptr) {
    problems.add(at + ".range", range->source(),
                 "expected a table { from = LOW, to = HIGH, steps = N, scale = \"linear\" }");
    return std::nullopt;
  }
  reject_unknown(*bounds, at + ".range", range_keys, problems);
  ParameterRange r;
  const std::optional<double> from = number_of(bounds->get("from"));
  const std::optional<double> to = number_of(bounds->get("to"));
  if (!from || !to) {
    problems.add(at + ".range", range->source(), "expected finite numbers \"from\" and \"to\"");
    return std::nullopt;
  }
  r.low = *from;
  r.high = *to;
  if (const toml::node* scale = bounds->get("scale")) {
    const std::optional<std::string> text = scale->value<std::string>();
    if (text == "log")
      r.scale = Scale::log;
    else if (text != "linear")
      problems.add(at + ".range.scale", scale->source(), "expected \"linear\" or \"log\"");
  }
  if (r.low > r.high)
    problems.add(at + ".range", range->source(),
                 fmt::format("expected from <= to, got from = {} and to = {}", r.low, r.high));
  if (r.scale == Scale::log && r.low <= 0.0)
    problems.add(at + ".range.from", range->source(),
                 fmt::format("a log range needs from > 0, got {}", r.low));
  read.steps = read_count(*bounds, "steps", at + ".range.steps", 1, problems);
  if (design == Design::grid && !read.steps && bounds->get("steps") == nullptr)
    problems.add(at + ".range", range->source(),
                 "a grid needs the number of values: \"steps = N\" (N >= 1)");
  if (design != Design::grid && bounds->get("steps") != nullptr)
    problems.add(at + ".range.steps", range->source(),
                 fmt::format("a {} design places its own points: \"steps\" is for grids",
                             design_name(design)));
  p.range = r;
  return read;
}

// Builds the points of the design.
void place_points(Sweep& sweep, const std::vector<std::optional<std::uint64_t>>& steps,
                  std::uint64_t points, Problems& problems) {
  std::vector<ParameterRange> ranges;
  for (const SweepParameter& p : sweep.parameters)
    if (p.range)
      ranges.push_back(*p.range);
  // Every point is validated before the sweep runs (~50 us each) and held in memory: a million
  // points is already hours of validation-free computing at one replica each.
  const auto too_many = [&](const std::string& key, double count) {
    problems.add(key, fmt::format("{:.4g} points: a sweep has at most {} (split it into several "
                                  "sweeps)",
                                  count, max_sweep_points));
  };
  try {
    if (sweep.design == Design::grid) {
      double total = 1.0;
      for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
        const SweepParameter& p = sweep.parameters[i];
        total *= p.range ? static_cast<double>(steps[i].value_or(1))
                         : static_cast<double>(p.values.size());
      }
      if (total > max_sweep_points) {
        too_many("sweep.parameters", total);
        return;
      }
      for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
        SweepParameter& p = sweep.parameters[i];
        if (p.range)
          for (const double v : range_values(*p.range, steps[i].value_or(1)))
            p.values.emplace_back(v);
      }
      // The first parameter varies slowest, as in a nested loop written in file order: the
      // factorial of the levels' indices, each index then read as its value.
      std::vector<std::vector<double>> indices;
      for (const SweepParameter& p : sweep.parameters) {
        indices.emplace_back(p.values.size());
        std::iota(indices.back().begin(), indices.back().end(), 0.0);
      }
      for (const std::vector<double>& row : full_factorial(indices)) {
        std::vector<SweepValue> point;
        for (std::size_t i = 0; i < row.size(); ++i)
          point.push_back(sweep.parameters[i].values[static_cast<std::size_t>(row[i])]);
        sweep.points.push_back(std::move(point));
      }
      return;
    }
    const double total = sweep.design == Design::saltelli
                             ? static_cast<double>(points) * static_cast<double>(ranges.size() + 2)
                             : static_cast<double>(points);
    if (total > max_sweep_points) {
      too_many("sweep.points", total);
      return;
    }
    const std::vector<std::vector<double>> rows =
        sweep.design == Design::sobol     ? sobol_design(ranges, points, sweep.design_seed)
        : sweep.design == Design::uniform ? uniform_design(ranges, points, sweep.design_seed)
                                          : saltelli_design(ranges, points, sweep.design_seed);
    if (sweep.design == Design::saltelli)
      sweep.saltelli_base = points;
    for (const std::vector<double>& row : rows)
      sweep.points.emplace_back(row.begin(), row.end());
  } catch (const std::invalid_argument& error) {
    problems.add("sweep", error.what());
  }
}

} // namespace

Sweep parse_sweep(std::string_view text, const std::string& path,
                  const std::optional<std::string>& scenario_text) {
  Sweep sweep;
  sweep.path = path;
  sweep.text = std::string(text);
  const toml::table root = parse_toml(text, path);
  Problems problems(path);
  const toml::table* table = root.get_as<toml::table>("sweep");
  if (table == nullptr) {
    problems.add("sweep", "no [sweep] table: docs/sweeps.md describes one");
    problems.throw_if_any();
  }
  reject_unknown(*table, "sweep", sweep_keys, problems);

  // The base scenario: this file, or the one it names.
  if (const toml::node* named = table->get("scenario")) {
    const std::optional<std::string> relative = named->value<std::string>();
    if (!relative) {
      problems.add("sweep.scenario", named->source(), "expected a path (a string)");
      problems.throw_if_any();
    }
    for (const auto& [key, node] : root)
      if (key.str() != "sweep")
        problems.add(std::string(key.str()), key.source(),
                     "a sweep file that names its scenario holds only the [sweep] table");
    sweep.scenario_path = (fs::path(path).parent_path() / *relative).string();
    sweep.scenario_text = scenario_text ? *scenario_text : read_text(sweep.scenario_path, path);
  } else {
    sweep.scenario_path = path;
    sweep.scenario_text = std::string(text);
  }
  problems.throw_if_any();
  sweep.base = parse_scenario(sweep.scenario_text, sweep.scenario_path);

  if (const toml::node* design = table->get("design")) {
    const std::optional<std::string> name = design->value<std::string>();
    const std::array<Design, 4> designs{Design::grid, Design::sobol, Design::uniform,
                                        Design::saltelli};
    const auto found =
        std::ranges::find_if(designs, [&](Design d) { return name == design_name(d); });
    if (found == designs.end())
      problems.add("sweep.design", design->source(),
                   "expected \"grid\", \"sobol\", \"uniform\" or \"saltelli\"");
    else
      sweep.design = *found;
  }
  const std::optional<std::uint64_t> points =
      read_count(*table, "points", "sweep.points", 1, problems);
  if (sweep.design != Design::grid && !points && table->get("points") == nullptr)
    problems.add("sweep", table->source(),
                 fmt::format("missing required key \"points\" (how many points the {} design "
                             "places)",
                             design_name(sweep.design)));
  if (sweep.design == Design::grid && table->get("points") != nullptr)
    problems.add("sweep.points", table->get("points")->source(),
                 "a grid has the points of its values: \"points\" is for sobol, uniform and "
                 "saltelli designs");
  sweep.design_seed =
      read_count(*table, "design_seed", "sweep.design_seed", 0, problems).value_or(1);
  sweep.replicas = read_count(*table, "replicas", "sweep.replicas", 1, problems)
                       .value_or(static_cast<std::uint64_t>(sweep.base.simulation.replicas));

  std::vector<std::optional<std::uint64_t>> steps;
  const toml::array* parameters = table->get_as<toml::array>("parameters");
  if (parameters == nullptr || parameters->empty()) {
    problems.add("sweep", table->source(),
                 "missing [[sweep.parameters]]: at least one parameter to vary");
    problems.throw_if_any();
  }
  toml::table base_tree = parse_toml(sweep.scenario_text, sweep.scenario_path);
  for (std::size_t i = 0; i < parameters->size(); ++i) {
    const std::string at = fmt::format("sweep.parameters[{}]", i);
    const toml::table* entry = parameters->get(i)->as_table();
    if (entry == nullptr) {
      problems.add(at, parameters->get(i)->source(), "expected a table ([[sweep.parameters]])");
      continue;
    }
    std::optional<ReadParameter> read = read_parameter(*entry, at, sweep.design, problems);
    if (!read)
      continue;
    for (const std::string& key : read->parameter.paths) {
      const auto where = resolve(base_tree, key);
      if (const std::string* why = std::get_if<std::string>(&where))
        problems.add(at + ".path", entry->get("path")->source(),
                     fmt::format("\"{}\": {}", key, *why));
      else if (key.starts_with("sweep"))
        problems.add(at + ".path", entry->get("path")->source(), "a sweep cannot vary itself");
    }
    for (const SweepParameter& earlier : sweep.parameters)
      if (earlier.name == read->parameter.name)
        problems.add(at + ".name", entry->source(),
                     fmt::format("two parameters are named \"{}\"", earlier.name));
    sweep.parameters.push_back(std::move(read->parameter));
    steps.push_back(read->steps);
  }
  problems.throw_if_any();
  place_points(sweep, steps, points.value_or(0), problems);
  problems.throw_if_any();

  // Every point is read as a scenario now, so that a bad value stops the sweep before it runs.
  std::vector<ScenarioError> errors;
  for (std::size_t p = 0; p < sweep.points.size() && errors.size() < 20; ++p) {
    try {
      sweep.scenario_at(p);
    } catch (const ScenarioLoadError& error) {
      errors.insert(errors.end(), error.errors().begin(), error.errors().end());
    }
  }
  if (!errors.empty())
    throw ScenarioLoadError(std::move(errors));
  return sweep;
}

Sweep load_sweep(const std::string& path) {
  return parse_sweep(read_text(path, ""), path);
}

Scenario Sweep::scenario_at(std::size_t point) const {
  toml::table tree = parse_toml(scenario_text, scenario_path);
  tree.erase("sweep");
  for (std::size_t i = 0; i < parameters.size(); ++i)
    for (const std::string& key : parameters[i].paths)
      assign(std::get<Slot>(resolve(tree, key)), points.at(point)[i]);
  std::ostringstream edited;
  edited << toml::toml_formatter(tree);
  try {
    Scenario scenario = parse_scenario(edited.str(), scenario_path);
    scenario.source_text = scenario_text; // the file as the user wrote it
    return scenario;
  } catch (const ScenarioLoadError& error) {
    // Lines of the edited text mean nothing to the user: name the point and the key instead.
    std::vector<ScenarioError> errors;
    for (ScenarioError e : error.errors()) {
      e.message =
          fmt::format("at sweep point {} ({}): {}", point, describe_point(point), e.message);
      e.file = path;
      e.line = e.column = 0;
      errors.push_back(std::move(e));
    }
    throw ScenarioLoadError(std::move(errors));
  }
}

std::vector<double> Sweep::numbers_at(std::size_t point) const {
  std::vector<double> numbers;
  for (std::size_t i = 0; i < parameters.size(); ++i)
    numbers.push_back(parameters[i].number(points.at(point)[i]));
  return numbers;
}

std::vector<double> Sweep::column(std::size_t parameter) const {
  std::vector<double> numbers;
  numbers.reserve(points.size());
  for (const std::vector<SweepValue>& point : points)
    numbers.push_back(parameters.at(parameter).number(point.at(parameter)));
  return numbers;
}

std::string Sweep::describe_point(std::size_t point) const {
  std::string out;
  for (std::size_t i = 0; i < parameters.size(); ++i)
    out += fmt::format("{}{} = {}", i > 0 ? ", " : "", parameters[i].name,
                       value_text(points.at(point)[i]));
  return out;
}

std::string sweep_fingerprint(const Sweep& sweep, std::uint64_t seed) {
  // FNV-1a: stable across builds and machines, unlike std::hash.
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto mix = [&](std::string_view bytes) {
    for (const char c : bytes) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 0x100000001b3ULL;
    }
    hash ^= 0xff; // separates fields, so that "ab"+"c" differs from "a"+"bc"
    hash *= 0x100000001b3ULL;
  };
  mix(sweep.scenario_text);
  mix(sweep.text);
  mix(fmt::format("seed={} replicas={} version={}", seed, sweep.replicas, program_version));
  return fmt::format("{:016x}", hash);
}

} // namespace baskets
