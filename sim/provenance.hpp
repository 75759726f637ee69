// What a results file records of the run that wrote it: when, where, and why it stopped.
#pragma once

#include <cstdint>
#include <string>

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

std::string utc_now();             // ISO 8601, e.g. "2026-11-23T10:00:00Z"
std::string host_name();           // this machine's name, or "unknown"
std::string signal_name(int code); // "SIGINT", "SIGTERM", or "signal N"

} // namespace baskets
