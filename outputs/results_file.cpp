#include "outputs/results_file.hpp"

#include "outputs/hdf5.hpp"
#include "outputs/netcdf.hpp"
#include "sim/statistics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace baskets {

namespace {

namespace fs = std::filesystem;
using netcdf::Description;
using netcdf::Dimension;
using netcdf::label_dimension;
using netcdf::metric_long_names;
using netcdf::metric_names;
using netcdf::metric_units;
using netcdf::new_variable;
using netcdf::number_dimension;
using netcdf::provider_dimension;
using netcdf::Statistic;
using netcdf::statistics;
using netcdf::tail_statistics;
using netcdf::TailStatistic;
using netcdf::write_label_variable;
using netcdf::write_provider_variables;
using netcdf::write_variable;

// 2: cost_energy; the /providers table; market_share, capacity and energy in /timeseries.
constexpr std::uint64_t schema_version = 2;

// Time series are chunked one replica per chunk, so a reader that wants one replica decompresses
// just that one. Level 4 compresses nearly as well as 9 in a fraction of the time.
constexpr unsigned series_gzip_level = 4;

std::vector<std::uint64_t> replica_indices(const std::vector<ReplicaResult>& replicas) {
  std::vector<std::uint64_t> indices;
  for (const ReplicaResult& replica : replicas)
    indices.push_back(replica.replica);
  return indices;
}

struct Series {
  std::string_view name;
  enum class Over { strategy, provider, government, none } over;
  Description description;
  std::vector<double> ReplicaTimeSeries::*values;
};

// In ReplicaTimeSeries::all() order.
const std::array<Series, 10> series{{
    {"served_share",
     Series::Over::strategy,
     {"work served / work demanded over the step, over the strategy's buyers", "share"},
     &ReplicaTimeSeries::served_share},
    {"outage_share",
     Series::Over::strategy,
     {"share of the strategy's buyers in an outage", "share"},
     &ReplicaTimeSeries::outage_share},
    {"quality_gap",
     Series::Over::strategy,
     {"1 - mean relative quality of the work served over the step", "share"},
     &ReplicaTimeSeries::quality_gap},
    {"utilisation",
     Series::Over::provider,
     {"work asked / capacity", "1"},
     &ReplicaTimeSeries::utilisation},
    {"price",
     Series::Over::provider,
     {"price in force", "currency/work unit"},
     &ReplicaTimeSeries::price},
    {"market_share",
     Series::Over::provider,
     {"the provider's share of the work served by API providers over the step", "share"},
     &ReplicaTimeSeries::market_share},
    {"capacity",
     Series::Over::provider,
     {"capacity in force", "work units/day"},
     &ReplicaTimeSeries::capacity},
    {"energy",
     Series::Over::provider,
     {"energy used by the provider's data centre over the step", "kWh"},
     &ReplicaTimeSeries::energy},
    {"providers_cut_off",
     Series::Over::none,
     {"number of providers suspended", "count"},
     &ReplicaTimeSeries::providers_cut_off},
    {"tension",
     Series::Over::government,
     {"the government's tension: 0 calm, 1 tense, 2 crisis"},
     &ReplicaTimeSeries::tension},
}};

std::size_t entities(const TimeSeriesLayout& layout, Series::Over over) {
  switch (over) {
  case Series::Over::strategy:
    return layout.strategies.size();
  case Series::Over::provider:
    return layout.providers.size();
  case Series::Over::government:
    return layout.governments.size();
  case Series::Over::none:
    break;
  }
  return 1;
}

// The writer trusts nothing about the sizes it is given: a mismatch is a bug upstream, and
// writing it would give a file whose arrays do not line up.
void check_input(const ResultsToWrite& results) {
  const auto fail = [](const std::string& what) {
    throw std::invalid_argument("write_results: " + what);
  };
  if (results.scenario == nullptr || results.replicas == nullptr)
    fail("no scenario or no replicas");
  const std::size_t strategies = results.scenario->strategies.size();
  for (const ReplicaResult& replica : *results.replicas)
    if (replica.strategies.size() != strategies)
      fail(fmt::format("replica {} has {} strategies, the scenario {}", replica.replica,
                       replica.strategies.size(), strategies));
  const std::size_t providers = provider_names(*results.scenario).size();
  for (const ReplicaResult& replica : *results.replicas)
    if (replica.providers.size() != providers)
      fail(fmt::format("replica {} has metrics for {} providers, the scenario has {}",
                       replica.replica, replica.providers.size(), providers));
  if (results.risk != nullptr && !results.risk->empty() && results.risk->size() != strategies)
    fail(fmt::format("risk of {} strategies, the scenario has {}", results.risk->size(),
                     strategies));
  if (results.series_layout == nullptr)
    return;
  const TimeSeriesLayout& layout = *results.series_layout;
  if (results.series == nullptr || results.series->size() != results.replicas->size())
    fail("time series: not one per completed replica");
  if (layout.strategies != strategy_names(*results.scenario))
    fail("time series: strategies differ from the scenario's");
  for (std::size_t r = 0; r < results.series->size(); ++r)
    for (const Series& s : series) {
      const std::vector<double>& values = (*results.series)[r].*s.values;
      const std::size_t expected = entities(layout, s.over) * layout.samples();
      if (values.size() != expected)
        fail(fmt::format("time series of replica {}: {} has {} values where the layout asks "
                         "for {}",
                         (*results.replicas)[r].replica, s.name, values.size(), expected));
    }
}

void write_root_attributes(hid_t root, const ResultsToWrite& results) {
  const Scenario& scenario = *results.scenario;
  const RunProvenance& run = results.provenance;
  h5::set_attribute(root, "title", "baskets results: scenario " + scenario.name);
  netcdf::write_program_attributes(root);
  h5::set_attribute(root, "file_kind", "run");
  h5::set_attribute(root, "schema_version", schema_version);
  h5::set_attribute(root, "status", run.complete ? "complete" : "partial");
  h5::set_attribute(root, "partial_reason", run.partial_reason);
  h5::set_attribute(root, "replicas_requested", run.replicas_requested);
  h5::set_attribute(root, "replicas_completed",
                    static_cast<std::uint64_t>(results.replicas->size()));
  h5::set_attribute(root, "replicas_failed", run.replicas_failed);
  netcdf::write_run_attributes(root, run, scenario, scenario.source_path);
}

// The root group: one variable per metric over (replica, strategy), so that
// xr.open_dataset(path).to_dataframe() is the per-replica table.
void write_summary(hid_t root, const ResultsToWrite& results) {
  const std::vector<ReplicaResult>& replicas = *results.replicas;
  const std::size_t strategies = results.scenario->strategies.size();
  const Dimension replica =
      number_dimension(root, "replica", replica_indices(replicas), {"replica index"});
  const Dimension strategy =
      label_dimension(root, "strategy", strategy_names(*results.scenario), {"buyer strategy"});
  for (std::size_t m = 0; m < metric_count; ++m) {
    std::vector<double> values;
    values.reserve(replicas.size() * strategies);
    for (const ReplicaResult& r : replicas)
      for (const StrategyMetrics& s : r.strategies)
        values.push_back(s.values[m]);
    write_variable(root, std::string(metric_info[m].name), {&replica, &strategy}, values,
                   {metric_long_names[m], metric_info[m].unit});
  }
  const std::vector<std::uint64_t> seeds(replicas.size(), results.provenance.seed);
  write_variable(root, "seed", {&replica}, seeds,
                 {"the run's seed: replica r's random streams are keyed by (seed, purpose, "
                  "entity, r)"});
}

// The risk of each strategy, or none when no replica completed (every statistic is then NaN).
const std::vector<StrategyRisk>* assessed(const ResultsToWrite& results) {
  return results.risk != nullptr && !results.risk->empty() ? results.risk : nullptr;
}

// /statistics: xr.open_dataset(path, group="statistics").to_dataframe() has one row per
// (strategy, metric) and one column per statistic.
void write_statistics(hid_t root, const ResultsToWrite& results) {
  const h5::Group group = h5::create_group(root, "statistics");
  const std::vector<std::string> names = strategy_names(*results.scenario);
  const Dimension strategy = label_dimension(group.id(), "strategy", names, {"buyer strategy"});
  const Dimension metric = label_dimension(group.id(), "metric", metric_names(), {"metric"});
  write_label_variable(group.id(), "unit", metric, metric_units(), {"units of the metric"});
  const std::vector<StrategyRisk>* risk = assessed(results);
  for (const Statistic& statistic : statistics) {
    std::vector<double> values;
    for (std::size_t s = 0; s < names.size(); ++s)
      for (std::size_t m = 0; m < metric_count; ++m)
        values.push_back(risk != nullptr ? statistic.value((*risk)[s], m)
                                         : std::numeric_limits<double>::quiet_NaN());
    write_variable(group.id(), std::string(statistic.name), {&strategy, &metric}, values,
                   {statistic.long_name, statistic.units, statistic.units.empty() ? "unit" : ""});
  }
}

// /tail_risk: one row per (strategy, loss), one column per tail statistic.
void write_tail_risk(hid_t root, const ResultsToWrite& results) {
  const h5::Group group = h5::create_group(root, "tail_risk");
  const std::vector<std::string> names = strategy_names(*results.scenario);
  const Dimension strategy = label_dimension(group.id(), "strategy", names, {"buyer strategy"});
  const Dimension loss =
      label_dimension(group.id(), "loss", {netcdf::loss_names.begin(), netcdf::loss_names.end()},
                      {"the loss whose tail is measured: 1 - served_share, or cost_total"});
  write_label_variable(group.id(), "unit", loss, netcdf::loss_units(), {"units of the loss"});
  const std::vector<StrategyRisk>* risk = assessed(results);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const TailStatistic& statistic : tail_statistics) {
    std::vector<double> values;
    for (std::size_t s = 0; s < names.size(); ++s) {
      values.push_back(risk != nullptr ? (*risk)[s].unserved_share_loss.*statistic.value : nan);
      values.push_back(risk != nullptr ? (*risk)[s].cost_loss.*statistic.value : nan);
    }
    write_variable(group.id(), std::string(statistic.name), {&strategy, &loss}, values,
                   {statistic.long_name, {}, "unit"});
  }
  std::vector<double> long_outage;
  for (std::size_t s = 0; s < names.size(); ++s)
    long_outage.push_back(risk != nullptr ? (*risk)[s].probability_long_outage : nan);
  const h5::Dataset probability = new_variable<double>(
      group.id(), "probability_long_outage", {&strategy},
      {"fraction of replicas whose longest outage lasts more than threshold_days", "1"});
  h5::write(probability, std::span<const double>(long_outage));
  h5::set_attribute(probability.id(), "threshold_days",
                    results.provenance.long_outage_threshold_days);
}

