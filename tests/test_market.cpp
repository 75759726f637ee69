// The market and the AI stack (docs/market.md) against what must hold exactly: energy from
// SimGrid's host energy plugin against its closed form, conservation of work and money between
// buyers and providers, a flat price rule that changes nothing, surge prices, capacity that is
// not usable before its lead time (an open lab's hosted API prices and invests by the same
// rules), and chip export controls that slow one jurisdiction's growth and no other's. Each
// TEST_CASE runs in its own process (ctest): one SimGrid engine each.

#include "sim/monte_carlo.hpp"
#include "sim/scenario_parser.hpp"
#include "sim/timeseries.hpp"

#include <catch2/catch.hpp>
#include <fmt/core.h>
#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>

#include <cmath>
#include <numeric>
#include <string>
#include <utility>

using namespace baskets;

namespace {

// One provider P (jurisdiction US) serving one group of buyers (EU) that has nowhere else to go,
// with constant demand and no government: every quantity has a closed form.
std::string single_provider(double capacity, int buyers, double demand, double horizon,
                            double step = 0.0) {
  return fmt::format(R"([simulation]
horizon_days = {horizon}
seed = 3
replicas = 4
demand_step_days = {step}

[[jurisdictions]]
name = "US"
[[jurisdictions]]
name = "EU"

[[hyperscalers]]
name = "P"
jurisdiction = "US"
capacity = {capacity}
price = 2.0

[[strategies]]
name = "one basket"
portfolio = [{{ api = "P", weight = 1.0 }}]

[[buyers]]
name = "b"
jurisdiction = "EU"
count = {buyers}
strategy = "one basket"
demand = {demand}
)",
                     fmt::arg("horizon", horizon), fmt::arg("step", step > 0.0 ? step : horizon),
                     fmt::arg("capacity", capacity), fmt::arg("buyers", buyers),
                     fmt::arg("demand", demand));
}

Chip chip(const std::string& name, double efficiency, double idle_share) {
  return Chip{name, efficiency, idle_share};
}

double metric(const ReplicaResult& r, std::size_t provider, ProviderMetric m) {
  return r.providers.at(provider)[m];
}

void require_close(double value, double expected, double relative = 1e-9) {
  INFO("value " << value << ", expected " << expected);
  REQUIRE(std::abs(value - expected) <= relative * std::max(1.0, std::abs(expected)));
}

// An open lab L (U.S.) whose only release in the run is its first, at the frontier's quality,
// and the strategy that runs its weights on the buyer's own hardware only.
constexpr const char* self_hosted_lab = R"(
[[open_labs]]
name = "L"
jurisdiction = "US"
release_interval_days = 1000
lag_days = 0

[[strategies]]
name = "own"
portfolio = [{ self_hosted = "L", weight = 1.0 }]
)";

// A buyer that runs open weights on its own hardware only (`own` work units per day for a
// demand of `demand`), beside an API buyer of P.
Scenario self_hoster(double own, double demand, double horizon) {
  std::string text = single_provider(100.0, 1, 10.0, horizon) + self_hosted_lab;
  text += fmt::format(R"(
[[buyers]]
name = "o"
jurisdiction = "EU"
strategy = "own"
demand = {}
own_hardware = {{ capacity = {}, cost_per_day = 1 }}
)",
                      demand, own);
  return parse_scenario(text, "own.toml");
}

constexpr double own_horizon = 400.0;

// The same market with an open lab's hosted API, L, in the place of the hyperscaler P: the same
// capacity, price, chip, price rule and investment. L releases at the frontier's quality every
// 400 days, so that its service is all that differs.
Scenario hosted_in_place_of_p(Scenario scenario) {
  const Hyperscaler p = scenario.hyperscalers.at(0);
  scenario.hyperscalers.erase(scenario.hyperscalers.begin());
  scenario.open_labs.insert(
      scenario.open_labs.begin(),
      OpenLab{.name = "L",
              .jurisdiction = p.jurisdiction,
              .release_interval_days = 400.0,
              .lag_days = 0.0,
              .licence = {},
              .hosted_api = HostedApi{p.capacity, p.price, p.chip, p.pricing, p.investment}});
  const auto rename = [](BasketRef& basket) {
    if (basket.provider == "P")
      basket.provider = "L";
  };
  for (Strategy& strategy : scenario.strategies) {
    for (WeightedBasket& share : strategy.portfolio)
      rename(share.basket);
    for (BasketRef& fallback : strategy.fallbacks)
      rename(fallback);
  }
  return scenario;
}

} // namespace

