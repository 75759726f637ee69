// The program's subcommands, separated from argument parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace baskets {

struct RunCommand {
  std::string scenario_path;
  std::optional<std::uint64_t> replicas;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::uint64_t batch = 0;
  bool quiet = false;
  std::optional<double> target_ci; // half-width of the 95% interval of served_share
  std::uint64_t max_replicas = 100'000;
  double long_outage_days = 30.0;
  bool allow_long = false;                    // no refusal on the estimated time alone
  std::optional<std::uint64_t> crash_replica; // test-only
  int crash_signal = 6;                       // test-only: SIGABRT
  std::optional<std::string> out;             // results file (HDF5)
  bool force = false;                         // overwrite an existing results file
  std::optional<double> timeseries_step_days; // record time series at this step
  std::string command_line;                   // for provenance
};

struct ReplayCommand {
  std::string scenario_path;
  std::uint64_t replica = 0;
  std::optional<std::uint64_t> seed;
};

// Each returns the process's exit status.
int run_scenario(const RunCommand& command);
int check_scenario(const std::string& path);
int replay_replica(const ReplayCommand& command);
// A damaged file that hangs the HDF5 library is given up after `read_timeout_seconds`.
int describe_results_file(const std::string& path, unsigned read_timeout_seconds = 120);

inline constexpr int exit_failed_replicas = 3;

} // namespace baskets
