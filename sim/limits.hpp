// What a run will need, estimated before it starts, and the refusal of runs that cannot finish:
// results that would not fit in memory, a worker whose actors would not, a results file larger
// than the free disk, or weeks of computing. A refusal names the key or option to change and
// gives the estimate, so that the user can scale the run down knowingly.
#pragma once

#include "sim/scenario.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace baskets {

struct RunNeeds {
  double seconds_per_replica = 0.0; // of one core
  double worker_bytes = 0.0;        // memory of one worker process
  double results_bytes = 0.0;       // held by the main process until the file is written
  double file_bytes = 0.0;          // the results file, if one is written
};

struct RunPlan {
  const Scenario* scenario = nullptr; // the largest of a sweep's points will do
  std::uint64_t replicas = 0;         // in all (points x replicas per point for a sweep)
  unsigned threads = 1;
  double series_samples = 0.0;         // per replica, 0 without time series
  std::optional<std::string> out_path; // the results file
  bool allow_long = false;             // --allow-long: no refusal on time alone
  std::string replicas_option = "-n";  // how the user sets the replica count, for messages
};

// The estimate: measured costs of this program (bench/README.md) with a margin, not a promise.
RunNeeds estimate_needs(const RunPlan& plan);

class LimitError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Throws LimitError when the run would exceed this machine's memory or the output folder's free
// space, or would take more than 30 days (unless allow_long).
void check_limits(const RunPlan& plan);

std::string human_bytes(double bytes);
std::string human_seconds(double seconds);

} // namespace baskets