// /providers: one variable per provider metric over (replica, provider), so that
// xr.open_dataset(path, group="providers").to_dataframe() is the per-replica provider table. Not
// in the root group: a root dataset over (replica, strategy) and (replica, provider) would make
// .to_dataframe() broadcast every variable over (replica, strategy, provider).
void write_providers(hid_t root, const ResultsToWrite& results) {
  const std::vector<ReplicaResult>& replicas = *results.replicas;
  const std::vector<std::string> names = provider_names(*results.scenario);
  const h5::Group group = h5::create_group(root, "providers");
  const Dimension replica =
      number_dimension(group.id(), "replica", replica_indices(replicas), {"replica index"});
  const Dimension provider = provider_dimension(group.id(), names);
  write_provider_variables(group.id(), {&replica, &provider}, [&](std::size_t m) {
    std::vector<double> values;
    values.reserve(replicas.size() * names.size());
    for (const ReplicaResult& r : replicas)
      for (std::size_t p = 0; p < names.size(); ++p)
        values.push_back(r.providers[p].values[m]);
    return values;
  });
}

// /timeseries: every series over (replica, entity, time), compressed one replica per chunk.
void write_timeseries(hid_t root, const ResultsToWrite& results) {
  const TimeSeriesLayout& layout = *results.series_layout;
  const h5::Group group = h5::create_group(root, "timeseries");
  h5::set_attribute(group.id(), "step_days", layout.step_days);
  const Dimension replica = number_dimension(group.id(), "replica",
                                             replica_indices(*results.replicas), {"replica index"});
  const Dimension strategy =
      label_dimension(group.id(), "strategy", layout.strategies, {"buyer strategy"});
  const Dimension provider = provider_dimension(group.id(), layout.providers);
  const Dimension government =
      label_dimension(group.id(), "government", layout.governments, {"government"});
  const Dimension time =
      number_dimension(group.id(), "time", layout.times,
                       {"days from the replica's start to the end of the step", "days"});

  for (const Series& s : series) {
    const Dimension* entity = s.over == Series::Over::strategy     ? &strategy
                              : s.over == Series::Over::provider   ? &provider
                              : s.over == Series::Over::government ? &government
                                                                   : nullptr;
    std::vector<const Dimension*> dimensions{&replica, &time};
    if (entity != nullptr)
      dimensions.insert(dimensions.begin() + 1, entity);
    h5::Storage storage{{}, series_gzip_level};
    for (const Dimension* dimension : dimensions)
      storage.chunk.push_back(dimension == &replica ? 1 : dimension->length);
    const h5::Dataset dataset =
        new_variable<double>(group.id(), std::string(s.name), dimensions, s.description, storage);
    for (std::size_t r = 0; r < results.series->size(); ++r) {
      const std::vector<double>& values = (*results.series)[r].*s.values;
      h5::write_block(dataset, r, std::span<const double>(values));
    }
    if (s.over == Series::Over::government) {
      // CF flags: tools that read them label the levels.
      const std::array<double, 3> levels{0.0, 1.0, 2.0};
      h5::set_attribute(dataset.id(), "flag_values", std::span<const double>(levels));
      h5::set_attribute(dataset.id(), "flag_meanings", "calm tense crisis");
    }
  }
}