TEST_CASE("market: a data centre's energy is the energy plugin's closed form", "[market][energy]") {
  const double capacity = 100.0, demand = 10.0, horizon = 400.0, efficiency = 5.0, idle = 0.25;
  const int count = 4; // load 40 of 100: the host runs at 40% all the time
  Scenario scenario = parse_scenario(single_provider(capacity, count, demand, horizon), "e.toml");
  scenario.chips.push_back(chip("current", efficiency, idle));
  scenario.hyperscalers[0].chip = "current";
  scenario.jurisdictions[0].power_price = 0.3;
  const Simulator simulator(std::move(scenario));

  const ReplicaOutcome outcome = simulator.run_in_process(1, 0);
  // The plugin's model: idle power at no load, else epsilon (= idle here) + load x (full - idle).
  const double full_kw = capacity / efficiency / hours_per_day;
  const double idle_kw = idle * full_kw;
  const double load = count * demand / capacity;
  const double kwh = (idle_kw + load * (full_kw - idle_kw)) * horizon * hours_per_day;
  const ReplicaResult& r = outcome.result;
  require_close(metric(r, 0, ProviderMetric::energy), kwh);
  require_close(metric(r, 0, ProviderMetric::energy_cost), 0.3 * kwh);
  const double served = count * demand * horizon;
  require_close(metric(r, 0, ProviderMetric::served_work), served);
  require_close(metric(r, 0, ProviderMetric::intelligence_per_kwh), served / kwh);

  // The plugin's own running total over the engine's life agrees: the host was idle from the
  // engine's start to the replica's origin, then at the load above.
  const simgrid::s4u::Host* host = simgrid::s4u::Host::by_name("P/datacenter");
  const double origin = simgrid::s4u::Engine::get_clock() - horizon;
  const double plugin_kw_days = sg_host_get_consumed_energy(host);
  require_close(plugin_kw_days - idle_kw * origin, kwh / hours_per_day, 1e-6);
}

TEST_CASE("market: energy follows the load through demand steps and buyers' own hardware",
          "[market][energy]") {
  const double capacity = 100.0, demand = 10.0, growth = 0.5, horizon = 730.0, step = 73.0;
  const double efficiency = 4.0, idle = 0.3;
  const int count = 5; // demand grows from 50 past the capacity: the host saturates
  Scenario scenario =
      parse_scenario(single_provider(capacity, count, demand, horizon, step), "e.toml");
  scenario.buyers[0].demand_growth_per_year = growth;
  scenario.chips.push_back(chip("current", efficiency, idle));
  scenario.hyperscalers[0].chip = "current";
  const Simulator simulator(std::move(scenario));
  const ReplicaResult r = simulator.run_in_process(1, 0).result;

  const double full_kw = capacity / efficiency / hours_per_day, idle_kw = idle * full_kw;
  double kwh = 0.0, served = 0.0;
  for (double t = 0.0; t < horizon - 1e-9; t += step) {
    // A step's rate is the continuous demand at its midpoint (agents/buyer.cpp).
    const double rate = count * demand * std::pow(1.0 + growth, (t + step / 2) / 365.0);
    const double load = std::min(rate, capacity);
    kwh += (idle_kw + load / capacity * (full_kw - idle_kw)) * step * hours_per_day;
    served += load * step;
  }
  require_close(metric(r, 0, ProviderMetric::served_work), served);
  require_close(metric(r, 0, ProviderMetric::energy), kwh);
}

