// The readable tables `baskets run` and `baskets replay` print.
#pragma once

#include "sim/metrics.hpp"
#include "sim/risk.hpp"
#include "sim/scenario.hpp"

#include <cstdint>
#include <ostream>
#include <vector>

namespace baskets {

struct RunDescription {
  const Scenario* scenario;
  std::uint64_t seed;
  std::uint64_t completed; // replicas that completed
  std::uint64_t attempted;
  double long_outage_days; // threshold of the long-outage probability
  // The completed replicas, for the providers' table (which the strategies' risk does not cover);
  // null: no providers' table.
  const std::vector<ReplicaResult>* replicas = nullptr;
};

void print_report(std::ostream& out, const RunDescription& run,
                  const std::vector<StrategyRisk>& risk);

// One replica's metrics, strategies then providers, at full precision (to compare with the same
// replica of a full run).
void print_replica(std::ostream& out, const Scenario& scenario, const ReplicaResult& replica);

} // namespace baskets