// /provenance: long text that would make unwieldy attributes.
void write_provenance(hid_t root, const ResultsToWrite& results) {
  const h5::Group group = h5::create_group(root, "provenance");
  const h5::Dataset scenario =
      h5::write_string(group.id(), "scenario_text", results.scenario->source_text);
  h5::set_attribute(scenario.id(), "long_name", "the scenario file, as read");
  const h5::Dataset command =
      h5::write_string(group.id(), "command_line", results.provenance.command_line);
  h5::set_attribute(command.id(), "long_name", "the command that wrote this file");
}

} // namespace

void write_results(const std::string& path, const ResultsToWrite& results) {
  check_input(results);
  h5::File file = h5::create_file(path);
  write_root_attributes(file.id(), results);
  write_summary(file.id(), results);
  write_statistics(file.id(), results);
  write_tail_risk(file.id(), results);
  write_providers(file.id(), results);
  if (results.series_layout != nullptr)
    write_timeseries(file.id(), results);
  write_provenance(file.id(), results);
  file.close(); // flushes: a failure here is a failed write
}

// ---- describe_results -------------------------------------------------------------------------

namespace {

// What each group of a results file is, for the listing.
std::string_view group_role(std::string_view group, bool sweep) {
  if (group == "/")
    return sweep ? "per-replica rows: one row per point x replica x strategy"
                 : "per-replica summary: one row per replica x strategy";
  if (group == "statistics")
    return sweep ? "statistics over replicas: one row per point x strategy x metric"
                 : "statistics over replicas: one row per strategy x metric";
  if (group == "tail_risk")
    return sweep ? "tail risk: one row per point x strategy x loss"
                 : "tail risk: one row per strategy x loss";
  if (group == "providers")
    return sweep ? "per-replica provider table: one row per point x replica x provider"
                 : "per-replica provider table: one row per replica x provider";
  if (group == "timeseries")
    return "per-replica time series";
  if (group == "points")
    return "one row per point: the parameters' values";
  if (group == "parameters")
    return "the swept parameters: paths and ranges";
  if (group == "sensitivity")
    return "how much each parameter moves each strategy's headline metrics";
  if (group == "provenance")
    return sweep ? "the scenario and sweep files and the command line"
                 : "the scenario file and the command line";
  return {};
}

// Joins items with ", ", wrapping lines at `width` columns: the first line starts at column
// `first`, the next ones are indented by `indent`.
std::string wrap(const std::vector<std::string>& items, std::size_t first, std::size_t indent,
                 std::size_t width) {
  std::string out;
  std::size_t column = first;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item = items[i] + (i + 1 < items.size() ? "," : "");
    if (i > 0) {
      if (column + 1 + item.size() > width) {
        out += '\n';
        out.append(indent, ' ');
        column = indent;
      } else {
        out += ' ';
        ++column;
      }
    }
    out += item;
    column += item.size();
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0)
      out += separator;
    out += items[i];
  }
  return out;
}

