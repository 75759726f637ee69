// Reads a scenario TOML file into the typed Scenario, validating as it goes.
//
// The reader never stops at the first problem: each reader records its errors and carries on
// with a default, so that one run of `baskets check` lists everything wrong with a file. Entries
// are read in dependency order (jurisdictions, chips, providers, strategies, buyers, governments)
// rather than file order, so that every reference can be checked against the names already read.

#include "sim/scenario_parser.hpp"

#include "sim/replica_slots.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>
#include <optional>
#include <system_error>
#include <utility>

#if !TOML_EXCEPTIONS
#error "the scenario reader relies on toml::parse throwing toml::parse_error"
#endif

namespace baskets {

std::string ScenarioError::format() const {
  std::string out = file;
  if (line > 0) {
    out += fmt::format(":{}", line);
    if (column > 0) {
      out += fmt::format(":{}", column);
    }
  }
  out += ": ";
  if (!key.empty()) {
    out += key;
    out += ": ";
  }
  out += message;
  return out;
}

namespace {

std::string join_formatted(const std::vector<ScenarioError>& errors) {
  std::string out;
  for (const ScenarioError& error : errors) {
    if (!out.empty()) {
      out += '\n';
    }
    out += error.format();
  }
  return out;
}

} // namespace

ScenarioLoadError::ScenarioLoadError(std::vector<ScenarioError> errors)
    : std::runtime_error(join_formatted(errors)), errors_(std::move(errors)) {}

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------------------------------------
// Error collection and key paths

class Errors {
public:
  explicit Errors(std::string file) : file_(std::move(file)) {}

  void add(std::string key, const toml::source_region& where, std::string message) {
    errors_.push_back(ScenarioError{file_, std::move(key), static_cast<int>(where.begin.line),
                                    static_cast<int>(where.begin.column), std::move(message)});
  }

  bool empty() const { return errors_.empty(); }

  // In file order, as a compiler lists them: entries are read in dependency order, which
  // would otherwise make the list jump around the file.
  std::vector<ScenarioError> take_sorted() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const auto& x, const auto& y) {
      return std::pair(x.line, x.column) < std::pair(y.line, y.column);
    });
    return std::move(errors_);
  }

private:
  std::string file_;
  std::vector<ScenarioError> errors_;
};

