// What a replica reports for each strategy (over the buyers that follow it).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace baskets {

enum class Metric {
  served_share,            // served work / demanded work
  unserved_work,           // work units per buyer
  outage_days,             // days per buyer with part of its demand left without a basket
  longest_outage_days,     // the longest such outage among the strategy's buyers
  outage_episodes,         // outages per buyer
  cost_api,                // currency per buyer
  cost_hardware,           // currency per buyer
  cost_switching,          // currency per buyer
  cost_energy,             // currency per buyer: the energy of its own hardware
  cost_total,              // currency per buyer
  quality_adjusted_output, // work units times relative quality, per buyer
  quality_gap,             // 1 - mean relative quality of the work served (work-weighted)
};
inline constexpr std::size_t metric_count = 12;

struct MetricInfo {
  std::string_view name;
  std::string_view unit;
  bool higher_is_better;
};

inline constexpr std::array<MetricInfo, metric_count> metric_info{{
    {"served_share", "share", true},
    {"unserved_work", "work units/buyer", false},
    {"outage_days", "days/buyer", false},
    {"longest_outage_days", "days", false},
    {"outage_episodes", "count/buyer", false},
    {"cost_api", "currency/buyer", false},
    {"cost_hardware", "currency/buyer", false},
    {"cost_switching", "currency/buyer", false},
    {"cost_energy", "currency/buyer", false},
    {"cost_total", "currency/buyer", false},
    {"quality_adjusted_output", "work units/buyer", true},
    {"quality_gap", "share", false},
}};

struct StrategyMetrics {
  std::array<double, metric_count> values{};
  double& operator[](Metric m) { return values[static_cast<std::size_t>(m)]; }
  double operator[](Metric m) const { return values[static_cast<std::size_t>(m)]; }
};

// What a replica reports for each API provider (hyperscalers, then hosted open-lab APIs).
enum class ProviderMetric {
  served_work,          // work units served to buyers
  revenue,              // currency: what buyers paid it (their API spend)
  market_share,         // its share of all the work served by API providers
  mean_utilisation,     // time-weighted work asked / capacity (0 while cut off)
  mean_price,           // currency per work unit: revenue / served work
  energy,               // kWh used by its data centre
  energy_cost,          // currency: energy times its jurisdiction's power price
  capital_cost,         // currency: capacity investment ordered
  capacity_orders,      // capacity orders placed
  final_capacity,       // work units per day at the horizon (before any chip control)
  intelligence_per_kwh, // quality-adjusted work served per kWh (0 without energy)
};
inline constexpr std::size_t provider_metric_count = 11;

inline constexpr std::array<MetricInfo, provider_metric_count> provider_metric_info{{
    {"served_work", "work units", true},
    {"revenue", "currency", true},
    {"market_share", "share", true},
    {"mean_utilisation", "share", true},
    {"mean_price", "currency/work unit", false},
    {"energy", "kWh", false},
    {"energy_cost", "currency", false},
    {"capital_cost", "currency", false},
    {"capacity_orders", "count", false},
    {"final_capacity", "work units/day", true},
    {"intelligence_per_kwh", "work units/kWh", true},
}};

struct ProviderMetrics {
  std::array<double, provider_metric_count> values{};
  double& operator[](ProviderMetric m) { return values[static_cast<std::size_t>(m)]; }
  double operator[](ProviderMetric m) const { return values[static_cast<std::size_t>(m)]; }
};

struct ReplicaResult {
  std::uint64_t replica = 0;
  std::vector<StrategyMetrics> strategies; // in the scenario's strategy order
  std::vector<ProviderMetrics> providers;  // in platform order
};

} // namespace baskets