TEST_CASE("market: self-hosted work draws its buyer's power and costs its energy",
          "[market][energy]") {
  const double own = 50.0, demand = 20.0, horizon = 300.0, efficiency = 2.0, idle = 0.1;
  const double power_price = 0.25;
  Scenario scenario = self_hoster(own, demand, horizon);
  scenario.chips.push_back(chip("edge", efficiency, idle));
  scenario.buyers[1].own_hardware.chip = "edge";
  scenario.jurisdictions[1].power_price = power_price;
  const Simulator simulator(std::move(scenario));
  const ReplicaOutcome outcome = simulator.run_in_process(1, 0);

  const double full_kw = own / efficiency / hours_per_day, idle_kw = idle * full_kw;
  const double kwh = (idle_kw + demand / own * (full_kw - idle_kw)) * horizon * hours_per_day;
  const BuyerOutcome& own_buyer = outcome.buyers.at(1);
  require_close(own_buyer.energy_kwh, kwh);
  require_close(outcome.result.strategies[1][Metric::cost_energy], power_price * kwh);
  require_close(outcome.result.strategies[1][Metric::cost_total],
                power_price * kwh + 1.0 * horizon);
  // The API buyer's provider has no chip: no energy there.
  REQUIRE(outcome.result.providers[0][ProviderMetric::energy] == 0.0);
  REQUIRE(outcome.result.strategies[0][Metric::cost_energy] == 0.0);
}

namespace {

// Demand 150 on a capacity of 100: utilisation 1.5 all the time, capacity-limited service. The
// provider passes on its whole energy cost per work unit (0.5 / 10) besides its price of 2.
Scenario surging_provider() {
  Scenario scenario = parse_scenario(single_provider(100.0, 3, 50.0, 200.0), "p.toml");
  PriceRule& rule = scenario.hyperscalers[0].pricing;
  rule.surge_threshold = 0.8;
  rule.surge_slope = 2.0;
  rule.energy_pass_through = 1.0;
  scenario.chips.push_back(chip("current", 10.0, 0.2));
  scenario.hyperscalers[0].chip = "current";
  scenario.jurisdictions[0].power_price = 0.5;
  return scenario;
}

// A surge takes effect at the instant of the change that causes it (the provider reprices on its
// own reminder once the instant's other changes are done), before any work is done at the old
// price: only rounding separates the figures from the closed form.
constexpr double reprice_tolerance = 1e-12;

} // namespace

TEST_CASE("market: a surge prices the work above the threshold by the rule", "[market][price]") {
  const Simulator simulator(surging_provider());
  const ReplicaResult r = simulator.run_in_process(1, 0).result;
  const double list = 2.0 + 1.0 * 0.5 / 10.0;
  const double price = list * (1.0 + 2.0 * (1.5 - 0.8));
  const double served = 100.0 * 200.0;
  require_close(metric(r, 0, ProviderMetric::served_work), served);
  require_close(metric(r, 0, ProviderMetric::mean_price), price, reprice_tolerance);
  require_close(metric(r, 0, ProviderMetric::revenue), price * served, reprice_tolerance);
  require_close(metric(r, 0, ProviderMetric::mean_utilisation), 1.5);
}

TEST_CASE("market: a hosted API's surge is priced by the same rule", "[market][price]") {
  const Simulator simulator(hosted_in_place_of_p(surging_provider()));
  const ReplicaResult r = simulator.run_in_process(1, 0).result;
  const double price = (2.0 + 0.05) * (1.0 + 2.0 * (1.5 - 0.8));
  require_close(metric(r, 0, ProviderMetric::served_work), 100.0 * 200.0);
  require_close(metric(r, 0, ProviderMetric::mean_price), price, reprice_tolerance);
  require_close(metric(r, 0, ProviderMetric::revenue), price * 100.0 * 200.0, reprice_tolerance);
}

TEST_CASE("market: a surge stops at the price rule's cap", "[market][price]") {
  Scenario scenario = surging_provider();
  scenario.hyperscalers[0].pricing.max_multiplier = 1.5;
  const Simulator simulator(std::move(scenario));
  const ReplicaResult r = simulator.run_in_process(1, 0).result;
  require_close(metric(r, 0, ProviderMetric::mean_price), (2.0 + 0.05) * 1.5, reprice_tolerance);
}

