// The typed form of a scenario file. Units are part of every name: days, per year, work units
// (an abstract amount of AI work, e.g. a million tokens) and currency. docs/scenario.md documents
// each key of the TOML form with its default.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace baskets {

struct SimulationSettings {
  double horizon_days = 1825.0;
  std::uint64_t seed = 1;
  int replicas = 100;
  // Demand grows continuously; workloads are re-sized at this step (piecewise constant demand),
  // so that the engine sees a few events a month rather than one a day.
  double demand_step_days = 30.0;
};

struct MarketSettings {
  // Frontier capability doubles every this many days; a model lagging L days has relative
  // quality 2^(-L / frontier_doubling_days).
  double frontier_doubling_days = 365.0;
};

struct Jurisdiction {
  std::string name;
  double power_price = 0.0; // currency per kWh
};

// A chip generation: how much AI work its hardware does per unit of energy, and how much power it
// draws idle (docs/market.md). Providers' data centres and buyers' own hardware each use one.
struct Chip {
  std::string name;
  double efficiency = 1.0;       // work units per kWh at full load
  double idle_power_share = 0.3; // power drawn idle, as a share of the power at full load
};

// How a provider's price responds to its utilisation (work asked / capacity): the price in force
// is (price + energy_pass_through x energy cost per work unit) x the surge multiplier
// min(max_multiplier, 1 + surge_slope x max(0, utilisation - surge_threshold)). The default is a
// flat price.
struct PriceRule {
  double surge_threshold = 1.0;
  double surge_slope = 0.0;
  double max_multiplier = std::numeric_limits<double>::infinity();
  double energy_pass_through = 0.0; // share of the energy cost per work unit passed on
  bool surges() const { return surge_slope != 0.0; } // the price follows utilisation
  bool flat() const { return !surges() && energy_pass_through == 0.0; }
};

// A provider's capacity investment: every review_days it looks at its mean utilisation over the
// period just ended; above the threshold, and with no order outstanding, it orders one step of
// capacity, which is usable lead_time_days later.
struct CapacityInvestment {
  double review_days = 90.0;
  double utilisation_threshold = 0.85;
  double step_share = 0.2; // capacity added per order, as a share of the initial capacity
  double lead_time_days = 365.0;
  double cost_per_capacity = 0.0; // currency per (work unit per day) of capacity added
  int max_orders = 10;
};

// A network path between two jurisdictions (control messages travel over it).
struct Link {
  std::string a;
  std::string b;
  double latency_ms = 50.0;
  double bandwidth_gbps = 100.0;
};

struct Hyperscaler {
  std::string name;
  std::string jurisdiction;
  double capacity = 0.0;         // work units per day
  double price = 0.0;            // currency per work unit
  double quality_lag_days = 0.0; // how far its served model trails the frontier
  std::string chip;              // its data centre's chip generation; empty: no energy modelled
  PriceRule pricing;
  std::optional<CapacityInvestment> investment;
};

struct LicencePolicy {
  // Each release, with this probability, excludes the listed jurisdictions.
  double restrict_probability = 0.0;
  std::vector<std::string> excluded_jurisdictions;
};

struct HostedApi {
  double capacity = 0.0; // work units per day
  double price = 0.0;    // currency per work unit
  std::string chip;
  PriceRule pricing;
  std::optional<CapacityInvestment> investment;
};

struct OpenLab {
  std::string name;
  std::string jurisdiction;
  double release_interval_days = 180.0;
  double lag_days = 180.0; // a release made on day r has the frontier's quality of day r - lag
  LicencePolicy licence;
  std::optional<HostedApi> hosted_api;
};

enum class BasketKind { api, self_hosted };

// A basket: a provider's API (a hyperscaler, or an open lab's hosted API), or an open lab's
// weights run on the buyer's own hardware.
struct BasketRef {
  BasketKind kind = BasketKind::api;
  std::string provider;
  friend bool operator==(const BasketRef&, const BasketRef&) = default;
};

struct WeightedBasket {
  BasketRef basket;
  double weight = 0.0;
};

