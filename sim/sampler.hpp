// The time-series sampler of a replica (run --timeseries): an actor that wakes at every sample
// time and reads the agents' state without changing it.
#pragma once

#include "agents/buyer.hpp"
#include "agents/government.hpp"
#include "agents/provider.hpp"
#include "sim/platform.hpp"
#include "sim/replica_context.hpp"
#include "sim/timeseries.hpp"

#include <memory>
#include <vector>

namespace baskets {

struct SampledAgents {
  const std::vector<std::unique_ptr<BuyerAgent>>& buyers;
  const std::vector<std::unique_ptr<Provider>>& providers;
  const std::vector<std::unique_ptr<GovernmentAgent>>& governments;
};

// Sizes the series for the layout.
ReplicaTimeSeries empty_series(const TimeSeriesLayout& layout);

// The actor's body: fills `series` at each of the layout's times.
void sample(const ReplicaContext& replica, const Platform& platform, const TimeSeriesLayout& layout,
            const SampledAgents& agents, ReplicaTimeSeries& series);

// The layout of a scenario's time series at the given step (providers in platform order).
TimeSeriesLayout make_layout(const Scenario& scenario, double step_days);

} // namespace baskets
