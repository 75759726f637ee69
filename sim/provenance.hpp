// What a results file records of the run that wrote it: when, where, and why it stopped.
#pragma once

#include <string>

namespace baskets {

std::string utc_now();             // ISO 8601, e.g. "2026-11-23T10:00:00Z"
std::string host_name();           // this machine's name, or "unknown"
std::string signal_name(int code); // "SIGINT", "SIGTERM", or "signal N"

} // namespace baskets