struct Strategy {
  std::string name;
  std::vector<WeightedBasket> portfolio; // weights sum to 1
  // Where a portion goes when its basket is cut off, tried in order. Absent in the file: the
  // other baskets of the portfolio, in portfolio order.
  std::vector<BasketRef> fallbacks;
};

struct FailoverPolicy {
  double switch_delay_days = 0.0;
  double switching_cost = 0.0; // currency per switch to a fallback
  double capacity_share = 1.0; // most of a fallback's capacity one buyer's portion may take
};

// A buyer's procurement of more hardware: at every demand step, when the demand it plans to run on
// its own hardware exceeds the threshold times the capacity it has or has ordered, it orders one
// step, usable lead_time_days later.
struct HardwareExpansion {
  double utilisation_threshold = 0.9;
  double step = 0.0;              // work units per day added per order
  double lead_time_days = 180.0;  // procurement takes months
  double cost_per_capacity = 0.0; // currency per (work unit per day) of capacity, paid at order
  int max_orders = 10;
};

struct OwnHardware {
  double capacity = 0.0;       // work units per day, per buyer
  double cost_per_day = 0.0;   // currency per day, per buyer
  double lead_time_days = 0.0; // the initial hardware is usable from this day on
  std::string chip;            // empty: no energy modelled
  std::optional<HardwareExpansion> expansion;
};

// A group of identical buyers following one strategy.
struct BuyerGroup {
  std::string name;
  std::string jurisdiction;
  int count = 1;
  std::string strategy;
  double demand = 0.0; // work units per day per buyer on day 0
  double demand_growth_per_year = 0.0;
  double sensitive_share = 0.0; // must be served inside the buyer's jurisdiction
  FailoverPolicy failover;
  OwnHardware own_hardware;
};

enum class TensionLevel { calm = 0, tense = 1, crisis = 2 };
inline constexpr int tension_levels = 3;

struct TensionSettings {
  TensionLevel initial = TensionLevel::calm;
  double calm_to_tense_per_year = 0.0;
  double tense_to_calm_per_year = 0.0;
  double tense_to_crisis_per_year = 0.0;
  double crisis_to_tense_per_year = 0.0;
  std::array<double, tension_levels> rate_multiplier{1.0, 1.0, 1.0};
  // Probability that an action aimed at one provider hits every provider of its jurisdiction.
  std::array<double, tension_levels> common_mode_probability{0.0, 0.0, 0.0};
};

enum class DurationKind { exponential, lognormal, fixed };

struct DurationSpec {
  DurationKind distribution = DurationKind::exponential;
  double mean_days = 30.0;
  double sigma = 1.0; // lognormal: standard deviation of the log of the duration
  double permanent_probability = 0.0;
};

enum class ActionKind { suspend_model, block_jurisdiction, restrict_licence, restrict_chips };

struct GovernmentAction {
  ActionKind kind = ActionKind::suspend_model;
  // Exactly one of: a named provider (hyperscaler or open lab), or every provider of a
  // jurisdiction at once (common mode).
  std::string target;
  std::string target_jurisdiction;
  std::string against;          // block_jurisdiction, restrict_licence: the excluded jurisdiction
  double rate_per_year = 0.0;   // arrivals per year while calm (times the tension multiplier)
  double capacity_factor = 1.0; // restrict_chips: capacity left to the targeted providers
  // restrict_chips: the rate at which new capacity can be had while it is in force (an order's
  // lead time is divided by it; 0: no capacity can be ordered).
  double growth_factor = 1.0;
  DurationSpec duration;
};

struct Government {
  std::string name;
  std::string jurisdiction;
  TensionSettings tension;
  std::vector<GovernmentAction> actions;
};

struct Scenario {
  std::string name;        // the file's stem
  std::string source_path; // where it was read from
  std::string source_text; // the full text, for provenance
  std::string description;
  SimulationSettings simulation;
  MarketSettings market;
  std::vector<Jurisdiction> jurisdictions;
  std::vector<Chip> chips;
  std::vector<Link> links;
  std::vector<Hyperscaler> hyperscalers;
  std::vector<OpenLab> open_labs;
  std::vector<Strategy> strategies;
  std::vector<BuyerGroup> buyers;
  std::vector<Government> governments;
};

} // namespace baskets
