#include "outputs/sweep_file.hpp"

#include "outputs/hdf5.hpp"
#include "outputs/netcdf.hpp"
#include "outputs/untrusted_file.hpp"
#include "sim/bytes.hpp"
#include "sim/statistics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace baskets {

namespace {

using netcdf::Description;
using netcdf::Dimension;
using netcdf::label_dimension;
using netcdf::number_dimension;
using netcdf::write_variable;

// 2: the /providers table.
constexpr std::uint64_t schema_version = 2;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<std::uint64_t> iota(std::size_t n) {
  std::vector<std::uint64_t> values(n);
  std::iota(values.begin(), values.end(), std::uint64_t{0});
  return values;
}

std::size_t complete_points(const std::vector<SweepPoint>& points) {
  return static_cast<std::size_t>(
      std::ranges::count_if(points, [](const SweepPoint& p) { return p.complete; }));
}

void check_input(const SweepToWrite& out) {
  if (out.sweep == nullptr || out.points == nullptr ||
      out.points->size() != out.sweep->points.size())
    throw std::invalid_argument("write_sweep: not one result per point of the sweep");
  const std::size_t strategies = out.sweep->base.strategies.size();
  for (const SweepPoint& point : *out.points)
    for (const ReplicaResult& replica : point.replicas)
      if (replica.replica >= out.sweep->replicas || replica.strategies.size() != strategies)
        throw std::invalid_argument(
            fmt::format("write_sweep: replica {} out of range or with {} strategies",
                        replica.replica, replica.strategies.size()));
  // Each row gives every provider, or the /providers table would not line up. Only complete
  // points have rows (SweepPoint::replicas), so these are the rows the file keeps.
  const std::size_t providers = provider_names(out.sweep->base).size();
  for (const SweepPoint& point : *out.points)
    for (const ReplicaResult& replica : point.replicas)
      if (replica.providers.size() != providers)
        throw std::invalid_argument(
            fmt::format("write_sweep: replica {} has metrics for {} providers, the scenario has {}",
                        replica.replica, replica.providers.size(), providers));
}

void write_root_attributes(hid_t root, const SweepToWrite& out) {
  const Sweep& sweep = *out.sweep;
  const RunProvenance& run = out.provenance;
  std::uint64_t completed = 0, failed = 0;
  for (const SweepPoint& point : *out.points) {
    completed += point.replicas.size();
    failed += point.failed.size();
  }
  const bool complete = complete_points(*out.points) == out.points->size();
  h5::set_attribute(root, "title", "baskets sweep: scenario " + sweep.base.name);
  netcdf::write_program_attributes(root);
  h5::set_attribute(root, "file_kind", "sweep");
  h5::set_attribute(root, "schema_version", schema_version);
  h5::set_attribute(root, "status", complete ? "complete" : "partial");
  h5::set_attribute(root, "partial_reason",
                    complete                     ? std::string()
                    : run.partial_reason.empty() ? std::string("not every point has run")
                                                 : run.partial_reason);
  h5::set_attribute(root, "fingerprint", out.fingerprint);
  h5::set_attribute(root, "shard", out.shard);
  h5::set_attribute(root, "design", design_name(sweep.design));
  h5::set_attribute(root, "design_seed", sweep.design_seed);
  h5::set_attribute(root, "points", static_cast<std::uint64_t>(sweep.points.size()));
  h5::set_attribute(root, "points_complete",
                    static_cast<std::uint64_t>(complete_points(*out.points)));
  h5::set_attribute(root, "replicas_per_point", sweep.replicas);
  h5::set_attribute(root, "replicas_requested", run.replicas_requested);
  h5::set_attribute(root, "replicas_completed", completed);
  h5::set_attribute(root, "replicas_failed", failed);
  h5::set_attribute(root, "sweep_path", sweep.path);
  netcdf::write_run_attributes(root, run, sweep.base, sweep.scenario_path);
}

// The root group: one variable per metric over (point, replica, strategy), NaN where a replica
// did not run, and `completed` saying which did.
void write_rows(hid_t root, const SweepToWrite& out) {
  const Sweep& sweep = *out.sweep;
  const std::size_t points = sweep.points.size(), replicas = sweep.replicas,
                    strategies = sweep.base.strategies.size();
  const Dimension point = number_dimension(root, "point", iota(points), {"sweep point index"});
  const Dimension replica = number_dimension(root, "replica", iota(replicas),
                                             {"replica index (the same random "
                                              "history at every point)"});
  const Dimension strategy =
      label_dimension(root, "strategy", strategy_names(sweep.base), {"buyer strategy"});
  std::vector<std::uint64_t> completed(points * replicas, 0);
  for (std::size_t p = 0; p < points; ++p)
    for (const ReplicaResult& r : (*out.points)[p].replicas)
      completed[p * replicas + r.replica] = 1;
  for (std::size_t m = 0; m < metric_count; ++m) {
    std::vector<double> values(points * replicas * strategies, nan);
    for (std::size_t p = 0; p < points; ++p)
      for (const ReplicaResult& r : (*out.points)[p].replicas)
        for (std::size_t s = 0; s < strategies; ++s)
          values[(p * replicas + r.replica) * strategies + s] = r.strategies[s].values[m];
    write_variable(root, std::string(metric_info[m].name), {&point, &replica, &strategy}, values,
                   {netcdf::metric_long_names[m], metric_info[m].unit});
  }
  write_variable(root, "completed", {&point, &replica}, completed,
                 {"1 if the replica ran at the point, 0 if not (its row is NaN)"});
}

// /providers: one variable per provider metric over (point, replica, provider), NaN where the
// point is not complete or the replica did not run: like write_rows, it writes every row there
// is, and only complete points have rows (SweepPoint::replicas). A group of its own for the
// reason a run's file gives (results_file.cpp): in the root, .to_dataframe() would broadcast over
// strategy x provider.
void write_providers(hid_t root, const SweepToWrite& out) {
  const Sweep& sweep = *out.sweep;
  const std::vector<std::string> names = provider_names(sweep.base);
  const std::size_t points = sweep.points.size(), replicas = sweep.replicas,
                    providers = names.size();
  const h5::Group group = h5::create_group(root, "providers");
  const Dimension point =
      number_dimension(group.id(), "point", iota(points), {"sweep point index"});
  const Dimension replica = number_dimension(group.id(), "replica", iota(replicas),
                                             {"replica index (the same random "
                                              "history at every point)"});
  const Dimension provider = netcdf::provider_dimension(group.id(), names);
  netcdf::write_provider_variables(group.id(), {&point, &replica, &provider}, [&](std::size_t m) {
    std::vector<double> values(points * replicas * providers, nan);
    for (std::size_t p = 0; p < points; ++p)
      for (const ReplicaResult& r : (*out.points)[p].replicas)
        for (std::size_t k = 0; k < providers; ++k)
          values[(p * replicas + r.replica) * providers + k] = r.providers[k].values[m];
    return values;
  });
}

void write_points(hid_t root, const SweepToWrite& out) {
  const Sweep& sweep = *out.sweep;
  const h5::Group group = h5::create_group(root, "points");
  const Dimension point =
      number_dimension(group.id(), "point", iota(sweep.points.size()), {"sweep point index"});
  for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
    const SweepParameter& parameter = sweep.parameters[i];
    const std::vector<double> values = sweep.column(i);
    const std::string paths = fmt::format("{}", fmt::join(parameter.paths, ", "));
    const h5::Dataset dataset =
        netcdf::new_variable<double>(group.id(), parameter.name, {&point}, {"swept parameter"});
    h5::write(dataset, std::span<const double>(values));
    h5::set_attribute(dataset.id(), "path", paths);
    h5::set_attribute(dataset.id(), "scale", parameter.scale_name());
    if (!parameter.values.empty() && std::holds_alternative<std::string>(parameter.values[0])) {
      // A string parameter is stored as its level's index; CF flags name the levels.
      std::vector<double> levels;
      std::vector<std::string> names;
      for (std::size_t k = 0; k < parameter.values.size(); ++k) {
        levels.push_back(static_cast<double>(k));
        names.push_back(std::get<std::string>(parameter.values[k]));
      }
      h5::set_attribute(dataset.id(), "flag_values", std::span<const double>(levels));
      h5::set_attribute(dataset.id(), "flag_meanings", fmt::format("{}", fmt::join(names, " ")));
    }
  }
  std::vector<std::uint64_t> complete, completed;
  for (const SweepPoint& p : *out.points) {
    complete.push_back(p.complete ? 1 : 0);
    completed.push_back(p.replicas.size());
  }
  write_variable(group.id(), "complete", {&point}, complete,
                 {"1 if every replica of the point ran"});
  write_variable(group.id(), "replicas_completed", {&point}, completed,
                 {"replicas of the point that completed"});
}