namespace {

// Two providers in two jurisdictions, buyers that fail over from one to the other, cutoffs of
// both, and optionally a surge price on the fallback.
Scenario contended_market(double surge_slope, double surge_threshold) {
  const std::string text = R"([simulation]
horizon_days = 730
seed = 11
replicas = 8
demand_step_days = 30

[[jurisdictions]]
name = "US"
[[jurisdictions]]
name = "CN"
[[jurisdictions]]
name = "EU"

[[hyperscalers]]
name = "A"
jurisdiction = "US"
capacity = 400
price = 1.0
[[hyperscalers]]
name = "B"
jurisdiction = "CN"
capacity = 250
price = 0.8

[[strategies]]
name = "one basket"
portfolio = [{ api = "A", weight = 1.0 }]
fallbacks = [{ api = "B" }]
[[strategies]]
name = "two baskets"
portfolio = [{ api = "A", weight = 0.5 }, { api = "B", weight = 0.5 }]

[[buyers]]
name = "single"
jurisdiction = "EU"
count = 10
strategy = "one basket"
demand = 20
demand_growth_per_year = 0.3
failover = { switch_delay_days = 3, switching_cost = 100 }
[[buyers]]
name = "split"
jurisdiction = "EU"
count = 10
strategy = "two baskets"
demand = 20
demand_growth_per_year = 0.3
failover = { switch_delay_days = 3 }

[[governments]]
name = "G"
jurisdiction = "US"
[[governments.actions]]
kind = "suspend_model"
target = "A"
rate_per_year = 3
duration = { distribution = "exponential", mean_days = 20 }
[[governments.actions]]
kind = "suspend_model"
target = "B"
rate_per_year = 1
duration = { distribution = "exponential", mean_days = 10 }
)";
  Scenario scenario = parse_scenario(text, "m.toml");
  for (Hyperscaler& h : scenario.hyperscalers) {
    h.pricing.surge_slope = surge_slope;
    h.pricing.surge_threshold = surge_threshold;
  }
  return scenario;
}

std::vector<ReplicaOutcome> run_in_process(const Simulator& simulator, int replicas) {
  std::vector<ReplicaOutcome> outcomes;
  for (int r = 0; r < replicas; ++r)
    outcomes.push_back(simulator.run_in_process(5, static_cast<std::uint64_t>(r)));
  return outcomes;
}

} // namespace

TEST_CASE("market: work and money are conserved between buyers and providers",
          "[market][conservation]") {
  const Simulator simulator(contended_market(3.0, 0.6));
  for (const ReplicaOutcome& o : run_in_process(simulator, 6)) {
    double bought = 0.0, spent = 0.0, sold = 0.0, revenue = 0.0, share = 0.0;
    for (const BuyerOutcome& b : o.buyers) {
      bought += b.served; // nobody self-hosts here: all of it came from the providers
      spent += b.api_spend;
    }
    for (const ProviderMetrics& p : o.result.providers) {
      sold += p[ProviderMetric::served_work];
      revenue += p[ProviderMetric::revenue];
      share += p[ProviderMetric::market_share];
    }
    INFO("replica " << o.result.replica);
    REQUIRE(bought > 0.0);
    require_close(sold, bought, 1e-12);
    require_close(revenue, spent, 1e-12);
    require_close(share, 1.0, 1e-12);
    // The surge priced some of the work above the list prices.
    REQUIRE(revenue > o.result.providers[0][ProviderMetric::served_work] * 1.0 +
                          o.result.providers[1][ProviderMetric::served_work] * 0.8);
  }
}

