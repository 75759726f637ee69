// `baskets sweep` and `baskets merge`: a parameter sweep on one machine, in shards, or over the
// ranks of an MPI job, checkpointed into its output file so that it can be resumed.
#pragma once

#include "sim/cluster.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace baskets {

struct Shard {
  std::uint64_t index = 0; // I of I/N
  std::uint64_t count = 1; // N
  bool holds(std::size_t point) const { return point % count == index; }
  std::string text() const; // "I/N", or "" for the whole sweep
};

// Reads "I/N" (0 <= I < N); throws std::invalid_argument with what was expected.
Shard parse_shard(const std::string& text);

struct SweepCommand {
  std::string sweep_path;
  std::optional<std::uint64_t> replicas; // per point
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::uint64_t batch = 0;
  bool quiet = false;
  std::optional<std::string> out;
  bool force = false;
  bool resume = false;
  Shard shard;
  double checkpoint_seconds = 60.0;
  double long_outage_days = 30.0;
  bool allow_long = false;                    // no refusal on the estimated time alone
  std::optional<std::uint64_t> crash_replica; // test-only
  std::string command_line;
};

// Each returns the process's exit status.
int run_sweep(const SweepCommand& command, const Cluster& cluster);
int merge_sweeps(const std::string& out, const std::vector<std::string>& shards, bool force,
                 const std::string& command_line);

} // namespace baskets