// The dimensions and variables of one group, the variables gathered by their dimensions:
//   /statistics  (statistics over replicas: one row per strategy x metric)
//     dimensions: strategy = 2, metric = 11
//     (metric): unit
//     (strategy, metric): mean, standard_error, ...
std::string describe_group(hid_t group, std::string_view name, bool sweep) {
  std::vector<std::string> dimensions;
  std::vector<std::pair<std::string, std::vector<std::string>>> by_dimensions;
  for (const h5::Member& member : h5::members(group)) {
    if (member.kind != h5::MemberKind::dataset)
      continue;
    const h5::Dataset dataset = h5::open_dataset(group, member.name);
    const std::vector<hsize_t> shape = h5::shape(dataset);
    if (h5::is_dimension(dataset)) {
      dimensions.push_back(fmt::format("{} = {}", member.name, shape.empty() ? 0 : shape[0]));
      continue;
    }
    std::vector<std::string> axes = h5::dimension_names(dataset);
    for (std::size_t i = 0; i < axes.size(); ++i)
      if (axes[i].empty()) // an axis without a dimension: its length
        axes[i] = fmt::format("{}", shape[i]);
    const std::string key = axes.empty() ? "scalars" : fmt::format("({})", join(axes, ", "));
    const std::string label =
        axes.empty() ? fmt::format("{} ({})", member.name, h5::type_name(dataset)) : member.name;
    const auto same = std::ranges::find(by_dimensions, key, [](const auto& e) { return e.first; });
    if (same != by_dimensions.end())
      same->second.push_back(label);
    else
      by_dimensions.push_back({key, {label}});
  }
  std::string out = fmt::format("  /{}", name == "/" ? std::string_view() : name);
  if (const std::string_view role = group_role(name, sweep); !role.empty())
    out += fmt::format("  ({})", role);
  out += '\n';
  if (!dimensions.empty())
    out += fmt::format("    dimensions: {}\n", wrap(dimensions, 16, 6, 100));
  for (const auto& [key, variables] : by_dimensions)
    out += fmt::format("    {}: {}\n", key, wrap(variables, key.size() + 6, 6, 100));
  return out;
}