TEST_CASE("market: a flat price rule and an idle energy model change no buyer's results",
          "[market][price]") {
  // The reference: no market keys at all, as scenarios were before prices and energy.
  const Scenario plain = contended_market(0.0, 1.0);
  // A flat rule spelt out, and chips whose power costs nothing: the energy plugin is on, and
  // nothing a buyer sees may change, bit for bit.
  Scenario flat = contended_market(0.0, 0.5);
  flat.chips.push_back(chip("current", 3.0, 0.4));
  for (Hyperscaler& h : flat.hyperscalers) {
    h.chip = "current";
    h.pricing.max_multiplier = 4.0;
  }
  // A surge that never binds (its threshold is out of reach) reviews the price at every change:
  // its reviews are events of their own, which split the engine's time steps, so the work done
  // may differ in the last bits.
  const Scenario unreachable = contended_market(5.0, 1e9);

  RunOptions options;
  options.seed = 5;
  options.count = 6;
  options.threads = 1;
  const RunResults a = Simulator(plain).run(options);
  const RunResults b = Simulator(flat).run(options);
  const RunResults c = Simulator(unreachable).run(options);
  REQUIRE(a.completed.size() == 6);
  REQUIRE(b.completed.size() == 6);
  REQUIRE(c.completed.size() == 6);
  for (std::size_t r = 0; r < 6; ++r) {
    REQUIRE(a.completed[r].providers.size() == 2);
    REQUIRE(b.completed[r].providers.size() == 2);
    for (std::size_t s = 0; s < 2; ++s) {
      REQUIRE(a.completed[r].strategies[s].values == b.completed[r].strategies[s].values);
      for (std::size_t m = 0; m < metric_count; ++m)
        require_close(c.completed[r].strategies[s].values[m],
                      a.completed[r].strategies[s].values[m], 1e-12);
    }
    for (std::size_t p = 0; p < 2; ++p) {
      REQUIRE(a.completed[r].providers[p][ProviderMetric::revenue] ==
              b.completed[r].providers[p][ProviderMetric::revenue]);
      REQUIRE(a.completed[r].providers[p][ProviderMetric::energy] == 0.0);
      REQUIRE(b.completed[r].providers[p][ProviderMetric::energy] > 0.0);
    }
  }
}

namespace {

// A provider whose buyers ask twice its capacity from day 0, with an investment plan.
Scenario growing_provider(double lead_time) {
  Scenario scenario = parse_scenario(single_provider(100.0, 2, 100.0, 1000.0), "i.toml");
  scenario.hyperscalers[0].investment = CapacityInvestment{.review_days = 90.0,
                                                           .utilisation_threshold = 0.85,
                                                           .step_share = 0.2,
                                                           .lead_time_days = lead_time,
                                                           .cost_per_capacity = 5.0,
                                                           .max_orders = 10};
  return scenario;
}

} // namespace

TEST_CASE("market: capacity a provider orders is not usable before its lead time",
          "[market][investment]") {
  const Simulator simulator(growing_provider(300.0));
  EventLog events;
  const ReplicaResult r = simulator.run_in_process(1, 0, &events).result;
  // Reviews every 90 days, one order outstanding at a time: orders on days 90, 450 and 810,
  // usable on days 390 and 750 (the third comes after the horizon).
  const double served = 100.0 * 390 + 120.0 * (750 - 390) + 140.0 * (1000 - 750);
  const double utilisation_days = 2.0 * 390 + 200.0 / 120 * 360 + 200.0 / 140 * 250;
  require_close(metric(r, 0, ProviderMetric::served_work), served);
  require_close(metric(r, 0, ProviderMetric::mean_utilisation), utilisation_days / 1000.0);
  REQUIRE(metric(r, 0, ProviderMetric::capacity_orders) == 3.0);
  require_close(metric(r, 0, ProviderMetric::capital_cost), 3 * 20.0 * 5.0);
  require_close(metric(r, 0, ProviderMetric::final_capacity), 140.0);

  std::vector<double> in_service;
  for (const LoggedEvent& e : events.events())
    if (e.text.find("new capacity in service") != std::string::npos)
      in_service.push_back(e.day);
  REQUIRE(in_service.size() == 2);
  require_close(in_service[0], 390.0, 1e-12);
  require_close(in_service[1], 750.0, 1e-12);
}

TEST_CASE("market: an open lab's hosted API invests by the same rule", "[market][investment]") {
  const Simulator simulator(hosted_in_place_of_p(growing_provider(300.0)));
  const ReplicaResult r = simulator.run_in_process(1, 0).result;
  // The hyperscaler's orders and deliveries (days 390 and 750).
  const double served = 100.0 * 390 + 120.0 * (750 - 390) + 140.0 * (1000 - 750);
  require_close(metric(r, 0, ProviderMetric::served_work), served);
  REQUIRE(metric(r, 0, ProviderMetric::capacity_orders) == 3.0);
  require_close(metric(r, 0, ProviderMetric::capital_cost), 3 * 20.0 * 5.0);
  require_close(metric(r, 0, ProviderMetric::final_capacity), 140.0);
  require_close(r.strategies[0][Metric::served_share], served / (2 * 100.0 * 1000.0));
}

