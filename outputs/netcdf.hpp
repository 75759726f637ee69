// The netCDF-4 conventions the results files follow, over the HDF5 layer: described variables
// over named dimensions, units that xarray leaves as numbers, and the tables of statistics and of
// providers that a run's file and a sweep's file both store. One place, so that both files read
// alike.
#pragma once

#include "outputs/hdf5.hpp"
#include "sim/metrics.hpp"
#include "sim/provenance.hpp"
#include "sim/risk.hpp"
#include "sim/scenario.hpp"

#include <array>
#include <concepts>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace baskets::netcdf {

// What each metric means, for the long_name attribute (the README's table, in Metric order).
extern const std::array<std::string_view, metric_count> metric_long_names;

// The same for each provider metric (in ProviderMetric order).
extern const std::array<std::string_view, provider_metric_count> provider_metric_long_names;

// The units attribute as xarray will read it: a bare time unit ("days") would be decoded into
// timedelta64 and "<unit> since <date>" into dates, so "days" is written "day" (the same UDUNITS
// unit) and a "since" is refused (std::logic_error).
std::string units(std::string_view unit);

// How the file describes a variable.
struct Description {
  std::string_view long_name;
  std::string_view units = {};       // empty: none (they vary along a dimension, see coordinates)
  std::string_view coordinates = {}; // CF auxiliary coordinates, e.g. the units along a dimension
};

void describe(hid_t object, const Description& description);

// A netCDF dimension: a 1-D coordinate variable that is also an HDF5 dimension scale.
struct Dimension {
  h5::Dataset scale;
  hsize_t length = 0;
};

Dimension label_dimension(hid_t group, const std::string& name,
                          const std::vector<std::string>& labels, const Description& description);

template <h5::Number T>
Dimension number_dimension(hid_t group, const std::string& name, const std::vector<T>& values,
                           const Description& description) {
  Dimension dimension{
      h5::write_dataset<T>(group, name, {values.size()}, std::span<const T>(values)),
      values.size()};
  h5::make_dimension(dimension.scale, name);
  describe(dimension.scale.id(), description);
  return dimension;
}

// A variable over the given dimensions (in axis order), described, not yet written.
template <h5::Number T>
h5::Dataset new_variable(hid_t group, const std::string& name,
                         const std::vector<const Dimension*>& dimensions,
                         const Description& description, const h5::Storage& storage = {}) {
  std::vector<hsize_t> shape;
  std::vector<const h5::Dataset*> scales;
  for (const Dimension* dimension : dimensions) {
    shape.push_back(dimension->length);
    scales.push_back(&dimension->scale);
  }
  h5::Dataset dataset = h5::create_dataset<T>(group, name, shape, storage);
  h5::attach_dimensions(dataset, scales);
  describe(dataset.id(), description);
  return dataset;
}

template <h5::Number T>
void write_variable(hid_t group, const std::string& name,
                    const std::vector<const Dimension*>& dimensions, const std::vector<T>& values,
                    const Description& description) {
  const h5::Dataset dataset = new_variable<T>(group, name, dimensions, description);
  h5::write(dataset, std::span<const T>(values));
}

// The provider dimension of a group: the API providers, in provider_names() order. One
// description for every group that has one (a run's /providers and /timeseries, a sweep's
// /providers).
Dimension provider_dimension(hid_t group, const std::vector<std::string>& names);

// The variable of provider metric `metric` (in ProviderMetric order): "provider_<name>". The
// writers and read_sweep take the name from here, so that what is written is what is read.
std::string provider_variable_name(std::size_t metric);

// One variable per provider metric over `dimensions` (in axis order), each described by its long
// name and units. values(m) gives metric m's values in the dimensions' row-major order.
template <std::invocable<std::size_t> Values>
void write_provider_variables(hid_t group, const std::vector<const Dimension*>& dimensions,
                              const Values& values) {
  for (std::size_t m = 0; m < provider_metric_count; ++m)
    write_variable<double>(group, provider_variable_name(m), dimensions, values(m),
                           {provider_metric_long_names[m], provider_metric_info[m].unit});
}

// A 1-D string variable over one dimension (the units along a dimension, say).
void write_label_variable(hid_t group, const std::string& name, const Dimension& dimension,
                          const std::vector<std::string>& labels, const Description& description);

std::vector<std::string> metric_names();
std::vector<std::string> metric_units(); // as units() writes them

// One statistic of one strategy's risk for one metric: the columns of /statistics.
struct Statistic {
  std::string_view name;
  std::string_view long_name;
  std::string_view units; // empty: the metric's own, given by the `unit` coordinate
  double (*value)(const StrategyRisk&, std::size_t metric);
};
extern const std::array<Statistic, 13> statistics;

// One tail statistic of a loss: the columns of /tail_risk.
struct TailStatistic {
  std::string_view name;
  std::string_view long_name;
  double LossRisk::*value;
};
extern const std::array<TailStatistic, 4> tail_statistics;

// The losses of /tail_risk, and their units.
inline constexpr std::array<std::string_view, 2> loss_names{"unserved_share", "cost_total"};
std::vector<std::string> loss_units();

// Who wrote the file with what: program, version, commit, and the libraries as loaded.
void write_program_attributes(hid_t root);

// What a run's file and a sweep's file both say of the run: the seed, the (base) scenario, the
// long-outage threshold, the command, when and where.
void write_run_attributes(hid_t root, const RunProvenance& run, const Scenario& scenario,
                          const std::string& scenario_path);

} // namespace baskets::netcdf