std::string member_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string element_path(std::string_view parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

std::string_view type_name(toml::node_type type) {
  switch (type) {
  case toml::node_type::table:
    return "a table";
  case toml::node_type::array:
    return "an array";
  case toml::node_type::string:
    return "a string";
  case toml::node_type::integer:
    return "an integer";
  case toml::node_type::floating_point:
    return "a float";
  case toml::node_type::boolean:
    return "a boolean";
  case toml::node_type::date:
    return "a date";
  case toml::node_type::time:
    return "a time";
  case toml::node_type::date_time:
    return "a date-time";
  case toml::node_type::none:
    break;
  }
  return "nothing";
}

// Shortest text that reads back as the same double: "-3", "0.9", "1e+300".
std::string number_text(double value) {
  return fmt::format("{}", value);
}

std::string in_quotes(std::string_view text) {
  return fmt::format("\"{}\"", text);
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) {
      out += separator;
    }
    out += item;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // One row of the Levenshtein table at a time; keys are short.
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i + 1;
    for (std::size_t j = 0; j < b.size(); ++j) {
      const std::size_t above = row[j + 1];
      row[j + 1] = std::min({above + 1, row[j] + 1, diagonal + (a[i] == b[j] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row.back();
}

// ---------------------------------------------------------------------------------------------
// One table being read

// Every key a reader asks for is recorded as known, present in the file or not. Afterwards the
// keys nobody asked for are reported as unknown: a misspelt key must never fall back silently to
// a default. Readers therefore ask for every key they accept, whatever they find on the way.
class Fields {
public:
  Fields(const toml::table& table, std::string path, Errors& errors)
      : table_(table), path_(std::move(path)), errors_(errors) {}

  // The node under `key`, or nullptr when absent.
  const toml::node* take(std::string_view key) {
    known_.emplace_back(key);
    return table_.get(key);
  }

  const toml::table& table() const { return table_; }
  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return member_path(path_, key); }
  Errors& errors() const { return errors_; }

  // Reported at the enclosing table, since the key itself has no position.
  void missing(std::string_view key, std::string_view what) const {
    errors_.add(path_of(key), table_.source(),
                fmt::format("missing required key {} ({})", in_quotes(key), what));
  }

  void reject_unknown_keys() const {
    for (const auto& [key, node] : table_) {
      if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) {
        continue;
      }
      errors_.add(path_of(key.str()), key.source(),
                  fmt::format("unknown key {}{}", in_quotes(key.str()), suggestion(key.str())));
    }
  }

private:
  // A hint naming the closest accepted key, for typing slips such as "capacty".
  std::string suggestion(std::string_view unknown) const {
    const std::string* best = nullptr;
    std::size_t best_distance = 3; // more edits than this is a different word
    for (const std::string& candidate : known_) {
      const std::size_t distance = edit_distance(unknown, candidate);
      if (distance < best_distance && distance < unknown.size()) {
        best = &candidate;
        best_distance = distance;
      }
    }
    return best ? fmt::format(" (did you mean {}?)", in_quotes(*best)) : std::string();
  }

  const toml::table& table_;
  std::string path_;
  Errors& errors_;
  std::vector<std::string> known_;
};

// Reads the sub-table `key` with `body(Fields&)` when present, then reports its unknown keys.
// Returns the sub-table, or nullptr when absent or not a table.
template <typename Body>
const toml::table* read_table(Fields& parent, std::string_view key, Body&& body) {
  const toml::node* node = parent.take(key);
  if (!node) {
    return nullptr;
  }
  const toml::table* table = node->as_table();
  if (!table) {
    parent.errors().add(parent.path_of(key), node->source(),
                        fmt::format("expected a table, got {}", type_name(node->type())));
    return nullptr;
  }
  Fields fields(*table, parent.path_of(key), parent.errors());
  body(fields);
  fields.reject_unknown_keys();
  return table;
}

// Reads each table of the array `key` with `body(Fields&)`. When `required` describes the
// entries, the array must be present and non-empty. Returns the array, or nullptr when absent
// or not an array.
template <typename Body>
const toml::array* read_table_array(Fields& parent, std::string_view key, std::string_view required,
                                    Body&& body) {
  const toml::node* node = parent.take(key);
  const std::string path = parent.path_of(key);
  if (!node) {
    if (!required.empty()) {
      parent.missing(key, fmt::format("at least one {}", required));
    }
    return nullptr;
  }
  const toml::array* array = node->as_array();
  if (!array) {
    parent.errors().add(
        path, node->source(),
        fmt::format("expected an array of tables, got {}", type_name(node->type())));
    return nullptr;
  }
  if (array->empty() && !required.empty()) {
    parent.errors().add(path, node->source(),
                        fmt::format("expected at least one {}, got an empty array", required));
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const toml::table* table = element.as_table();
    if (!table) {
      parent.errors().add(element_path(path, i), element.source(),
                          fmt::format("expected a table, got {}", type_name(element.type())));
      continue;
    }
    Fields fields(*table, element_path(path, i), parent.errors());
    body(fields);
    fields.reject_unknown_keys();
  }
  return array;
}

// ---------------------------------------------------------------------------------------------
// Scalars

// An allowed interval of numbers, e.g. "> 0", ">= 0", "in [0, 1]", "in (0, 1]".
struct Range {
  double low = -infinity;
  bool low_open = false;
  double high = infinity;
  bool high_open = false;

  bool contains(double x) const {
    const bool above = low_open ? x > low : x >= low;
    const bool below = high_open ? x < high : x <= high;
    return above && below;
  }

  std::string describe() const {
    if (high == infinity) {
      return fmt::format("{} {}", low_open ? ">" : ">=", number_text(low));
    }
    return fmt::format("in {}{}, {}{}", low_open ? "(" : "[", number_text(low), number_text(high),
                       high_open ? ")" : "]");
  }
};

constexpr Range positive{.low = 0.0, .low_open = true};
constexpr Range non_negative{.low = 0.0};
constexpr Range probability{.low = 0.0, .high = 1.0};
constexpr Range share_above_zero{.low = 0.0, .low_open = true, .high = 1.0};
constexpr Range growth_rate{.low = -1.0, .low_open = true}; // -100 % a year would be no demand
constexpr Range multiplier{.low = 1.0};                     // a surge never lowers the price

// A number (TOML integer or float) within `range`, or nullopt after reporting why not.
std::optional<double> number_value(const toml::node& node, const std::string& path,
                                   const Range& range, Errors& errors) {
  double value = 0.0;
  if (const auto* integer = node.as_integer()) {
    value = static_cast<double>(integer->get());
  } else if (const auto* floating = node.as_floating_point()) {
    value = floating->get();
  } else {
    errors.add(
        path, node.source(),
        fmt::format("expected a number {}, got {}", range.describe(), type_name(node.type())));
    return std::nullopt;
  }
  // TOML admits inf and nan; neither means anything as a rate, a capacity or a price.
  if (!std::isfinite(value)) {
    errors.add(path, node.source(),
               fmt::format("expected a finite number {}, got {}", range.describe(), value));
    return std::nullopt;
  }
  if (!range.contains(value)) {
    errors.add(path, node.source(),
               fmt::format("expected a number {}, got {}", range.describe(), number_text(value)));
    return std::nullopt;
  }
  return value;
}

// An optional number: `out` keeps its default when the key is absent or invalid. Returns false
// when the value was present but invalid (already reported).
bool read_number(Fields& fields, std::string_view key, double& out, const Range& range) {
  const toml::node* node = fields.take(key);
  if (!node) {
    return true;
  }
  const std::optional<double> value =
      number_value(*node, fields.path_of(key), range, fields.errors());
  if (value) {
    out = *value;
  }
  return value.has_value();
}

// A required number; `meaning` (with its unit) completes the message when it is missing.
// Returns false when it is missing or invalid (already reported).
bool require_number(Fields& fields, std::string_view key, double& out, const Range& range,
                    std::string_view meaning) {
  if (!fields.table().contains(key)) {
    fields.take(key);
    fields.missing(key, fmt::format("{}, a number {}", meaning, range.describe()));
    return false;
  }
  return read_number(fields, key, out, range);
}

// An optional TOML integer in [low, high] (floats are refused: a count of 2.5 is a mistake).
template <typename Integer>
void read_integer(Fields& fields, std::string_view key, Integer& out, std::int64_t low,
                  std::int64_t high) {
  const toml::node* node = fields.take(key);
  if (!node) {
    return;
  }
  const std::string path = fields.path_of(key);
  const auto* integer = node->as_integer();
  if (!integer) {
    std::string found(type_name(node->type()));
    if (const auto* floating = node->as_floating_point()) {
      found += fmt::format(" ({})", number_text(floating->get()));
    }
    fields.errors().add(path, node->source(),
                        fmt::format("expected an integer >= {}, got {}", low, found));
    return;
  }
  const std::int64_t value = integer->get();
  if (value < low) {
    fields.errors().add(path, node->source(),
                        fmt::format("expected an integer >= {}, got {}", low, value));
  } else if (value > high) {
    fields.errors().add(path, node->source(),
                        fmt::format("expected an integer <= {}, got {}", high, value));
  } else {
    out = static_cast<Integer>(value);
  }
}

// A string, or nullopt after reporting why not.
std::optional<std::string> string_value(const toml::node& node, const std::string& path,
                                        bool non_empty, Errors& errors) {
  const auto* string = node.as_string();
  if (!string) {
    errors.add(path, node.source(),
               fmt::format("expected a string, got {}", type_name(node.type())));
    return std::nullopt;
  }
  if (non_empty && string->get().empty()) {
    errors.add(path, node.source(), "expected a non-empty string, got \"\"");
    return std::nullopt;
  }
  return string->get();
}

void read_string(Fields& fields, std::string_view key, std::string& out) {
  if (const toml::node* node = fields.take(key)) {
    if (auto value = string_value(*node, fields.path_of(key), false, fields.errors())) {
      out = std::move(*value);
    }
  }
}

template <typename T> struct Choice {
  std::string_view name;
  T value;
};

constexpr std::array tension_choices{
    Choice<TensionLevel>{"calm", TensionLevel::calm},
    Choice<TensionLevel>{"tense", TensionLevel::tense},
    Choice<TensionLevel>{"crisis", TensionLevel::crisis},
};

constexpr std::array duration_choices{
    Choice<DurationKind>{"exponential", DurationKind::exponential},
    Choice<DurationKind>{"lognormal", DurationKind::lognormal},
    Choice<DurationKind>{"fixed", DurationKind::fixed},
};

constexpr std::array action_choices{
    Choice<ActionKind>{"suspend_model", ActionKind::suspend_model},
    Choice<ActionKind>{"block_jurisdiction", ActionKind::block_jurisdiction},
    Choice<ActionKind>{"restrict_licence", ActionKind::restrict_licence},
    Choice<ActionKind>{"restrict_chips", ActionKind::restrict_chips},
};

template <typename T, std::size_t N>
std::string choices_text(const std::array<Choice<T>, N>& choices) {
  std::vector<std::string> names;
  for (const Choice<T>& choice : choices) {
    names.push_back(in_quotes(choice.name));
  }
  return "one of " + join(names, ", ");
}

// One of `choices` under `key`. `required` describes the key when it must be present; when
// absent otherwise, `out` keeps its default. Returns the value read, if any.
template <typename T, std::size_t N>
std::optional<T> read_choice(Fields& fields, std::string_view key, T& out,
                             const std::array<Choice<T>, N>& choices,
                             std::string_view required = {}) {
  const toml::node* node = fields.take(key);
  if (!node) {
    if (!required.empty()) {
      fields.missing(key, fmt::format("{}, {}", required, choices_text(choices)));
    }
    return std::nullopt;
  }
  const std::string path = fields.path_of(key);
  const std::optional<std::string> text = string_value(*node, path, false, fields.errors());
  if (!text) {
    return std::nullopt;
  }
  for (const Choice<T>& choice : choices) {
    if (choice.name == *text) {
      out = choice.value;
      return choice.value;
    }
  }
  fields.errors().add(path, node->source(),
                      fmt::format("expected {}, got {}", choices_text(choices), in_quotes(*text)));
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Names

// The names one kind of entry defines, in file order, with the entry that defined each (to
// point at the first definition when a name comes twice). Scenarios hold tens of entries, so a
// linear search is plenty.
class NameTable {
public:
  const std::string* owner(std::string_view name) const {
    const auto found = std::find_if(entries_.begin(), entries_.end(),
                                    [&](const auto& entry) { return entry.first == name; });
    return found == entries_.end() ? nullptr : &found->second;
  }
  bool contains(std::string_view name) const { return owner(name) != nullptr; }
  void add(std::string name, std::string owner_path) {
    entries_.emplace_back(std::move(name), std::move(owner_path));
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : entries_) {
      out.push_back(entry.first);
    }
    return out;
  }

private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

std::string known_text(const std::vector<std::string>& names) {
  return names.empty() ? std::string("none defined") : "known: " + join(names, ", ");
}

std::string basket_text(const BasketRef& basket) {
  return fmt::format("{} {}", basket.kind == BasketKind::api ? "api" : "self_hosted",
                     in_quotes(basket.provider));
}

// What a strategy tells the buyer checks and the "every strategy is used" check.
struct StrategyNote {
  std::string name;
  std::string path;
  toml::source_region where;
  std::optional<std::string> self_hosted; // an open lab run on own hardware, if any
  bool used = false;
};

// ---------------------------------------------------------------------------------------------
// The scenario

class ScenarioReader {
public:
  explicit ScenarioReader(Errors& errors) : errors_(errors) {}

  void read(const toml::table& root_table, Scenario& scenario) {
    Fields root(root_table, "", errors_);
    read_string(root, "description", scenario.description);
    read_table(root, "simulation", [&](Fields& f) { read_simulation(f, scenario.simulation); });
    read_table(root, "market", [&](Fields& f) {
      read_number(f, "frontier_doubling_days", scenario.market.frontier_doubling_days, positive);
    });
    read_table_array(root, "jurisdictions", "[[jurisdictions]] table",
                     [&](Fields& f) { scenario.jurisdictions.push_back(read_jurisdiction(f)); });
    read_table_array(root, "chips", "", [&](Fields& f) { scenario.chips.push_back(read_chip(f)); });
    read_table_array(root, "links", "", [&](Fields& f) { scenario.links.push_back(read_link(f)); });
    read_table_array(root, "hyperscalers", "",
                     [&](Fields& f) { scenario.hyperscalers.push_back(read_hyperscaler(f)); });
    read_table_array(root, "open_labs", "",
                     [&](Fields& f) { scenario.open_labs.push_back(read_open_lab(f)); });
    read_table_array(root, "strategies", "[[strategies]] table",
                     [&](Fields& f) { scenario.strategies.push_back(read_strategy(f)); });
    read_table_array(root, "buyers", "[[buyers]] table (a buyer group)",
                     [&](Fields& f) { scenario.buyers.push_back(read_buyer(f)); });
    read_table_array(root, "governments", "",
                     [&](Fields& f) { scenario.governments.push_back(read_government(f)); });
    root.take("sweep"); // a sweep of this scenario (docs/sweeps.md): the sweep reader's
    root.reject_unknown_keys();

    // A strategy no buyer follows produces no results; most likely a buyer names it wrongly.
    for (const StrategyNote& note : strategies_) {
      if (!note.used) {
        errors_.add(
            note.path, note.where,
            fmt::format("strategy {} is not used by any buyer group", in_quotes(note.name)));
      }
    }
  }

private:
  static void read_simulation(Fields& f, SimulationSettings& simulation) {
    // Replicas run in slots of one binade of the engine's clock (sim/replica_slots.hpp): a
    // horizon beyond 2^29 days (1.5 million years) leaves no room for them.
    read_number(f, "horizon_days", simulation.horizon_days,
                Range{.low = 0.0, .low_open = true, .high = ReplicaSlots::first_origin / 2});
    read_integer(f, "seed", simulation.seed, 0, std::numeric_limits<std::int64_t>::max());
    read_integer(f, "replicas", simulation.replicas, 1, std::numeric_limits<int>::max());
    read_number(f, "demand_step_days", simulation.demand_step_days, positive);
  }

  // The required, non-empty `name` of an entry, unique within `names`.
  std::string define_name(Fields& f, NameTable& names, std::string_view meaning) {
    const toml::node* node = f.take("name");
    if (!node) {
      f.missing("name", fmt::format("the {}'s name, a non-empty string", meaning));
      return {};
    }
    std::optional<std::string> name = string_value(*node, f.path_of("name"), true, errors_);
    if (!name) {
      return {};
    }
    if (const std::string* owner = names.owner(*name)) {
      errors_.add(f.path_of("name"), node->source(),
                  fmt::format("duplicate name {} (already used by {})", in_quotes(*name), *owner));
    } else {
      names.add(*name, f.path());
    }
    return std::move(*name);
  }

  // Whether this entry is the one that defined `name` (not a duplicate, nor nameless).
  static bool defined_here(const NameTable& names, const std::string& name, const Fields& f) {
    const std::string* owner = names.owner(name);
    return !name.empty() && owner && *owner == f.path();
  }

  // A string naming an entry of `names` (a "jurisdiction", ...), or nullopt after reporting.
  std::optional<std::string> reference_value(const toml::node& node, const std::string& path,
                                             const NameTable& names, std::string_view kind) {
    std::optional<std::string> name = string_value(node, path, true, errors_);
    if (name && !names.contains(*name)) {
      errors_.add(
          path, node.source(),
          fmt::format("unknown {} {} ({})", kind, in_quotes(*name), known_text(names.names())));
      return std::nullopt;
    }
    return name;
  }

  void require_jurisdiction(Fields& f, std::string_view key, std::string& out,
                            std::string_view meaning) {
    const toml::node* node = f.take(key);
    if (!node) {
      f.missing(key, fmt::format("{}, the name of a [[jurisdictions]] entry", meaning));
      return;
    }
    if (auto name = reference_value(*node, f.path_of(key), jurisdictions_, "jurisdiction")) {
      out = std::move(*name);
    }
  }

  Jurisdiction read_jurisdiction(Fields& f) {
    Jurisdiction jurisdiction{define_name(f, jurisdictions_, "jurisdiction")};
    read_number(f, "power_price", jurisdiction.power_price, non_negative);
    return jurisdiction;
  }

  Chip read_chip(Fields& f) {
    Chip chip;
    chip.name = define_name(f, chips_, "chip");
    require_number(f, "efficiency", chip.efficiency, positive, "work units per kWh at full load");
    read_number(f, "idle_power_share", chip.idle_power_share, probability);
    return chip;
  }

  // The optional `chip`, a name from [[chips]]. Returns the node when the key is present, valid
  // or not, so that rules that need a chip stay quiet when the chip's own error says enough.
  const toml::node* read_chip_name(Fields& f, std::string& out) {
    const toml::node* node = f.take("chip");
    if (node) {
      if (auto name = reference_value(*node, f.path_of("chip"), chips_, "chip")) {
        out = std::move(*name);
      }
    }
    return node;
  }

  // A provider's `chip` and `pricing`: hyperscalers and hosted APIs price alike.
  void read_chip_and_pricing(Fields& f, std::string& chip, PriceRule& pricing) {
    const toml::node* chip_node = read_chip_name(f, chip);
    const toml::table* table = read_table(f, "pricing", [&](Fields& rule) {
      read_number(rule, "surge_threshold", pricing.surge_threshold, non_negative);
      read_number(rule, "surge_slope", pricing.surge_slope, non_negative);
      read_number(rule, "max_multiplier", pricing.max_multiplier, multiplier);
      read_number(rule, "energy_pass_through", pricing.energy_pass_through, probability);
    });
    // Without a chip there is no energy cost to pass on: the share would silently do nothing.
    if (!chip_node && pricing.energy_pass_through > 0.0) {
      const toml::node* node = table ? table->get("energy_pass_through") : nullptr;
      errors_.add(member_path(f.path_of("pricing"), "energy_pass_through"),
                  node ? node->source() : f.table().source(),
                  fmt::format("\"energy_pass_through\" = {} needs a chip: energy is modelled only "
                              "for a provider with a chip; add \"chip\", the name of a [[chips]] "
                              "entry ({})",
                              number_text(pricing.energy_pass_through),
                              known_text(chips_.names())));
    }
  }

  static void read_investment(Fields& f, CapacityInvestment& investment) {
    read_number(f, "review_days", investment.review_days, positive);
    read_number(f, "utilisation_threshold", investment.utilisation_threshold, positive);
    read_number(f, "step_share", investment.step_share, positive);
    read_number(f, "lead_time_days", investment.lead_time_days, non_negative);
    read_number(f, "cost_per_capacity", investment.cost_per_capacity, non_negative);
    read_integer(f, "max_orders", investment.max_orders, 0, std::numeric_limits<int>::max());
  }

  static void read_expansion(Fields& f, HardwareExpansion& expansion) {
    read_number(f, "utilisation_threshold", expansion.utilisation_threshold, positive);
    require_number(f, "step", expansion.step, positive, "work units per day added per order");
    read_number(f, "lead_time_days", expansion.lead_time_days, non_negative);
    read_number(f, "cost_per_capacity", expansion.cost_per_capacity, non_negative);
    read_integer(f, "max_orders", expansion.max_orders, 0, std::numeric_limits<int>::max());
  }

  Link read_link(Fields& f) {
    Link link;
    if (const toml::node* between = f.take("between"); !between) {
      f.missing("between", "the two jurisdictions it joins, e.g. [\"EU\", \"US\"]");
    } else {
      read_link_ends(*between, f.path_of("between"), link);
    }
    read_number(f, "latency_ms", link.latency_ms, non_negative);
    read_number(f, "bandwidth_gbps", link.bandwidth_gbps, positive);
    return link;
  }

  void read_link_ends(const toml::node& between, const std::string& path, Link& link) {
    const toml::array* ends = between.as_array();
    if (!ends || ends->size() != 2) {
      const std::string found = ends ? fmt::format("{} element(s)", ends->size())
                                     : std::string(type_name(between.type()));
      errors_.add(path, between.source(),
                  fmt::format("expected an array of two jurisdiction names, got {}", found));
      return;
    }
    const auto a =
        reference_value(*ends->get(0), element_path(path, 0), jurisdictions_, "jurisdiction");
    const auto b =
        reference_value(*ends->get(1), element_path(path, 1), jurisdictions_, "jurisdiction");
    if (!a || !b) {
      return;
    }
    if (*a == *b) {
      errors_.add(
          path, between.source(),
          fmt::format("a link joins two different jurisdictions, got {} twice", in_quotes(*a)));
      return;
    }
    // A pair is unordered: ["EU", "US"] and ["US", "EU"] are the same link.
    const auto [low, high] = std::minmax(*a, *b);
    const std::string name = fmt::format("{}|{}", low, high);
    if (const std::string* owner = link_pairs_.owner(name)) {
      errors_.add(path, between.source(),
                  fmt::format("duplicate link between {} and {} (already defined by {})",
                              in_quotes(*a), in_quotes(*b), *owner));
    } else {
      link_pairs_.add(name, path);
    }
    link.a = *a;
    link.b = *b;
  }

  Hyperscaler read_hyperscaler(Fields& f) {
    Hyperscaler hyperscaler;
    hyperscaler.name = define_name(f, providers_, "hyperscaler");
    if (defined_here(providers_, hyperscaler.name, f)) {
      hyperscalers_.add(hyperscaler.name, f.path());
    }
    require_jurisdiction(f, "jurisdiction", hyperscaler.jurisdiction, "its home jurisdiction");
    require_number(f, "capacity", hyperscaler.capacity, positive, "work units per day");
    require_number(f, "price", hyperscaler.price, non_negative, "currency per work unit");
    read_number(f, "quality_lag_days", hyperscaler.quality_lag_days, non_negative);
    read_chip_and_pricing(f, hyperscaler.chip, hyperscaler.pricing);
    read_table(f, "investment", [&](Fields& investment) {
      read_investment(investment, hyperscaler.investment.emplace());
    });
    return hyperscaler;
  }

  OpenLab read_open_lab(Fields& f) {
    OpenLab lab;
    lab.name = define_name(f, providers_, "open lab");
    require_jurisdiction(f, "jurisdiction", lab.jurisdiction, "its home jurisdiction");
    read_number(f, "release_interval_days", lab.release_interval_days, positive);
    read_number(f, "lag_days", lab.lag_days, non_negative);
    read_table(f, "licence", [&](Fields& licence) { read_licence(licence, lab.licence); });
    read_table(f, "hosted_api", [&](Fields& api) {
      HostedApi hosted;
      require_number(api, "capacity", hosted.capacity, positive, "work units per day");
      require_number(api, "price", hosted.price, non_negative, "currency per work unit");
      read_chip_and_pricing(api, hosted.chip, hosted.pricing);
      read_table(api, "investment", [&](Fields& investment) {
        read_investment(investment, hosted.investment.emplace());
      });
      lab.hosted_api = hosted;
    });
    if (defined_here(providers_, lab.name, f)) {
      open_labs_.add(lab.name, f.path());
      if (lab.hosted_api) {
        hosted_apis_.add(lab.name, f.path());
      }
    }
    return lab;
  }

  void read_licence(Fields& f, LicencePolicy& licence) {
    read_number(f, "restrict_probability", licence.restrict_probability, probability);
    const toml::node* node = f.take("excluded_jurisdictions");
    if (!node) {
      return;
    }
    const std::string path = f.path_of("excluded_jurisdictions");
    const toml::array* names = node->as_array();
    if (!names) {
      errors_.add(
          path, node->source(),
          fmt::format("expected an array of jurisdiction names, got {}", type_name(node->type())));
      return;
    }
    for (std::size_t i = 0; i < names->size(); ++i) {
      const toml::node& element = *names->get(i);
      auto name = reference_value(element, element_path(path, i), jurisdictions_, "jurisdiction");
      if (!name) {
        continue;
      }
      if (std::find(licence.excluded_jurisdictions.begin(), licence.excluded_jurisdictions.end(),
                    *name) != licence.excluded_jurisdictions.end()) {
        errors_.add(element_path(path, i), element.source(),
                    fmt::format("jurisdiction {} is listed twice", in_quotes(*name)));
        continue;
      }
      licence.excluded_jurisdictions.push_back(std::move(*name));
    }
  }

  // The basket of a portfolio or fallback entry: exactly one of `api` or `self_hosted`.
  std::optional<BasketRef> read_basket(Fields& f) {
    const toml::node* api = f.take("api");
    const toml::node* self_hosted = f.take("self_hosted");
    if (api && self_hosted) {
      errors_.add(f.path_of("self_hosted"), self_hosted->source(),
                  "expected exactly one of \"api\" or \"self_hosted\", got both");
      return std::nullopt;
    }
    if (!api && !self_hosted) {
      errors_.add(f.path(), f.table().source(),
                  "missing \"api\" (a provider's API) or \"self_hosted\" (an open lab's weights "
                  "on own hardware)");
      return std::nullopt;
    }
    const BasketKind kind = api ? BasketKind::api : BasketKind::self_hosted;
    const toml::node& node = api ? *api : *self_hosted;
    const std::string path = f.path_of(api ? "api" : "self_hosted");
    std::optional<std::string> name = string_value(node, path, true, errors_);
    if (!name) {
      return std::nullopt;
    }
    if (kind == BasketKind::api) {
      if (open_labs_.contains(*name) && !hosted_apis_.contains(*name)) {
        errors_.add(path, node.source(),
                    fmt::format("open lab {} has no [hosted_api], so it cannot be an api basket "
                                "(self_hosted runs its weights on own hardware)",
                                in_quotes(*name)));
        return std::nullopt;
      }
      if (!hyperscalers_.contains(*name) && !hosted_apis_.contains(*name)) {
        std::vector<std::string> known = hyperscalers_.names();
        const std::vector<std::string> hosted = hosted_apis_.names();
        known.insert(known.end(), hosted.begin(), hosted.end());
        errors_.add(path, node.source(),
                    fmt::format("unknown provider {} ({})", in_quotes(*name), known_text(known)));
        return std::nullopt;
      }
    } else if (!open_labs_.contains(*name)) {
      const std::string what =
          hyperscalers_.contains(*name)
              ? fmt::format("{} is a hyperscaler; only an open lab's weights can be self_hosted",
                            in_quotes(*name))
              : fmt::format("unknown open lab {}", in_quotes(*name));
      errors_.add(path, node.source(),
                  fmt::format("{} ({})", what, known_text(open_labs_.names())));
      return std::nullopt;
    }
    return BasketRef{kind, std::move(*name)};
  }

  Strategy read_strategy(Fields& f) {
    Strategy strategy;
    strategy.name = define_name(f, strategy_names_, "strategy");

    bool weights_valid = true;
    const toml::array* portfolio = read_table_array(
        f, "portfolio", "basket, e.g. { api = \"Atlas\", weight = 1 }", [&](Fields& entry) {
          const std::optional<BasketRef> basket = read_basket(entry);
          WeightedBasket weighted;
          if (!require_number(entry, "weight", weighted.weight, positive,
                              "the share of demand sent to this basket")) {
            weights_valid = false;
          }
          if (!basket) {
            return;
          }
          if (const auto* first = find_basket(strategy.portfolio, *basket)) {
            errors_.add(entry.path(), entry.table().source(),
                        fmt::format("{} appears twice in the portfolio (weights {} and {})",
                                    basket_text(*basket), number_text(first->weight),
                                    number_text(weighted.weight)));
            return;
          }
          weighted.basket = *basket;
          strategy.portfolio.push_back(std::move(weighted));
        });
    // Only a portfolio read in full has a meaningful sum; otherwise the entry's own error says
    // what is wrong, and a sum error would be noise.
    if (portfolio && !portfolio->empty() && weights_valid &&
        strategy.portfolio.size() == portfolio->size()) {
      double sum = 0.0;
      for (const WeightedBasket& weighted : strategy.portfolio) {
        sum += weighted.weight;
      }
      if (std::abs(sum - 1.0) > 1e-9) {
        errors_.add(f.path_of("portfolio"), portfolio->source(),
                    fmt::format("weights sum to {:.12g}, expected 1", sum));
      }
    }

    // Absent: each portion falls back to the other baskets, in portfolio order (a portion skips
    // its own basket, which is the one cut off). Present, even empty: as written.
    const bool explicit_fallbacks = f.table().contains("fallbacks");
    read_table_array(f, "fallbacks", "", [&](Fields& entry) {
      const std::optional<BasketRef> basket = read_basket(entry);
      if (!basket) {
        return;
      }
      if (std::find(strategy.fallbacks.begin(), strategy.fallbacks.end(), *basket) !=
          strategy.fallbacks.end()) {
        errors_.add(entry.path(), entry.table().source(),
                    fmt::format("{} is listed twice in the fallbacks", basket_text(*basket)));
        return;
      }
      strategy.fallbacks.push_back(*basket);
    });
    if (!explicit_fallbacks) {
      for (const WeightedBasket& weighted : strategy.portfolio) {
        strategy.fallbacks.push_back(weighted.basket);
      }
    }

    if (defined_here(strategy_names_, strategy.name, f)) {
      StrategyNote note{strategy.name, f.path(), f.table().source(), std::nullopt, false};
      for (const WeightedBasket& weighted : strategy.portfolio) {
        if (!note.self_hosted && weighted.basket.kind == BasketKind::self_hosted) {
          note.self_hosted = weighted.basket.provider;
        }
      }
      for (const BasketRef& basket : strategy.fallbacks) {
        if (!note.self_hosted && basket.kind == BasketKind::self_hosted) {
          note.self_hosted = basket.provider;
        }
      }
      strategies_.push_back(std::move(note));
    }
    return strategy;
  }

  static const WeightedBasket* find_basket(const std::vector<WeightedBasket>& portfolio,
                                           const BasketRef& basket) {
    const auto found = std::find_if(portfolio.begin(), portfolio.end(), [&](const auto& weighted) {
      return weighted.basket == basket;
    });
    return found == portfolio.end() ? nullptr : &*found;
  }

  StrategyNote* find_strategy(std::string_view name) {
    const auto found = std::find_if(strategies_.begin(), strategies_.end(),
                                    [&](const auto& note) { return note.name == name; });
    return found == strategies_.end() ? nullptr : &*found;
  }

  BuyerGroup read_buyer(Fields& f) {
    BuyerGroup buyer;
    buyer.name = define_name(f, buyer_names_, "buyer group");
    require_jurisdiction(f, "jurisdiction", buyer.jurisdiction, "where the buyers are");
    read_integer(f, "count", buyer.count, 1, std::numeric_limits<int>::max());

    const StrategyNote* strategy = nullptr;
    if (const toml::node* node = f.take("strategy"); !node) {
      f.missing("strategy", "the name of a [[strategies]] entry");
    } else if (auto name =
                   reference_value(*node, f.path_of("strategy"), strategy_names_, "strategy")) {
      buyer.strategy = std::move(*name);
      if (StrategyNote* note = find_strategy(buyer.strategy)) {
        note->used = true;
        strategy = note;
      }
    }

    require_number(f, "demand", buyer.demand, positive, "work units per day per buyer on day 0");
    read_number(f, "demand_growth_per_year", buyer.demand_growth_per_year, growth_rate);
    read_number(f, "sensitive_share", buyer.sensitive_share, probability);
    read_table(f, "failover", [&](Fields& failover) {
      read_number(failover, "switch_delay_days", buyer.failover.switch_delay_days, non_negative);
      read_number(failover, "switching_cost", buyer.failover.switching_cost, non_negative);
      read_number(failover, "capacity_share", buyer.failover.capacity_share, share_above_zero);
    });
    bool capacity_valid = true;
    const toml::table* own = read_table(f, "own_hardware", [&](Fields& hardware) {
      capacity_valid = read_number(hardware, "capacity", buyer.own_hardware.capacity, non_negative);
      read_number(hardware, "cost_per_day", buyer.own_hardware.cost_per_day, non_negative);
      read_number(hardware, "lead_time_days", buyer.own_hardware.lead_time_days, non_negative);
      read_chip_name(hardware, buyer.own_hardware.chip);
      read_table(hardware, "expansion", [&](Fields& expansion) {
        read_expansion(expansion, buyer.own_hardware.expansion.emplace());
      });
    });

    // Open weights need somewhere to run: without own hardware, nor an expansion that will buy
    // some, the self_hosted basket would silently serve nothing, which looks like an outage
    // rather than a setup mistake.
    const bool buys_hardware =
        buyer.own_hardware.expansion && buyer.own_hardware.expansion->max_orders > 0;
    if (strategy && strategy->self_hosted && capacity_valid &&
        !(buyer.own_hardware.capacity > 0.0) && !buys_hardware) {
      const toml::node* capacity = own ? own->get("capacity") : nullptr;
      const toml::source_region& where =
          capacity ? capacity->source() : (own ? own->source() : f.table().source());
      errors_.add(
          member_path(f.path_of("own_hardware"), "capacity"), where,
          fmt::format("expected a number > 0, got {}{}: strategy {} runs open weights on "
                      "own hardware (self_hosted {}), and own_hardware has no \"expansion\" "
                      "(with max_orders >= 1) to buy some",
                      number_text(buyer.own_hardware.capacity), capacity ? "" : " (the default)",
                      in_quotes(strategy->name), in_quotes(*strategy->self_hosted)));
    }
    return buyer;
  }

  Government read_government(Fields& f) {
    Government government;
    government.name = define_name(f, government_names_, "government");
    require_jurisdiction(f, "jurisdiction", government.jurisdiction, "the state it governs");
    read_table(f, "tension", [&](Fields& tension) { read_tension(tension, government.tension); });
    read_table_array(f, "actions", "",
                     [&](Fields& action) { government.actions.push_back(read_action(action)); });
    return government;
  }

  static void read_tension(Fields& f, TensionSettings& tension) {
    read_choice(f, "initial", tension.initial, tension_choices);
    read_number(f, "calm_to_tense_per_year", tension.calm_to_tense_per_year, non_negative);
    read_number(f, "tense_to_calm_per_year", tension.tense_to_calm_per_year, non_negative);
    read_number(f, "tense_to_crisis_per_year", tension.tense_to_crisis_per_year, non_negative);
    read_number(f, "crisis_to_tense_per_year", tension.crisis_to_tense_per_year, non_negative);
    read_per_level(f, "rate_multiplier", tension.rate_multiplier, non_negative);
    read_per_level(f, "common_mode_probability", tension.common_mode_probability, probability);
  }

  // An inline table { calm = x, tense = y, crisis = z }, each key optional.
  static void read_per_level(Fields& f, std::string_view key,
                             std::array<double, tension_levels>& values, const Range& range) {
    read_table(f, key, [&](Fields& levels) {
      for (const Choice<TensionLevel>& level : tension_choices) {
        read_number(levels, level.name, values[static_cast<std::size_t>(level.value)], range);
      }
    });
  }

  GovernmentAction read_action(Fields& f) {
    GovernmentAction action;
    const std::optional<ActionKind> kind =
        read_choice(f, "kind", action.kind, action_choices, "what the government does");
    const toml::node* target = f.take("target");
    const toml::node* target_jurisdiction = f.take("target_jurisdiction");
    const toml::node* against = f.take("against");
    require_number(f, "rate_per_year", action.rate_per_year, non_negative,
                   "expected actions per year while calm");
    const toml::node* capacity_factor = f.take("capacity_factor");
    const toml::node* growth_factor = f.take("growth_factor");
    read_table(f, "duration", [&](Fields& duration) { read_duration(duration, action.duration); });

    read_action_target(f, kind, target, target_jurisdiction, action);

    const bool needs_against =
        kind == ActionKind::block_jurisdiction || kind == ActionKind::restrict_licence;
    if (against) {
      if (kind && !needs_against) {
        errors_.add(f.path_of("against"), against->source(),
                    "\"against\" applies only to block_jurisdiction and restrict_licence actions");
      } else if (auto name = reference_value(*against, f.path_of("against"), jurisdictions_,
                                             "jurisdiction")) {
        action.against = std::move(*name);
      }
    } else if (needs_against) {
      f.missing("against", "the jurisdiction the action cuts off, the name of a "
                           "[[jurisdictions]] entry");
    }

    // Either alone is a valid export control: capacity_factor = 1 with growth_factor < 1 only
    // slows the growth of capacity.
    read_chips_factor(f, kind, capacity_factor, "capacity_factor", share_above_zero,
                      action.capacity_factor);
    read_chips_factor(f, kind, growth_factor, "growth_factor", probability, action.growth_factor);
    return action;
  }

  // A number that only restrict_chips actions take, from `node` (the value of `key`, if any).
  void read_chips_factor(const Fields& f, std::optional<ActionKind> kind, const toml::node* node,
                         std::string_view key, const Range& range, double& out) {
    if (!node) {
      return;
    }
    const std::string path = f.path_of(key);
    const auto value = number_value(*node, path, range, errors_);
    if (kind && kind != ActionKind::restrict_chips) {
      errors_.add(path, node->source(),
                  fmt::format("{} applies only to restrict_chips actions", in_quotes(key)));
    } else if (value) {
      out = *value;
    }
  }

  // Exactly one of `target` (a provider) or `target_jurisdiction` (all its providers), with the
  // rules of each kind: licences belong to open labs, chip exports to a whole jurisdiction.
  void read_action_target(Fields& f, std::optional<ActionKind> kind, const toml::node* target,
                          const toml::node* target_jurisdiction, GovernmentAction& action) {
    const bool chips = kind == ActionKind::restrict_chips;
    if (target && target_jurisdiction) {
      errors_.add(f.path_of("target_jurisdiction"), target_jurisdiction->source(),
                  "expected exactly one of \"target\" or \"target_jurisdiction\", got both");
    } else if (!target && !target_jurisdiction) {
      if (chips) {
        f.missing("target_jurisdiction",
                  "restrict_chips limits the chips of every provider of a jurisdiction");
      } else {
        errors_.add(f.path(), f.table().source(),
                    "missing \"target\" (a provider) or \"target_jurisdiction\" (every provider "
                    "of a jurisdiction)");
      }
    } else if (target && chips) {
      errors_.add(f.path_of("target"), target->source(),
                  "restrict_chips applies to a whole jurisdiction: use \"target_jurisdiction\", "
                  "not \"target\"");
    }

    if (target && !chips) {
      const std::string path = f.path_of("target");
      if (auto name = reference_value(*target, path, providers_, "provider")) {
        if (kind == ActionKind::restrict_licence && !open_labs_.contains(*name)) {
          errors_.add(path, target->source(),
                      fmt::format("restrict_licence applies to open labs, but {} is a "
                                  "hyperscaler (open labs: {})",
                                  in_quotes(*name), open_labs_text()));
        } else {
          action.target = std::move(*name);
        }
      }
    }
    if (target_jurisdiction) {
      if (auto name = reference_value(*target_jurisdiction, f.path_of("target_jurisdiction"),
                                      jurisdictions_, "jurisdiction")) {
        action.target_jurisdiction = std::move(*name);
      }
    }
  }

  std::string open_labs_text() const {
    const std::vector<std::string> names = open_labs_.names();
    return names.empty() ? std::string("none defined") : join(names, ", ");
  }

  static void read_duration(Fields& f, DurationSpec& duration) {
    read_choice(f, "distribution", duration.distribution, duration_choices);
    read_number(f, "mean_days", duration.mean_days, positive);
    read_number(f, "sigma", duration.sigma, positive);
    read_number(f, "permanent_probability", duration.permanent_probability, probability);
  }

  Errors& errors_;
  NameTable jurisdictions_;
  NameTable chips_;
  NameTable link_pairs_;
  NameTable providers_; // hyperscalers and open labs share one namespace
  NameTable hyperscalers_;
  NameTable open_labs_;
  NameTable hosted_apis_; // open labs that also sell an API
  NameTable strategy_names_;
  NameTable buyer_names_;
  NameTable government_names_;
  std::vector<StrategyNote> strategies_;
};

toml::table parse_toml(std::string_view text, const std::string& source_path) {
  try {
    return toml::parse(text, std::string_view(source_path));
  } catch (const toml::parse_error& error) {
    Errors errors(source_path);
    errors.add("", error.source(), std::string(error.description()));
    throw ScenarioLoadError(errors.take_sorted());
  }
}

// The whole file, or the reason it cannot be read.
std::optional<std::string> read_file(const std::string& path, std::string& text) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    return "is a directory";
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    // errno comes from the failed open(2) inside the stream.
    return errno != 0 ? std::generic_category().message(errno) : std::string("unknown error");
  }
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return "read error";
  }
  return std::nullopt;
}

} // namespace

Scenario parse_scenario(std::string_view text, const std::string& source_path) {
  const toml::table root = parse_toml(text, source_path);
  Scenario scenario;
  scenario.name = std::filesystem::path(source_path).stem().string();
  scenario.source_path = source_path;
  scenario.source_text = std::string(text);
  Errors errors(source_path);
  ScenarioReader(errors).read(root, scenario);
  if (!errors.empty()) {
    throw ScenarioLoadError(errors.take_sorted());
  }
  return scenario;
}

Scenario load_scenario(const std::string& path) {
  std::string text;
  if (const std::optional<std::string> reason = read_file(path, text)) {
    throw ScenarioLoadError({ScenarioError{path, "", 0, 0, "cannot open file: " + *reason}});
  }
  return parse_scenario(text, path);
}

} // namespace baskets