void write_parameters(hid_t root, const Sweep& sweep) {
  const h5::Group group = h5::create_group(root, "parameters");
  std::vector<std::string> names, paths, scales;
  std::vector<double> low, high;
  for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
    const SweepParameter& parameter = sweep.parameters[i];
    names.push_back(parameter.name);
    paths.push_back(fmt::format("{}", fmt::join(parameter.paths, ", ")));
    scales.emplace_back(parameter.scale_name());
    const std::vector<double> values = sweep.column(i);
    const auto [lowest, highest] = std::ranges::minmax(values);
    low.push_back(parameter.range ? parameter.range->low : lowest);
    high.push_back(parameter.range ? parameter.range->high : highest);
  }
  const Dimension parameter = label_dimension(group.id(), "parameter", names, {"swept parameter"});
  netcdf::write_label_variable(group.id(), "path", parameter, paths,
                               {"the scenario keys the parameter sets"});
  netcdf::write_label_variable(group.id(), "scale", parameter, scales,
                               {"linear or log (a range), or values (a list)"});
  write_variable(group.id(), "low", {&parameter}, low,
                 {"lower end of the range, or smallest value"});
  write_variable(group.id(), "high", {&parameter}, high,
                 {"upper end of the range, or largest value"});
}

void write_statistics(hid_t root, const SweepToWrite& out, const PointRisks& risks) {
  const Sweep& sweep = *out.sweep;
  const h5::Group group = h5::create_group(root, "statistics");
  const Dimension point =
      number_dimension(group.id(), "point", iota(sweep.points.size()), {"sweep point index"});
  const std::vector<std::string> names = strategy_names(sweep.base);
  const Dimension strategy = label_dimension(group.id(), "strategy", names, {"buyer strategy"});
  const Dimension metric =
      label_dimension(group.id(), "metric", netcdf::metric_names(), {"metric"});
  netcdf::write_label_variable(group.id(), "unit", metric, netcdf::metric_units(),
                               {"units of the metric"});
  for (const netcdf::Statistic& statistic : netcdf::statistics) {
    std::vector<double> values;
    for (const auto& risk : risks)
      for (std::size_t s = 0; s < names.size(); ++s)
        for (std::size_t m = 0; m < metric_count; ++m)
          values.push_back(risk ? statistic.value((*risk)[s], m) : nan);
    write_variable(group.id(), std::string(statistic.name), {&point, &strategy, &metric}, values,
                   {statistic.long_name, statistic.units, statistic.units.empty() ? "unit" : ""});
  }
}

