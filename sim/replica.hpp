// One replica: the scenario's agents as SimGrid actors over one random history, from day 0 to
// the horizon, in the engine of this process.
#pragma once

#include "agents/buyer.hpp"
#include "sim/metrics.hpp"
#include "sim/platform.hpp"
#include "sim/replica_context.hpp"
#include "sim/timeseries.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace baskets {

struct ReplicaOutcome {
  ReplicaResult result;
  std::vector<BuyerOutcome> buyers;       // in platform order
  std::vector<ProviderOutcome> providers; // in platform order
  ActivityCounts counts;
  std::optional<ReplicaTimeSeries> series; // with a time-series layout
};

// Runs replica `replica` (its random streams are those of (seed, purpose, entity, replica)),
// starting when the engine's clock reaches `origin`. With `events`, the agents log what they do;
// with `layout`, a sampler records the replica's time series.
ReplicaOutcome run_replica(const Platform& platform, std::uint64_t seed, std::uint64_t replica,
                           double origin, EventLog* events = nullptr,
                           const TimeSeriesLayout* layout = nullptr);

// Sums the buyers' outcomes per strategy.
ReplicaResult summarise(const Platform& platform, std::uint64_t replica,
                        const std::vector<BuyerOutcome>& buyers);

// The providers' metrics of a replica of `horizon` days.
std::vector<ProviderMetrics> summarise_providers(const std::vector<ProviderOutcome>& providers,
                                                 double horizon);

} // namespace baskets
