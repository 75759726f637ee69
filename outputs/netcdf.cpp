#include "outputs/netcdf.hpp"

#include "baskets/version.hpp"

// simgrid/version.h uses the macros of xbt/base.h without including it.
#include <xbt/base.h>

#include <simgrid/version.h>

#include <boost/version.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#ifndef BASKETS_RANDOM123_VERSION
#define BASKETS_RANDOM123_VERSION "unknown"
#endif

namespace baskets::netcdf {

// Each list is given without a size and converted to the declared one, so that a name missing
// (or one too many) when a metric is added fails to compile: std::to_array makes an array of
// the list's length, and an array of one length does not convert to another. Brace-initialising
// the declared std::array instead would pad a short list with empty long_names silently.
const std::array<std::string_view, metric_count> metric_long_names =
    std::to_array<std::string_view>({
        "work served / work demanded, over the strategy's buyers",
        "demand that was not served, per buyer",
        "time with part of the demand left without any basket, per buyer",
        "the longest outage among the strategy's buyers",
        "number of outages per buyer",
        "API spend (work served x the provider's price), per buyer",
        "own hardware for self-hosting, per buyer",
        "switching costs paid on failovers, per buyer",
        "energy cost of the buyer's own hardware, per buyer",
        "total cost (API + hardware + switching + energy), per buyer",
        "work served x its relative quality, per buyer",
        "1 - mean relative quality of the work served",
    });

const std::array<std::string_view, provider_metric_count> provider_metric_long_names =
    std::to_array<std::string_view>({
        "work served to buyers by the provider",
        "what buyers paid the provider (their API spend on it)",
        "the provider's share of all the work served by API providers",
        "time-weighted mean of work asked / capacity (0 while cut off)",
        "revenue / served work",
        "energy used by the provider's data centre",
        "energy used x the power price of the provider's jurisdiction",
        "capacity investment ordered",
        "number of capacity orders placed",
        "capacity at the horizon (before any chip control)",
        "work served x its relative quality, per kWh used (0 without energy)",
    });

// The units attribute as xarray will read it. xarray decodes a variable whose units are
// "<unit> since <date>" into dates, and one whose units are a bare time unit ("days", "hours",
// ...) into timedelta64: either would turn numbers into something else in the DataFrame. "day",
// the same UDUNITS unit in the singular, stays a number.
std::string units(std::string_view unit) {
  if (unit.find(" since ") != std::string_view::npos)
    throw std::logic_error(fmt::format("units \"{}\" would be decoded as dates", unit));
  constexpr std::array<std::string_view, 7> time_units{
      "days", "hours", "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds"};
  if (std::ranges::find(time_units, unit) != time_units.end())
    unit.remove_suffix(1);
  return std::string(unit);
}

void describe(hid_t object, const Description& description) {
  if (!description.units.empty())
    h5::set_attribute(object, "units", units(description.units));
  h5::set_attribute(object, "long_name", description.long_name);
  if (!description.coordinates.empty())
    h5::set_attribute(object, "coordinates", description.coordinates);
}

Dimension label_dimension(hid_t group, const std::string& name,
                          const std::vector<std::string>& labels, const Description& description) {
  Dimension dimension{h5::write_strings(group, name, labels), labels.size()};
  h5::make_dimension(dimension.scale, name);
  describe(dimension.scale.id(), description);
  return dimension;
}

Dimension provider_dimension(hid_t group, const std::vector<std::string>& names) {
  return label_dimension(group, "provider", names,
                         {"API provider: hyperscalers, then open labs' hosted APIs"});
}

std::string provider_variable_name(std::size_t metric) {
  return fmt::format("provider_{}", provider_metric_info[metric].name);
}

std::vector<std::string> metric_names() {
  std::vector<std::string> names;
  for (const MetricInfo& info : metric_info)
    names.emplace_back(info.name);
  return names;
}

std::vector<std::string> metric_units() {
  std::vector<std::string> all;
  for (const MetricInfo& info : metric_info)
    all.push_back(units(info.unit));
  return all;
}

void write_label_variable(hid_t group, const std::string& name, const Dimension& dimension,
                          const std::vector<std::string>& labels, const Description& description) {
  const h5::Dataset dataset = h5::write_strings(group, name, labels);
  h5::attach_dimensions(dataset, {&dimension.scale});
  describe(dataset.id(), description);
}

const std::array<Statistic, 13> statistics{{
    {"mean",
     "mean over replicas",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.metrics[m].estimate.mean; }},
    {"standard_error",
     "standard error of the mean",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.metrics[m].estimate.standard_error; }},
    {"ci95_low",
     "lower end of the 95% confidence interval of the mean (Student t)",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.metrics[m].ci95.low; }},
    {"ci95_high",
     "upper end of the 95% confidence interval of the mean (Student t)",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.metrics[m].ci95.high; }},
    {"p5",
     "5th percentile over replicas (linear interpolation, type 7)",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.metrics[m].p5; }},
    {"p50",
     "median over replicas (linear interpolation, type 7)",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.metrics[m].p50; }},
    {"p95",
     "95th percentile over replicas (linear interpolation, type 7)",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.metrics[m].p95; }},
    {"p99",
     "99th percentile over replicas (linear interpolation, type 7)",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.metrics[m].p99; }},
    {"paired_difference",
     "mean over replicas of this strategy minus the first one, in the same replica",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.paired[m].difference.mean; }},
    {"paired_standard_error",
     "standard error of the paired difference",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.paired[m].difference.standard_error; }},
    {"paired_ci95_low",
     "lower end of the 95% confidence interval of the paired difference",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.paired[m].ci95.low; }},
    {"paired_ci95_high",
     "upper end of the 95% confidence interval of the paired difference",
     {},
     [](const StrategyRisk& r, std::size_t m) { return r.paired[m].ci95.high; }},
    {"probability_better",
     "fraction of replicas in which this strategy does strictly better than the first one", "1",
     [](const StrategyRisk& r, std::size_t m) { return r.paired[m].probability_better; }},
}};

