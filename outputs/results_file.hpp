// The HDF5 results file: one self-describing, netCDF4-compatible file per run, which xarray's
// h5netcdf engine and h5py read directly (docs/results.md documents the schema).
#pragma once

#include "sim/metrics.hpp"
#include "sim/risk.hpp"
#include "sim/scenario.hpp"
#include "sim/timeseries.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace baskets {

struct RunProvenance {
  std::string command_line;
  std::string started_at;  // ISO 8601, UTC
  std::string finished_at; // ISO 8601, UTC
  std::string host;
  std::uint64_t seed = 0;
  std::uint64_t replicas_requested = 0;
  std::uint64_t replicas_failed = 0;
  bool complete = true;       // false: interrupted, the file holds the replicas that completed
  std::string partial_reason; // e.g. "interrupted by SIGINT"
  double long_outage_threshold_days = 30.0;
};

struct ResultsToWrite {
  const Scenario* scenario = nullptr;
  RunProvenance provenance;
  const std::vector<ReplicaResult>* replicas = nullptr;   // completed, in replica order
  const std::vector<StrategyRisk>* risk = nullptr;        // over those replicas
  const TimeSeriesLayout* series_layout = nullptr;        // null: no time series
  const std::vector<ReplicaTimeSeries>* series = nullptr; // one per completed replica
};

// The output path of a run. The file is written under a temporary name in the same folder and
// renamed to the final name only once complete, so that a run killed at any moment never leaves
// a half-written file under the final name, and an earlier file there stays untouched until then.
class OutputFile {
public:
  // Throws std::runtime_error (naming the path) if the file exists and `overwrite` is false, or
  // if the folder is not writable: before anything is computed.
  OutputFile(std::string final_path, bool overwrite);
  ~OutputFile(); // removes the temporary file unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::string& temporary_path() const { return temporary_path_; }
  const std::string& final_path() const { return final_path_; }
  // Renames the temporary file to the final name. Without `overwrite`, a file that appeared
  // under the final name during the run is left alone: commit throws, naming the temporary file,
  // which is then kept.
  void commit();

private:
  std::string final_path_;
  std::string temporary_path_;
  bool overwrite_ = false;
  bool committed_ = false;
  bool keep_temporary_ = false;
};

// Writes the whole file at `path` (created or truncated). Throws on any HDF5 error, with the
// HDF5 error stack in the message.
void write_results(const std::string& path, const ResultsToWrite& results);

// What `baskets info` prints: provenance and contents, read back from a file.
std::string describe_results(const std::string& path);

} // namespace baskets
