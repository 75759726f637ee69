// The HDF5 file of a sweep (docs/sweeps.md documents the schema): the points, every replica's
// summary row, per-point statistics and the sensitivity of the headline metrics to each parameter.
// The file is also the sweep's checkpoint: it holds which points are complete, and everything
// needed to go on (`--resume`) or to join shards (`merge`) without the original files.
#pragma once

#include "outputs/results_file.hpp"
#include "sim/sweep_analysis.hpp"
#include "sim/sweep_spec.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace baskets {

struct SweepToWrite {
  const Sweep* sweep = nullptr;
  RunProvenance provenance; // replicas_requested: points x replicas per point
  std::string fingerprint;  // sweep_fingerprint()
  std::string shard;        // "I/N" for a shard, "" otherwise
  const std::vector<SweepPoint>* points = nullptr; // one per point of the sweep
};

// Writes the whole file at `path` (created or truncated). Throws on any HDF5 error.
void write_sweep(const std::string& path, const SweepToWrite& sweep);

// What merge and --resume need of a sweep file.
struct SweepFile {
  std::string path;
  std::string fingerprint;
  std::string git_commit;
  std::string shard;
  std::uint64_t seed = 0;
  std::uint64_t replicas_per_point = 0;
  std::string sweep_path, sweep_text, scenario_text;
  double long_outage_threshold_days = 30.0;
  std::vector<SweepPoint> points; // one per point; rows only for complete points
};

// Reads a sweep file back. Throws std::runtime_error naming the file when it is not a readable
// baskets sweep file.
SweepFile read_sweep(const std::string& path);

// read_sweep in a child process (outputs/untrusted_file.hpp), for a file the user hands over: a
// damaged file that crashes or hangs the HDF5 library gives an error naming it.
SweepFile read_sweep_untrusted(const std::string& path);

// Whether the file at `path` is a sweep's (false for a run's; throws if it is neither).
bool is_sweep_file(const std::string& path);

} // namespace baskets