void write_tail_risk(hid_t root, const SweepToWrite& out, const PointRisks& risks) {
  const Sweep& sweep = *out.sweep;
  const h5::Group group = h5::create_group(root, "tail_risk");
  const Dimension point =
      number_dimension(group.id(), "point", iota(sweep.points.size()), {"sweep point index"});
  const std::vector<std::string> names = strategy_names(sweep.base);
  const Dimension strategy = label_dimension(group.id(), "strategy", names, {"buyer strategy"});
  const Dimension loss =
      label_dimension(group.id(), "loss", {netcdf::loss_names.begin(), netcdf::loss_names.end()},
                      {"the loss whose tail is measured: 1 - served_share, or cost_total"});
  netcdf::write_label_variable(group.id(), "unit", loss, netcdf::loss_units(),
                               {"units of the loss"});
  for (const netcdf::TailStatistic& statistic : netcdf::tail_statistics) {
    std::vector<double> values;
    for (const auto& risk : risks)
      for (std::size_t s = 0; s < names.size(); ++s) {
        values.push_back(risk ? (*risk)[s].unserved_share_loss.*statistic.value : nan);
        values.push_back(risk ? (*risk)[s].cost_loss.*statistic.value : nan);
      }
    write_variable(group.id(), std::string(statistic.name), {&point, &strategy, &loss}, values,
                   {statistic.long_name, {}, "unit"});
  }
  std::vector<double> long_outage;
  for (const auto& risk : risks)
    for (std::size_t s = 0; s < names.size(); ++s)
      long_outage.push_back(risk ? (*risk)[s].probability_long_outage : nan);
  const h5::Dataset probability = netcdf::new_variable<double>(
      group.id(), "probability_long_outage", {&point, &strategy},
      {"fraction of replicas whose longest outage lasts more than threshold_days", "1"});
  h5::write(probability, std::span<const double>(long_outage));
  h5::set_attribute(probability.id(), "threshold_days", out.provenance.long_outage_threshold_days);
}