// A path as a Python string literal.
std::string python_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '\\' || c == '"')
      out += '\\';
    out += c;
  }
  return out + '"';
}

} // namespace

std::string describe_results(const std::string& path) {
  std::error_code error;
  if (!fs::exists(path, error))
    throw std::runtime_error(path + ": no such file");
  if (fs::is_directory(path, error))
    throw std::runtime_error(path + ": is a folder, not a results file");
  if (!h5::is_hdf5_file(path))
    throw std::runtime_error(path + ": not an HDF5 file, so not a baskets results file");
  const h5::File file = h5::open_file(path);
  const hid_t root = file.id();
  if (h5::attribute_text(root, "program") != "baskets")
    throw std::runtime_error(path + ": an HDF5 file, but not a baskets results file (it has no "
                                    "attribute program = \"baskets\")");
  const auto attribute = [&](const std::string& name) { return h5::attribute_text(root, name); };

  const bool sweep = attribute("file_kind") == "sweep";
  std::string out = fmt::format("{}: baskets {} file (schema {})\n", path,
                                sweep ? "sweep" : "results", attribute("schema_version"));
  const auto line = [&](std::string_view label, const std::string& value) {
    // Continuation lines (a multi-line description, say) stay under the value column.
    std::string indented;
    for (const char c : value) {
      indented += c;
      if (c == '\n')
        indented += std::string(15, ' ');
    }
    out += fmt::format("  {:<12} {}\n", label, indented);
  };
  line("written by", fmt::format("baskets {} (commit {})", attribute("program_version"),
                                 attribute("git_commit")));
  std::string status = attribute("status");
  if (status == "partial" && !attribute("partial_reason").empty())
    status += " (" + attribute("partial_reason") + ")";
  line("status", fmt::format("{}: {} of {} replicas completed, {} failed", status,
                             attribute("replicas_completed"), attribute("replicas_requested"),
                             attribute("replicas_failed")));
  if (sweep) {
    line("sweep", fmt::format("{} design, {} of {} points complete, {} replicas per point{} ({})",
                              attribute("design"), attribute("points_complete"),
                              attribute("points"), attribute("replicas_per_point"),
                              attribute("shard").empty() ? "" : ", shard " + attribute("shard"),
                              attribute("sweep_path")));
    line("fingerprint", attribute("fingerprint"));
  }
  line("scenario", fmt::format("{} ({})", attribute("scenario_name"), attribute("scenario_path")));
  if (const std::string description = attribute("scenario_description"); !description.empty())
    line("", description);
  line("seed", attribute("seed"));
  line("horizon", attribute("horizon_days") + " days");
  line("started", attribute("started_at"));
  line("finished", attribute("finished_at"));
  line("host", attribute("host"));
  line("command", attribute("command_line"));
  line("libraries", fmt::format("SimGrid {}, Boost {}, Random123 {}, HDF5 {}",
                                attribute("simgrid_version"), attribute("boost_version"),
                                attribute("random123_version"), attribute("hdf5_version")));

  out += "\nContents\n";
  out += describe_group(root, "/", sweep);
  std::vector<std::string> groups;
  for (const h5::Member& member : h5::members(root))
    if (member.kind == h5::MemberKind::group) {
      const h5::Group group = h5::open_group(root, member.name);
      out += describe_group(group.id(), member.name, sweep);
      groups.push_back(member.name);
    }

  const std::string file_literal = python_string(path);
  out += "\nLoad in Python (xarray with the h5netcdf engine; .to_dataframe() gives pandas):\n"
         "  import xarray as xr\n";
  out += fmt::format("  {} = xr.open_dataset({}, engine=\"h5netcdf\").to_dataframe()\n",
                     sweep ? "rows" : "summary", file_literal);
  if (sweep)
    out += fmt::format("  points = xr.open_dataset({}, engine=\"h5netcdf\", "
                       "group=\"points\").to_dataframe()\n",
                       file_literal);
  const auto has = [&](std::string_view name) { return std::ranges::count(groups, name) > 0; };
  for (const std::string_view table : {"statistics", "tail_risk", "providers", "sensitivity"})
    if (has(table))
      out += fmt::format("  {} = xr.open_dataset({}, engine=\"h5netcdf\", "
                         "group=\"{}\").to_dataframe()\n",
                         table, file_literal, table);
  if (has("timeseries"))
    out += fmt::format("  timeseries = xr.open_dataset({}, engine=\"h5netcdf\", "
                       "group=\"timeseries\")\n",
                       file_literal);
  if (has("provenance"))
    out += fmt::format("  scenario_text = xr.open_dataset({}, engine=\"h5netcdf\", "
                       "group=\"provenance\")[\"scenario_text\"].item()\n",
                       file_literal);
  return out;
}

} // namespace baskets
