// The HDF5 results file: one self-describing, netCDF4-compatible file per run, which xarray's
// h5netcdf engine and h5py read directly (docs/results.md documents the schema).
#pragma once

#include "outputs/output_file.hpp"
#include "sim/metrics.hpp"
#include "sim/provenance.hpp"
#include "sim/risk.hpp"
#include "sim/scenario.hpp"
#include "sim/timeseries.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace baskets {

struct ResultsToWrite {
  const Scenario* scenario = nullptr;
  RunProvenance provenance;
  const std::vector<ReplicaResult>* replicas = nullptr;   // completed, in replica order
  const std::vector<StrategyRisk>* risk = nullptr;        // over those replicas
  const TimeSeriesLayout* series_layout = nullptr;        // null: no time series
  const std::vector<ReplicaTimeSeries>* series = nullptr; // one per completed replica
};

// Writes the whole file at `path` (created or truncated). Throws on any HDF5 error, with the
// HDF5 error stack in the message.
void write_results(const std::string& path, const ResultsToWrite& results);

// What `baskets info` prints: provenance and contents, read back from a file.
std::string describe_results(const std::string& path);

} // namespace baskets
