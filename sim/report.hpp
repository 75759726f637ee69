// The readable table `baskets run` prints.
#pragma once

#include "sim/scenario.hpp"
#include "sim/statistics.hpp"

#include <cstdint>
#include <ostream>
#include <vector>

namespace baskets {

struct RunDescription {
  const Scenario* scenario;
  std::uint64_t seed;
  std::uint64_t replicas;
};

void print_report(std::ostream& out, const RunDescription& run,
                  const std::vector<StrategySummary>& summaries);

} // namespace baskets