TEST_CASE("market: a buyer's own hardware is not usable before its lead time",
          "[market][investment]") {
  Scenario scenario = self_hoster(25.0, 40.0, own_horizon);
  scenario.buyers[1].own_hardware.lead_time_days = 120.0;
  const Simulator simulator(std::move(scenario));
  const ReplicaOutcome o = simulator.run_in_process(1, 0);
  require_close(o.buyers[1].served, 25.0 * (own_horizon - 120.0));
  require_close(o.buyers[1].outage_days, 120.0);
}

TEST_CASE("market: hardware a buyer orders serves from its delivery on", "[market][investment]") {
  Scenario scenario = self_hoster(25.0, 40.0, own_horizon);
  scenario.buyers[1].own_hardware.expansion = HardwareExpansion{.utilisation_threshold = 0.9,
                                                                .step = 30.0,
                                                                .lead_time_days = 100.0,
                                                                .cost_per_capacity = 2.0,
                                                                .max_orders = 5};
  const Simulator simulator(std::move(scenario));
  const ReplicaOutcome o = simulator.run_in_process(1, 0);
  // Demand 40 > 0.9 x 25 orders one step on day 0; 40 < 0.9 x 55 orders no more.
  require_close(o.buyers[1].served, 25.0 * 100.0 + 40.0 * (own_horizon - 100.0));
  REQUIRE(o.buyers[1].hardware_orders == 1);
  require_close(o.result.strategies[1][Metric::cost_hardware], 1.0 * own_horizon + 30.0 * 2.0);
}

namespace {

// Self-hosting buyers in the EU and in the U.S., alike: 25 units/day of own hardware, and a
// demand of 20 growing 100% a year, re-sized every 100 days (step rates 20 x 2^(t/365) at each
// step's midpoint t). The rates pass 0.9 x 25 in the second step: each orders 30 more on day 100
// (lead time 100 days) and no more. The U.S. government puts a chip export control on the EU
// from a few hours in until past the horizon.
std::string hardware_under_control(double growth_factor) {
  std::string text = std::string(R"([simulation]
horizon_days = 400
seed = 5
replicas = 1
demand_step_days = 100

[[jurisdictions]]
name = "US"
[[jurisdictions]]
name = "EU"
)") + self_hosted_lab;
  for (const auto& [name, jurisdiction] : {std::pair{"eu", "EU"}, std::pair{"us", "US"}})
    text += fmt::format(R"(
[[buyers]]
name = "{}"
jurisdiction = "{}"
strategy = "own"
demand = 20
demand_growth_per_year = 1.0
own_hardware = {{ capacity = 25, expansion = {{ step = 30, lead_time_days = 100, cost_per_capacity = 1 }} }}
)",
                        name, jurisdiction);
  return text + fmt::format(R"(
[[governments]]
name = "G"
jurisdiction = "US"
[[governments.actions]]
kind = "restrict_chips"
target_jurisdiction = "EU"
rate_per_year = 1000
growth_factor = {}
duration = {{ distribution = "fixed", mean_days = 1000 }}
)",
                            growth_factor);
}

// What a buyer of hardware_under_control serves when its expansion arrives on `delivery`.
double served_with_delivery(double delivery) {
  double served = 0.0;
  for (int step = 0; step < 4; ++step) {
    const double rate = 20.0 * std::pow(2.0, (100.0 * step + 50.0) / 365.0);
    const double capacity = 100.0 * step >= delivery ? 55.0 : 25.0;
    served += 100.0 * std::min(rate, capacity);
  }
  return served;
}

std::vector<double> deliveries_of(const EventLog& events, const std::string& buyer) {
  std::vector<double> days;
  for (const LoggedEvent& e : events.events())
    if (e.text.starts_with(buyer) && e.text.find("own hardware delivered") != std::string::npos)
      days.push_back(e.day);
  return days;
}

} // namespace