void write_sensitivity(hid_t root, const SweepToWrite& out, const PointRisks& risks) {
  const Sweep& sweep = *out.sweep;
  const SensitivityTable table = assess_sensitivity(sweep, risks);
  const h5::Group group = h5::create_group(root, "sensitivity");
  std::vector<std::string> parameter_names, metric_names;
  for (const SweepParameter& parameter : sweep.parameters)
    parameter_names.push_back(parameter.name);
  for (const Metric metric : sensitivity_metrics)
    metric_names.emplace_back(metric_info[static_cast<std::size_t>(metric)].name);
  const Dimension parameter =
      label_dimension(group.id(), "parameter", parameter_names, {"swept parameter"});
  const Dimension strategy =
      label_dimension(group.id(), "strategy", strategy_names(sweep.base), {"buyer strategy"});
  const Dimension metric = label_dimension(group.id(), "metric", metric_names, {"metric"});
  const Dimension response = label_dimension(
      group.id(), "response", {sensitivity_responses.begin(), sensitivity_responses.end()},
      {"the point's mean of the metric, or its paired difference against the first strategy"});
  const std::array<std::pair<std::string_view, double Sensitivity::*>, 4> columns{{
      {"spearman", &Sensitivity::spearman},
      {"main_effect", &Sensitivity::main_effect},
      {"sobol_first", &Sensitivity::sobol_first},
      {"sobol_total", &Sensitivity::sobol_total},
  }};
  const std::array<std::string_view, 4> long_names{
      "Spearman rank correlation of the parameter with the response, over complete points",
      "grid: largest minus smallest mean response over the parameter's values",
      "saltelli: first-order variance-based index (Saltelli 2010)",
      "saltelli: total variance-based index (Jansen 1999)"};
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::vector<double> values;
    for (std::size_t i = 0; i < table.parameters(); ++i)
      for (std::size_t s = 0; s < table.strategies(); ++s)
        for (std::size_t m = 0; m < sensitivity_metrics.size(); ++m)
          for (std::size_t r = 0; r < sensitivity_responses.size(); ++r)
            values.push_back(table.at(i, s, m, r).*columns[c].second);
    write_variable(group.id(), std::string(columns[c].first),
                   {&parameter, &strategy, &metric, &response}, values, {long_names[c]});
  }
}

