// Per-replica time series, sampled every `step_days` (run --timeseries). Each series holds, for
// the interval that ends at a sample, what happened over it (served share, quality gap) or the
// state at the sample (cutoffs, tension, utilisation, price).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace baskets {

struct TimeSeriesLayout {
  double step_days = 7.0;
  std::vector<double> times; // days since the replica's start: step, 2 step, ..., horizon
  std::vector<std::string> strategies;
  std::vector<std::string> providers; // API providers: hyperscalers, then hosted open-lab APIs
  std::vector<std::string> governments;

  std::size_t samples() const { return times.size(); }
};

// Row-major, time fastest: series[(entity * samples) + k].
struct ReplicaTimeSeries {
  std::vector<double> served_share;      // strategies x samples: served / demanded over the step
  std::vector<double> outage_share;      // strategies x samples: share of buyers in an outage
  std::vector<double> quality_gap;       // strategies x samples: 1 - mean relative quality
  std::vector<double> utilisation;       // providers x samples: work asked / capacity
  std::vector<double> price;             // providers x samples: price in force
  std::vector<double> market_share;      // providers x samples: share of API work over the step
  std::vector<double> capacity;          // providers x samples: work units per day in force
  std::vector<double> energy;            // providers x samples: kWh used over the step
  std::vector<double> providers_cut_off; // samples: providers suspended
  std::vector<double> tension;           // governments x samples: 0 calm, 1 tense, 2 crisis

  // All series, in the order above: what a worker sends and the writer stores.
  std::vector<std::vector<double>*> all() {
    return {&served_share, &outage_share, &quality_gap, &utilisation,       &price,
            &market_share, &capacity,     &energy,      &providers_cut_off, &tension};
  }
};

} // namespace baskets