TEST_CASE("market: a chip export control slows its jurisdiction's hardware orders, not others'",
          "[market][chips]") {
  const Simulator simulator(parse_scenario(hardware_under_control(0.5), "h.toml"));
  EventLog events;
  const ReplicaOutcome o = simulator.run_in_process(1, 0, &events);
  // The EU buyer's order on day 100 takes 100 / 0.5 days; the U.S. buyer's, 100.
  REQUIRE(deliveries_of(events, "eu #0") == std::vector<double>{300.0});
  REQUIRE(deliveries_of(events, "us #0") == std::vector<double>{200.0});
  require_close(o.buyers[0].served, served_with_delivery(300.0));
  require_close(o.buyers[1].served, served_with_delivery(200.0));
  REQUIRE(o.buyers[0].hardware_orders == 1);
  REQUIRE(o.buyers[1].hardware_orders == 1);
}

TEST_CASE("market: a chip export control with no growth forbids hardware orders while in force",
          "[market][chips]") {
  const Simulator simulator(parse_scenario(hardware_under_control(0.0), "h.toml"));
  EventLog events;
  const ReplicaOutcome o = simulator.run_in_process(1, 0, &events);
  REQUIRE(deliveries_of(events, "eu #0").empty());
  REQUIRE(o.buyers[0].hardware_orders == 0);
  require_close(o.buyers[0].served, served_with_delivery(1000.0));
  REQUIRE(o.buyers[0].hardware_cost == 0.0);
  REQUIRE(deliveries_of(events, "us #0") == std::vector<double>{200.0});
}

TEST_CASE("market: a chip export control slows its jurisdiction's capacity growth only",
          "[market][chips]") {
  std::string text = single_provider(100.0, 2, 100.0, 1500.0);
  text += R"(
[[hyperscalers]]
name = "Q"
jurisdiction = "EU"
capacity = 80
price = 1.5

[[strategies]]
name = "home"
portfolio = [{ api = "Q", weight = 1.0 }]

[[buyers]]
name = "q"
jurisdiction = "EU"
count = 4
strategy = "home"
demand = 50

[[governments]]
name = "G"
jurisdiction = "EU"
[[governments.actions]]
kind = "restrict_chips"
target_jurisdiction = "US"
rate_per_year = 2
capacity_factor = 1.0
duration = { distribution = "fixed", mean_days = 400 }
)";
  Scenario controlled = parse_scenario(text, "c.toml");
  controlled.governments[0].actions[0].growth_factor = 0.25;
  for (Hyperscaler& h : controlled.hyperscalers)
    h.investment = CapacityInvestment{.review_days = 60.0,
                                      .utilisation_threshold = 0.9,
                                      .step_share = 0.1,
                                      .lead_time_days = 120.0,
                                      .cost_per_capacity = 1.0,
                                      .max_orders = 20};
  Scenario free = controlled;
  free.governments[0].actions[0].growth_factor = 1.0;

  RunOptions options;
  options.seed = 9;
  options.count = 40;
  options.threads = 1;
  const RunResults with = Simulator(controlled).run(options);
  const RunResults without = Simulator(free).run(options);
  REQUIRE(with.completed.size() == 40);
  REQUIRE(without.completed.size() == 40);
  double growth_with = 0.0, growth_without = 0.0;
  for (std::size_t r = 0; r < 40; ++r) {
    const ReplicaResult& a = with.completed[r];
    const ReplicaResult& b = without.completed[r];
    REQUIRE(a.providers.size() == 2);
    REQUIRE(b.providers.size() == 2);
    // P (US) grows no faster under the control, replica by replica.
    REQUIRE(a.providers[0][ProviderMetric::final_capacity] <=
            b.providers[0][ProviderMetric::final_capacity]);
    growth_with += a.providers[0][ProviderMetric::final_capacity] - 100.0;
    growth_without += b.providers[0][ProviderMetric::final_capacity] - 100.0;
    // Q (EU) and its buyers are untouched, bit for bit (but its share of a market whose other
    // provider grew less).
    for (std::size_t m = 0; m < provider_metric_count; ++m)
      if (m != static_cast<std::size_t>(ProviderMetric::market_share))
        REQUIRE(a.providers[1].values[m] == b.providers[1].values[m]);
    REQUIRE(a.strategies[1].values == b.strategies[1].values);
  }
  INFO("capacity added to P: " << growth_with << " with the control, " << growth_without
                               << " without");
  REQUIRE(growth_with < 0.8 * growth_without);
}