void write_provenance(hid_t root, const SweepToWrite& out) {
  const h5::Group group = h5::create_group(root, "provenance");
  const std::array<std::tuple<std::string_view, std::string_view, std::string_view>, 3> texts{{
      {"scenario_text", out.sweep->scenario_text, "the base scenario file, as read"},
      {"sweep_text", out.sweep->text, "the sweep file, as read"},
      {"command_line", out.provenance.command_line, "the command that wrote this file"},
  }};
  for (const auto& [name, text, long_name] : texts) {
    const h5::Dataset dataset = h5::write_string(group.id(), std::string(name), text);
    h5::set_attribute(dataset.id(), "long_name", long_name);
  }
}

// What read_sweep takes of /providers: each metric's values over (point, replica, provider).
struct ProviderRows {
  std::size_t count = 0; // providers
  std::vector<std::vector<double>> values;
};

ProviderRows read_providers(const std::string& path, hid_t root, std::size_t points,
                            std::size_t replicas) {
  // A file without the group (one of schema 1) fails here, naming it, like any missing member.
  const h5::Group group = h5::open_group(root, "providers");
  ProviderRows rows;
  for (std::size_t m = 0; m < provider_metric_count; ++m) {
    const h5::Dataset dataset = h5::open_dataset(group.id(), netcdf::provider_variable_name(m));
    const std::vector<hsize_t> shape = h5::shape(dataset);
    if (shape.size() != 3 || shape[0] != points || shape[1] != replicas ||
        (!rows.values.empty() && shape[2] != rows.count))
      throw std::runtime_error(path + ": the provider arrays of the sweep file do not line up");
    rows.count = shape[2];
    rows.values.push_back(h5::read<double>(dataset));
  }
  return rows;
}

} // namespace

void write_sweep(const std::string& path, const SweepToWrite& sweep) {
  check_input(sweep);
  const PointRisks risks = assess_points(*sweep.points, sweep.sweep->base.strategies.size(),
                                         sweep.provenance.long_outage_threshold_days);
  h5::File file = h5::create_file(path);
  write_root_attributes(file.id(), sweep);
  write_rows(file.id(), sweep);
  write_providers(file.id(), sweep);
  write_points(file.id(), sweep);
  write_parameters(file.id(), *sweep.sweep);
  write_statistics(file.id(), sweep, risks);
  write_tail_risk(file.id(), sweep, risks);
  write_sensitivity(file.id(), sweep, risks);
  write_provenance(file.id(), sweep);
  file.close();
}

bool is_sweep_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw std::runtime_error(path + ": no such file");
  if (!h5::is_hdf5_file(path))
    throw std::runtime_error(path + ": not an HDF5 file, so not a baskets results file");
  const h5::File file = h5::open_file(path);
  if (h5::attribute_text(file.id(), "program") != "baskets")
    throw std::runtime_error(path + ": an HDF5 file, but not a baskets results file");
  return h5::attribute_text(file.id(), "file_kind") == "sweep";
}