const std::array<TailStatistic, 4> tail_statistics{{
    {"var95", "value-at-risk at 95%: the loss not exceeded in 95% of replicas", &LossRisk::var95},
    {"cvar95", "conditional value-at-risk at 95%: the mean loss of the worst 5% of replicas",
     &LossRisk::cvar95},
    {"var99", "value-at-risk at 99%: the loss not exceeded in 99% of replicas", &LossRisk::var99},
    {"cvar99", "conditional value-at-risk at 99%: the mean loss of the worst 1% of replicas",
     &LossRisk::cvar99},
}};

std::vector<std::string> loss_units() {
  return {"share", units(metric_info[static_cast<std::size_t>(Metric::cost_total)].unit)};
}

namespace {

std::string simgrid_version() {
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch); // the library in use, not the headers
  return fmt::format("{}.{}.{}", major, minor, patch);
}

std::string boost_version() {
  return fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000,
                     BOOST_VERSION % 100);
}

} // namespace

void write_program_attributes(hid_t root) {
  h5::set_attribute(root, "program", "baskets");
  h5::set_attribute(root, "program_version", program_version);
  h5::set_attribute(root, "git_commit", git_commit);
  h5::set_attribute(root, "simgrid_version", simgrid_version());
  h5::set_attribute(root, "boost_version", boost_version());
  h5::set_attribute(root, "random123_version", BASKETS_RANDOM123_VERSION);
  h5::set_attribute(root, "hdf5_version", h5::library_version());
}

void write_run_attributes(hid_t root, const RunProvenance& run, const Scenario& scenario,
                          const std::string& scenario_path) {
  h5::set_attribute(root, "seed", run.seed);
  h5::set_attribute(root, "scenario_name", scenario.name);
  h5::set_attribute(root, "scenario_path", scenario_path);
  h5::set_attribute(root, "scenario_description", scenario.description);
  h5::set_attribute(root, "horizon_days", scenario.simulation.horizon_days);
  h5::set_attribute(root, "long_outage_threshold_days", run.long_outage_threshold_days);
  h5::set_attribute(root, "command_line", run.command_line);
  h5::set_attribute(root, "started_at", run.started_at);
  h5::set_attribute(root, "finished_at", run.finished_at);
  h5::set_attribute(root, "host", run.host);
}

} // namespace baskets::netcdf