SweepFile read_sweep(const std::string& path) {
  if (!is_sweep_file(path))
    throw std::runtime_error(path + ": the results of a run, not of a sweep");
  try {
    const h5::File file = h5::open_file(path);
    const hid_t root = file.id();
    SweepFile in;
    in.path = path;
    in.fingerprint = h5::read_string_attribute(root, "fingerprint");
    in.git_commit = h5::read_string_attribute(root, "git_commit");
    in.shard = h5::read_string_attribute(root, "shard");
    in.seed = h5::read_attribute<std::uint64_t>(root, "seed");
    in.replicas_per_point = h5::read_attribute<std::uint64_t>(root, "replicas_per_point");
    in.long_outage_threshold_days = h5::read_attribute<double>(root, "long_outage_threshold_days");
    in.sweep_path = h5::read_string_attribute(root, "sweep_path");
    const h5::Group provenance = h5::open_group(root, "provenance");
    in.sweep_text = h5::read_string(h5::open_dataset(provenance.id(), "sweep_text"));
    in.scenario_text = h5::read_string(h5::open_dataset(provenance.id(), "scenario_text"));

    const h5::Group points = h5::open_group(root, "points");
    const std::vector<std::uint64_t> complete =
        h5::read<std::uint64_t>(h5::open_dataset(points.id(), "complete"));
    const std::vector<std::uint64_t> completed =
        h5::read<std::uint64_t>(h5::open_dataset(root, "completed"));
    const h5::Dataset first = h5::open_dataset(root, std::string(metric_info[0].name));
    const std::vector<hsize_t> shape = h5::shape(first);
    if (shape.size() != 3 || shape[0] != complete.size() || shape[1] != in.replicas_per_point ||
        completed.size() != shape[0] * shape[1])
      throw std::runtime_error(path + ": the arrays of the sweep file do not line up");
    const std::size_t replicas = shape[1], strategies = shape[2];
    std::vector<std::vector<double>> metrics;
    for (const MetricInfo& info : metric_info)
      metrics.push_back(h5::read<double>(h5::open_dataset(root, std::string(info.name))));
    const ProviderRows providers = read_providers(path, root, shape[0], replicas);
    for (std::size_t p = 0; p < complete.size(); ++p) {
      SweepPoint point;
      point.complete = complete[p] != 0;
      for (std::size_t r = 0; point.complete && r < replicas; ++r) {
        if (completed[p * replicas + r] == 0) {
          point.failed.push_back(r);
          continue;
        }
        ReplicaResult result{r, std::vector<StrategyMetrics>(strategies),
                             std::vector<ProviderMetrics>(providers.count)};
        for (std::size_t s = 0; s < strategies; ++s)
          for (std::size_t m = 0; m < metric_count; ++m)
            result.strategies[s].values[m] = metrics[m][(p * replicas + r) * strategies + s];
        for (std::size_t k = 0; k < providers.count; ++k)
          for (std::size_t m = 0; m < provider_metric_count; ++m)
            result.providers[k].values[m] =
                providers.values[m][(p * replicas + r) * providers.count + k];
        point.replicas.push_back(std::move(result));
      }
      in.points.push_back(std::move(point));
    }
    return in;
  } catch (const h5::Error& error) {
    throw std::runtime_error(fmt::format("{}: not a readable sweep file: {}", path, error.what()));
  }
}

SweepFile read_sweep_untrusted(const std::string& path) {
  const std::string encoded = read_untrusted(path, [&] {
    const SweepFile file = read_sweep(path);
    std::string out;
    for (const std::string* text : {&file.path, &file.fingerprint, &file.git_commit, &file.shard,
                                    &file.sweep_path, &file.sweep_text, &file.scenario_text})
      bytes::put(out, *text);
    bytes::put(out, file.seed);
    bytes::put(out, file.replicas_per_point);
    bytes::put(out, file.long_outage_threshold_days);
    bytes::put(out, static_cast<std::uint64_t>(file.points.size()));
    std::vector<std::size_t> all(file.points.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    out += encode_points(file.points, all);
    return out;
  });
  bytes::Reader reader(encoded);
  SweepFile file;
  for (std::string* text : {&file.path, &file.fingerprint, &file.git_commit, &file.shard,
                            &file.sweep_path, &file.sweep_text, &file.scenario_text})
    *text = reader.take_string();
  file.seed = reader.take<std::uint64_t>();
  file.replicas_per_point = reader.take<std::uint64_t>();
  file.long_outage_threshold_days = reader.take<double>();
  file.points.resize(reader.take<std::uint64_t>());
  decode_points(encoded.substr(reader.position()), file.points); // the rest: the points
  return file;
}

} // namespace baskets
