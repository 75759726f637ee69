// The scenario reader: a full file lands in the typed struct with its defaults, and each kind of
// mistake is reported with its key path and file:line:column, all at once.

#include "sim/scenario_parser.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

using namespace baskets;

namespace {

// Two jurisdictions, a hyperscaler, an open lab with a hosted API, one strategy, one buyer:
// the smallest valid scenario, which the error tests extend with one mistake each. Arrays of
// tables may continue anywhere in a file, so appending [[strategies]] etc. works.
const std::string base = R"(
[[jurisdictions]]
name = "EU"

[[jurisdictions]]
name = "US"

[[hyperscalers]]
name = "Atlas"
jurisdiction = "US"
capacity = 1000
price = 2.0

[[open_labs]]
name = "Commons"
jurisdiction = "EU"
hosted_api = { capacity = 200, price = 1.0 }

[[strategies]]
name = "one_basket"
portfolio = [{ api = "Atlas", weight = 1 }]

[[buyers]]
name = "firms"
jurisdiction = "EU"
strategy = "one_basket"
demand = 10
)";

std::vector<ScenarioError> errors_of(const std::string& text) {
  try {
    parse_scenario(text, "inline.toml");
  } catch (const ScenarioLoadError& error) {
    return error.errors();
  }
  FAIL("expected a ScenarioLoadError");
  return {};
}

const ScenarioError* find_error(const std::vector<ScenarioError>& errors, const std::string& key) {
  const auto found = std::find_if(errors.begin(), errors.end(),
                                  [&](const ScenarioError& error) { return error.key == key; });
  return found == errors.end() ? nullptr : &*found;
}

std::string all_formatted(const std::vector<ScenarioError>& errors) {
  std::string out;
  for (const ScenarioError& error : errors) {
    out += error.format() + "\n";
  }
  return out;
}

// The single error of `text`, which must concern `key`.
ScenarioError only_error(const std::string& text, const std::string& key) {
  const std::vector<ScenarioError> errors = errors_of(text);
  INFO(all_formatted(errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key == key);
  CHECK(errors[0].file == "inline.toml");
  return errors[0];
}

using Catch::Matchers::Contains;

} // namespace

TEST_CASE("scenario: a full file is read with its values and defaults") {
  const std::string text = R"(
description = "two baskets against one"

[simulation]
horizon_days = 730
seed = 42
replicas = 8
demand_step_days = 15.5

[market]
frontier_doubling_days = 300

[[jurisdictions]]
name = "EU"
[[jurisdictions]]
name = "US"
[[jurisdictions]]
name = "CN"

[[links]]
between = ["EU", "US"]
latency_ms = 80
bandwidth_gbps = 40

[[links]]
between = ["EU", "CN"]

[[hyperscalers]]
name = "Atlas"
jurisdiction = "US"
capacity = 1000
price = 2.5
quality_lag_days = 10

[[open_labs]]
name = "Commons"
jurisdiction = "CN"
release_interval_days = 120
lag_days = 200
licence = { restrict_probability = 0.25, excluded_jurisdictions = ["EU", "US"] }
hosted_api = { capacity = 300, price = 1 }

[[open_labs]]
name = "Bare"
jurisdiction = "EU"

[[strategies]]
name = "two_baskets"
portfolio = [
  { api = "Atlas", weight = 0.7 },
  { self_hosted = "Commons", weight = 0.3 },
]

[[strategies]]
name = "explicit"
portfolio = [{ api = "Atlas", weight = 1 }]
fallbacks = [{ api = "Commons" }, { self_hosted = "Bare" }]

[[buyers]]
name = "banks"
jurisdiction = "EU"
count = 20
strategy = "two_baskets"
demand = 50
demand_growth_per_year = 0.4
sensitive_share = 0.2
failover = { switch_delay_days = 90, switching_cost = 1e5, capacity_share = 0.5 }
own_hardware = { capacity = 40, cost_per_day = 300 }

[[buyers]]
name = "makers"
jurisdiction = "EU"
strategy = "explicit"
demand = 5
own_hardware = { capacity = 5 }

[[governments]]
name = "US government"
jurisdiction = "US"

[governments.tension]
initial = "tense"
calm_to_tense_per_year = 0.5
tense_to_calm_per_year = 1
tense_to_crisis_per_year = 0.2
crisis_to_tense_per_year = 2
rate_multiplier = { tense = 3, crisis = 10 }
common_mode_probability = { crisis = 0.5 }

[[governments.actions]]
kind = "suspend_model"
target = "Atlas"
rate_per_year = 0.1
duration = { distribution = "lognormal", mean_days = 60, sigma = 0.5, permanent_probability = 0.05 }

[[governments.actions]]
kind = "block_jurisdiction"
target_jurisdiction = "US"
against = "EU"
rate_per_year = 0.02

[[governments.actions]]
kind = "restrict_licence"
target = "Commons"
against = "EU"
rate_per_year = 0.5

[[governments.actions]]
kind = "restrict_chips"
target_jurisdiction = "CN"
rate_per_year = 0.3
capacity_factor = 0.6
duration = { distribution = "fixed", mean_days = 365 }
)";
  const Scenario s = parse_scenario(text, "scenarios/full.toml");

  CHECK(s.name == "full");
  CHECK(s.source_path == "scenarios/full.toml");
  CHECK(s.source_text == text);
  CHECK(s.description == "two baskets against one");

  CHECK(s.simulation.horizon_days == 730.0);
  CHECK(s.simulation.seed == 42);
  CHECK(s.simulation.replicas == 8);
  CHECK(s.simulation.demand_step_days == 15.5);
  CHECK(s.market.frontier_doubling_days == 300.0);

  REQUIRE(s.jurisdictions.size() == 3);
  CHECK(s.jurisdictions[2].name == "CN");

  REQUIRE(s.links.size() == 2);
  CHECK(s.links[0].a == "EU");
  CHECK(s.links[0].b == "US");
  CHECK(s.links[0].latency_ms == 80.0);
  CHECK(s.links[0].bandwidth_gbps == 40.0);
  CHECK(s.links[1].latency_ms == 50.0);
  CHECK(s.links[1].bandwidth_gbps == 100.0);

  REQUIRE(s.hyperscalers.size() == 1);
  CHECK(s.hyperscalers[0].name == "Atlas");
  CHECK(s.hyperscalers[0].jurisdiction == "US");
  CHECK(s.hyperscalers[0].capacity == 1000.0);
  CHECK(s.hyperscalers[0].price == 2.5);
  CHECK(s.hyperscalers[0].quality_lag_days == 10.0);

  REQUIRE(s.open_labs.size() == 2);
  const OpenLab& commons = s.open_labs[0];
  CHECK(commons.release_interval_days == 120.0);
  CHECK(commons.lag_days == 200.0);
  CHECK(commons.licence.restrict_probability == 0.25);
  CHECK(commons.licence.excluded_jurisdictions == std::vector<std::string>{"EU", "US"});
  REQUIRE(commons.hosted_api.has_value());
  CHECK(commons.hosted_api->capacity == 300.0);
  CHECK(commons.hosted_api->price == 1.0);
  const OpenLab& bare = s.open_labs[1];
  CHECK(bare.release_interval_days == 180.0);
  CHECK(bare.lag_days == 180.0);
  CHECK(bare.licence.restrict_probability == 0.0);
  CHECK(bare.licence.excluded_jurisdictions.empty());
  CHECK_FALSE(bare.hosted_api.has_value());

  REQUIRE(s.strategies.size() == 2);
  const Strategy& two = s.strategies[0];
  REQUIRE(two.portfolio.size() == 2);
  CHECK(two.portfolio[0].basket == BasketRef{BasketKind::api, "Atlas"});
  CHECK(two.portfolio[0].weight == 0.7);
  CHECK(two.portfolio[1].basket == BasketRef{BasketKind::self_hosted, "Commons"});
  CHECK(two.portfolio[1].weight == 0.3);

  REQUIRE(s.buyers.size() == 2);
  const BuyerGroup& banks = s.buyers[0];
  CHECK(banks.count == 20);
  CHECK(banks.strategy == "two_baskets");
  CHECK(banks.demand == 50.0);
  CHECK(banks.demand_growth_per_year == 0.4);
  CHECK(banks.sensitive_share == 0.2);
  CHECK(banks.failover.switch_delay_days == 90.0);
  CHECK(banks.failover.switching_cost == 1e5);
  CHECK(banks.failover.capacity_share == 0.5);
  CHECK(banks.own_hardware.capacity == 40.0);
  CHECK(banks.own_hardware.cost_per_day == 300.0);
  const BuyerGroup& makers = s.buyers[1];
  CHECK(makers.count == 1);
  CHECK(makers.demand_growth_per_year == 0.0);
  CHECK(makers.sensitive_share == 0.0);
  CHECK(makers.failover.switch_delay_days == 0.0);
  CHECK(makers.failover.switching_cost == 0.0);
  CHECK(makers.failover.capacity_share == 1.0);
  CHECK(makers.own_hardware.cost_per_day == 0.0);

  REQUIRE(s.governments.size() == 1);
  const Government& us = s.governments[0];
  CHECK(us.jurisdiction == "US");
  CHECK(us.tension.initial == TensionLevel::tense);
  CHECK(us.tension.calm_to_tense_per_year == 0.5);
  CHECK(us.tension.tense_to_calm_per_year == 1.0);
  CHECK(us.tension.tense_to_crisis_per_year == 0.2);
  CHECK(us.tension.crisis_to_tense_per_year == 2.0);
  CHECK(us.tension.rate_multiplier == std::array<double, 3>{1.0, 3.0, 10.0});
  CHECK(us.tension.common_mode_probability == std::array<double, 3>{0.0, 0.0, 0.5});

  REQUIRE(us.actions.size() == 4);
  const GovernmentAction& suspend = us.actions[0];
  CHECK(suspend.kind == ActionKind::suspend_model);
  CHECK(suspend.target == "Atlas");
  CHECK(suspend.target_jurisdiction.empty());
  CHECK(suspend.against.empty());
  CHECK(suspend.rate_per_year == 0.1);
  CHECK(suspend.capacity_factor == 1.0);
  CHECK(suspend.duration.distribution == DurationKind::lognormal);
  CHECK(suspend.duration.mean_days == 60.0);
  CHECK(suspend.duration.sigma == 0.5);
  CHECK(suspend.duration.permanent_probability == 0.05);
  const GovernmentAction& block = us.actions[1];
  CHECK(block.kind == ActionKind::block_jurisdiction);
  CHECK(block.target.empty());
  CHECK(block.target_jurisdiction == "US");
  CHECK(block.against == "EU");
  CHECK(block.duration.distribution == DurationKind::exponential);
  CHECK(block.duration.mean_days == 30.0);
  CHECK(block.duration.sigma == 1.0);
  CHECK(block.duration.permanent_probability == 0.0);
  const GovernmentAction& licence = us.actions[2];
  CHECK(licence.kind == ActionKind::restrict_licence);
  CHECK(licence.target == "Commons");
  CHECK(licence.against == "EU");
  const GovernmentAction& chips = us.actions[3];
  CHECK(chips.kind == ActionKind::restrict_chips);
  CHECK(chips.target_jurisdiction == "CN");
  CHECK(chips.capacity_factor == 0.6);
  CHECK(chips.duration.distribution == DurationKind::fixed);
  CHECK(chips.duration.mean_days == 365.0);
}

TEST_CASE("scenario: chips, power prices, price rules and capacity growth") {
  const std::string text = R"(
[[jurisdictions]]
name = "EU"
power_price = 0.25
[[jurisdictions]]
name = "US"

[[chips]]
name = "H100"
efficiency = 400
idle_power_share = 0.4
[[chips]]
name = "B200"
efficiency = 1000

[[hyperscalers]]
name = "Atlas"
jurisdiction = "US"
capacity = 1000
price = 2.0
chip = "B200"
pricing = { surge_threshold = 0.8, surge_slope = 2, max_multiplier = 3, energy_pass_through = 0.5 }
investment = { review_days = 30, utilisation_threshold = 0.7, step_share = 0.5, lead_time_days = 200, cost_per_capacity = 1e4, max_orders = 3 }

[[hyperscalers]]
name = "Plain"
jurisdiction = "EU"
capacity = 10
price = 1.0

[[open_labs]]
name = "Commons"
jurisdiction = "EU"
hosted_api = { capacity = 200, price = 1.0, chip = "H100", pricing = { surge_slope = 1, max_multiplier = 1 }, investment = { step_share = 0.1, lead_time_days = 60 } }

[[strategies]]
name = "sovereign"
portfolio = [{ api = "Atlas", weight = 0.5 }, { self_hosted = "Commons", weight = 0.5 }]

[[buyers]]
name = "firms"
jurisdiction = "EU"
strategy = "sovereign"
demand = 10
own_hardware = { capacity = 0, lead_time_days = 90, chip = "H100", expansion = { utilisation_threshold = 0.8, step = 5, lead_time_days = 120, cost_per_capacity = 2e3, max_orders = 4 } }

[[buyers]]
name = "growers"
jurisdiction = "EU"
strategy = "sovereign"
demand = 10
own_hardware = { capacity = 3, expansion = { step = 2 } }

[[governments]]
name = "g"
jurisdiction = "US"
[[governments.actions]]
kind = "restrict_chips"
target_jurisdiction = "EU"
rate_per_year = 0.1
capacity_factor = 0.5
growth_factor = 0.25
[[governments.actions]]
kind = "restrict_chips"
target_jurisdiction = "EU"
rate_per_year = 0.1
capacity_factor = 1.0
growth_factor = 0
[[governments.actions]]
kind = "restrict_chips"
target_jurisdiction = "EU"
rate_per_year = 0.1
)";
  const Scenario s = parse_scenario(text, "inline.toml");

  REQUIRE(s.jurisdictions.size() == 2);
  CHECK(s.jurisdictions[0].power_price == 0.25);
  CHECK(s.jurisdictions[1].power_price == 0.0);

  REQUIRE(s.chips.size() == 2);
  CHECK(s.chips[0].name == "H100");
  CHECK(s.chips[0].efficiency == 400.0);
  CHECK(s.chips[0].idle_power_share == 0.4);
  CHECK(s.chips[1].name == "B200");
  CHECK(s.chips[1].efficiency == 1000.0);
  CHECK(s.chips[1].idle_power_share == 0.3);

  REQUIRE(s.hyperscalers.size() == 2);
  const Hyperscaler& atlas = s.hyperscalers[0];
  CHECK(atlas.chip == "B200");
  CHECK(atlas.pricing.surge_threshold == 0.8);
  CHECK(atlas.pricing.surge_slope == 2.0);
  CHECK(atlas.pricing.max_multiplier == 3.0);
  CHECK(atlas.pricing.energy_pass_through == 0.5);
  CHECK_FALSE(atlas.pricing.flat());
  REQUIRE(atlas.investment.has_value());
  CHECK(atlas.investment->review_days == 30.0);
  CHECK(atlas.investment->utilisation_threshold == 0.7);
  CHECK(atlas.investment->step_share == 0.5);
  CHECK(atlas.investment->lead_time_days == 200.0);
  CHECK(atlas.investment->cost_per_capacity == 1e4);
  CHECK(atlas.investment->max_orders == 3);

  const Hyperscaler& plain = s.hyperscalers[1];
  CHECK(plain.chip.empty());
  CHECK(plain.pricing.surge_threshold == 1.0);
  CHECK(plain.pricing.surge_slope == 0.0);
  CHECK(plain.pricing.max_multiplier == std::numeric_limits<double>::infinity());
  CHECK(plain.pricing.energy_pass_through == 0.0);
  CHECK(plain.pricing.flat());
  CHECK_FALSE(plain.investment.has_value());

  REQUIRE(s.open_labs.size() == 1);
  REQUIRE(s.open_labs[0].hosted_api.has_value());
  const HostedApi& hosted = *s.open_labs[0].hosted_api;
  CHECK(hosted.chip == "H100");
  CHECK(hosted.pricing.surge_threshold == 1.0);
  CHECK(hosted.pricing.surge_slope == 1.0);
  CHECK(hosted.pricing.max_multiplier == 1.0);
  CHECK(hosted.pricing.energy_pass_through == 0.0);
  REQUIRE(hosted.investment.has_value());
  CHECK(hosted.investment->review_days == 90.0);
  CHECK(hosted.investment->utilisation_threshold == 0.85);
  CHECK(hosted.investment->step_share == 0.1);
  CHECK(hosted.investment->lead_time_days == 60.0);
  CHECK(hosted.investment->cost_per_capacity == 0.0);
  CHECK(hosted.investment->max_orders == 10);

  REQUIRE(s.buyers.size() == 2);
  const OwnHardware& firms = s.buyers[0].own_hardware;
  CHECK(firms.capacity == 0.0);
  CHECK(firms.lead_time_days == 90.0);
  CHECK(firms.chip == "H100");
  REQUIRE(firms.expansion.has_value());
  CHECK(firms.expansion->utilisation_threshold == 0.8);
  CHECK(firms.expansion->step == 5.0);
  CHECK(firms.expansion->lead_time_days == 120.0);
  CHECK(firms.expansion->cost_per_capacity == 2e3);
  CHECK(firms.expansion->max_orders == 4);
  const OwnHardware& growers = s.buyers[1].own_hardware;
  CHECK(growers.lead_time_days == 0.0);
  CHECK(growers.chip.empty());
  REQUIRE(growers.expansion.has_value());
  CHECK(growers.expansion->utilisation_threshold == 0.9);
  CHECK(growers.expansion->step == 2.0);
  CHECK(growers.expansion->lead_time_days == 180.0);
  CHECK(growers.expansion->cost_per_capacity == 0.0);
  CHECK(growers.expansion->max_orders == 10);

  REQUIRE(s.governments.size() == 1);
  const std::vector<GovernmentAction>& actions = s.governments[0].actions;
  REQUIRE(actions.size() == 3);
  CHECK(actions[0].capacity_factor == 0.5);
  CHECK(actions[0].growth_factor == 0.25);
  // An export control that only slows growth.
  CHECK(actions[1].capacity_factor == 1.0);
  CHECK(actions[1].growth_factor == 0.0);
  CHECK(actions[2].capacity_factor == 1.0);
  CHECK(actions[2].growth_factor == 1.0);
}

TEST_CASE("scenario: defaults of the market keys when absent") {
  const Scenario s = parse_scenario(base + R"(
[[strategies]]
name = "sovereign"
portfolio = [{ self_hosted = "Commons", weight = 1 }]
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "sovereign"
demand = 1
own_hardware = { capacity = 1 }
[[governments]]
name = "g"
jurisdiction = "US"
[[governments.actions]]
kind = "suspend_model"
target = "Atlas"
rate_per_year = 1
)",
                                    "inline.toml");
  CHECK(s.chips.empty());
  CHECK(s.jurisdictions.at(0).power_price == 0.0);
  const Hyperscaler& atlas = s.hyperscalers.at(0);
  CHECK(atlas.chip.empty());
  CHECK(atlas.pricing.flat());
  CHECK(atlas.pricing.max_multiplier == std::numeric_limits<double>::infinity());
  CHECK_FALSE(atlas.investment.has_value());
  const HostedApi& hosted = s.open_labs.at(0).hosted_api.value();
  CHECK(hosted.chip.empty());
  CHECK(hosted.pricing.flat());
  CHECK_FALSE(hosted.investment.has_value());
  const OwnHardware& own = s.buyers.at(1).own_hardware;
  CHECK(own.lead_time_days == 0.0);
  CHECK(own.chip.empty());
  CHECK_FALSE(own.expansion.has_value());
  CHECK(s.governments.at(0).actions.at(0).growth_factor == 1.0);
}

TEST_CASE("scenario: defaults of the optional top-level tables") {
  const Scenario s = parse_scenario(base, "dir/minimal.toml");
  CHECK(s.name == "minimal");
  CHECK(s.description.empty());
  CHECK(s.simulation.horizon_days == 1825.0);
  CHECK(s.simulation.seed == 1);
  CHECK(s.simulation.replicas == 100);
  CHECK(s.simulation.demand_step_days == 30.0);
  CHECK(s.market.frontier_doubling_days == 365.0);
  CHECK(s.links.empty());
  CHECK(s.governments.empty());
  REQUIRE(s.hyperscalers.size() == 1);
  CHECK(s.hyperscalers[0].quality_lag_days == 0.0);
  const Government government = [] {
    const Scenario with_government = parse_scenario(base + R"(
[[governments]]
name = "g"
jurisdiction = "US"
)",
                                                    "inline.toml");
    return with_government.governments.at(0);
  }();
  CHECK(government.tension.initial == TensionLevel::calm);
  CHECK(government.tension.rate_multiplier == std::array<double, 3>{1.0, 1.0, 1.0});
  CHECK(government.tension.common_mode_probability == std::array<double, 3>{0.0, 0.0, 0.0});
  CHECK(government.actions.empty());
}

TEST_CASE("scenario: fallbacks default to the portfolio, an explicit empty list stays empty") {
  const std::string extra = R"(
[[strategies]]
name = "split"
portfolio = [{ api = "Atlas", weight = 0.5 }, { api = "Commons", weight = 0.5 }]

[[strategies]]
name = "no_fallback"
portfolio = [{ api = "Atlas", weight = 0.5 }, { api = "Commons", weight = 0.5 }]
fallbacks = []

[[buyers]]
name = "a"
jurisdiction = "EU"
strategy = "split"
demand = 1

[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "no_fallback"
demand = 1
)";
  const Scenario s = parse_scenario(base + extra, "inline.toml");
  REQUIRE(s.strategies.size() == 3);

  SECTION("absent: the portfolio's baskets in portfolio order") {
    const std::vector<BasketRef> expected{{BasketKind::api, "Atlas"}, {BasketKind::api, "Commons"}};
    CHECK(s.strategies[1].fallbacks == expected);
  }
  SECTION("explicit []: none") {
    CHECK(s.strategies[2].fallbacks.empty());
  }
}

TEST_CASE("scenario: a missing file is reported with the reason") {
  try {
    load_scenario("/nonexistent/dir/nothing.toml");
    FAIL("expected a ScenarioLoadError");
  } catch (const ScenarioLoadError& error) {
    REQUIRE(error.errors().size() == 1);
    const ScenarioError& e = error.errors()[0];
    CHECK(e.file == "/nonexistent/dir/nothing.toml");
    CHECK(e.key.empty());
    CHECK(e.line == 0);
    CHECK_THAT(e.message, Contains("cannot open file: ") && Contains("No such file"));
    CHECK(e.format() == "/nonexistent/dir/nothing.toml: " + e.message);
    CHECK(std::string(error.what()) == e.format());
  }
}

TEST_CASE("scenario: invalid TOML reports the parser's line and column") {
  const std::string text = "[simulation]\nseed = 1\nhorizon_days = = 3\n";
  const std::vector<ScenarioError> errors = errors_of(text);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line == 3);
  CHECK(errors[0].column > 0);
  CHECK(errors[0].key.empty());
  CHECK_THAT(errors[0].format(), Contains("inline.toml:3:"));
}

TEST_CASE("scenario: a missing required key names the key and what it means") {
  // The hyperscaler table opens on line 3: the missing key has no position of its own.
  const ScenarioError e = only_error(base + R"(
[[hyperscalers]]
name = "Borealis"
jurisdiction = "EU"
price = 1
)",
                                     "hyperscalers[1].capacity");
  CHECK_THAT(e.message, Contains("missing required key \"capacity\"") &&
                            Contains("work units per day") && Contains("> 0"));
  const int table_line = 1 + static_cast<int>(std::count(base.begin(), base.end(), '\n')) + 1;
  CHECK(e.line == table_line);
  CHECK_THAT(e.format(), Contains("inline.toml:" + std::to_string(table_line) + ":"));
}

TEST_CASE("scenario: a value of the wrong type") {
  SECTION("a string for a number") {
    const ScenarioError e = only_error(base + R"(
[market]
frontier_doubling_days = "a year"
)",
                                       "market.frontier_doubling_days");
    CHECK_THAT(e.message, Contains("expected a number") && Contains("got a string"));
  }
  SECTION("a float for an integer") {
    const ScenarioError e = only_error(base + R"(
[simulation]
replicas = 2.5
)",
                                       "simulation.replicas");
    CHECK_THAT(e.message, Contains("expected an integer") && Contains("got a float"));
  }
  SECTION("a float for a buyer count") {
    const std::string text = R"(
[[jurisdictions]]
name = "EU"
[[hyperscalers]]
name = "Atlas"
jurisdiction = "EU"
capacity = 1
price = 1
[[strategies]]
name = "s"
portfolio = [{ api = "Atlas", weight = 1 }]
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "s"
count = 3.0
demand = 1
)";
    const ScenarioError e = only_error(text, "buyers[0].count");
    CHECK_THAT(e.message, Contains("expected an integer"));
    CHECK(e.line == 16);
    CHECK_THAT(e.format(), Contains("inline.toml:16:"));
  }
}

TEST_CASE("scenario: a negative rate is out of range") {
  const std::string text = base + R"(
[[governments]]
name = "g"
jurisdiction = "US"
[[governments.actions]]
kind = "suspend_model"
target = "Atlas"
rate_per_year = -3
)";
  const ScenarioError e = only_error(text, "governments[0].actions[0].rate_per_year");
  CHECK(e.message == "expected a number >= 0, got -3");
  CHECK(e.line > 0);
  CHECK_THAT(e.format(), Contains("inline.toml:" + std::to_string(e.line) + ":"));
}

TEST_CASE("scenario: portfolio weights must sum to 1") {
  const std::string text = base + R"(
[[strategies]]
name = "short"
portfolio = [{ api = "Atlas", weight = 0.6 }, { api = "Commons", weight = 0.3 }]
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "short"
demand = 1
)";
  const ScenarioError e = only_error(text, "strategies[1].portfolio");
  CHECK(e.message == "weights sum to 0.9, expected 1");
  CHECK_THAT(e.format(), Contains("inline.toml:"));
}

TEST_CASE("scenario: a strategy naming an unknown provider") {
  const std::string text = base + R"(
[[strategies]]
name = "typo"
portfolio = [{ api = "Foo", weight = 1 }]
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "typo"
demand = 1
)";
  const ScenarioError e = only_error(text, "strategies[1].portfolio[0].api");
  CHECK(e.message == "unknown provider \"Foo\" (known: Atlas, Commons)");
}

TEST_CASE("scenario: an unknown (misspelt) key is an error, not a default") {
  const std::string text = base + R"(
[[hyperscalers]]
name = "Borealis"
jurisdiction = "EU"
capacity = 1
price = 1
quality_lag_dys = 30
)";
  const ScenarioError e = only_error(text, "hyperscalers[1].quality_lag_dys");
  CHECK_THAT(e.message, Contains("unknown key \"quality_lag_dys\"") &&
                            Contains("did you mean \"quality_lag_days\"?"));
  CHECK_THAT(e.format(), Contains("inline.toml:" + std::to_string(e.line) + ":"));

  SECTION("also at the top level") {
    const ScenarioError top = only_error(base + "[simulaton]\nseed = 2\n", "simulaton");
    CHECK_THAT(top.message, Contains("unknown key \"simulaton\""));
  }
}

TEST_CASE("scenario: several errors are reported at once, in file order") {
  const std::string text = R"(
[simulation]
replicas = 0

[[jurisdictions]]
name = "EU"

[[hyperscalers]]
name = "Atlas"
jurisdiction = "Mars"
capacity = -1
price = 1

[[strategies]]
name = "s"
portfolio = [{ api = "Atlas", weight = 1 }]

[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "s"
demand = 1
failover = { switch_delay_days = -2 }
)";
  const std::vector<ScenarioError> errors = errors_of(text);
  INFO(all_formatted(errors));
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].key == "simulation.replicas");
  CHECK(errors[0].line == 3);
  CHECK(errors[1].key == "hyperscalers[0].jurisdiction");
  CHECK(errors[1].message == "unknown jurisdiction \"Mars\" (known: EU)");
  CHECK(errors[1].line == 10);
  CHECK(errors[2].key == "hyperscalers[0].capacity");
  CHECK(errors[2].line == 11);
  CHECK(errors[3].key == "buyers[0].failover.switch_delay_days");
  CHECK(errors[3].line == 23);

  try {
    parse_scenario(text, "inline.toml");
  } catch (const ScenarioLoadError& error) {
    const std::string what = error.what();
    CHECK(std::count(what.begin(), what.end(), '\n') == 3);
    CHECK_THAT(what, Contains("inline.toml:11:12: hyperscalers[0].capacity: expected a number > "
                              "0, got -1"));
  }
}

TEST_CASE("scenario: a self_hosted basket needs own hardware") {
  const std::string strategy = R"(
[[strategies]]
name = "sovereign"
portfolio = [{ api = "Atlas", weight = 0.5 }, { self_hosted = "Commons", weight = 0.5 }]
)";
  SECTION("no own_hardware table") {
    const ScenarioError e = only_error(base + strategy + R"(
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "sovereign"
demand = 1
)",
                                       "buyers[1].own_hardware.capacity");
    CHECK_THAT(e.message, Contains("> 0") && Contains("sovereign") && Contains("Commons"));
  }
  SECTION("zero capacity") {
    const ScenarioError e = only_error(base + strategy + R"(
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "sovereign"
demand = 1
own_hardware = { capacity = 0, cost_per_day = 5 }
)",
                                       "buyers[1].own_hardware.capacity");
    CHECK_THAT(e.message, Contains("got 0"));
  }
  SECTION("a self_hosted fallback counts too") {
    only_error(base + R"(
[[strategies]]
name = "api_first"
portfolio = [{ api = "Atlas", weight = 1 }]
fallbacks = [{ self_hosted = "Commons" }]
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "api_first"
demand = 1
)",
               "buyers[1].own_hardware.capacity");
  }
}

TEST_CASE("scenario: restrict_chips takes a jurisdiction, not a provider") {
  const std::string text = base + R"(
[[governments]]
name = "g"
jurisdiction = "US"
[[governments.actions]]
kind = "restrict_chips"
target = "Atlas"
rate_per_year = 0.1
)";
  const ScenarioError e = only_error(text, "governments[0].actions[0].target");
  CHECK_THAT(e.message, Contains("target_jurisdiction"));
  CHECK_THAT(e.format(), Contains("inline.toml:" + std::to_string(e.line) + ":"));
}

TEST_CASE("scenario: rules tying entries together") {
  SECTION("every strategy is used by a buyer group") {
    const ScenarioError e = only_error(base + R"(
[[strategies]]
name = "orphan"
portfolio = [{ api = "Atlas", weight = 1 }]
)",
                                       "strategies[1]");
    CHECK_THAT(e.message, Contains("not used by any buyer group"));
  }
  SECTION("names are unique across hyperscalers and open labs") {
    const ScenarioError e = only_error(base + R"(
[[open_labs]]
name = "Atlas"
jurisdiction = "EU"
)",
                                       "open_labs[1].name");
    CHECK_THAT(e.message, Contains("duplicate name \"Atlas\"") && Contains("hyperscalers[0]"));
  }
  SECTION("an open lab without hosted_api is no api basket") {
    const ScenarioError e = only_error(base + R"(
[[open_labs]]
name = "Bare"
jurisdiction = "EU"
[[strategies]]
name = "s2"
portfolio = [{ api = "Bare", weight = 1 }]
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "s2"
demand = 1
)",
                                       "strategies[1].portfolio[0].api");
    CHECK_THAT(e.message, Contains("hosted_api"));
  }
  SECTION("a basket once per portfolio, once per fallbacks") {
    const std::vector<ScenarioError> errors = errors_of(base + R"(
[[strategies]]
name = "s2"
portfolio = [{ api = "Atlas", weight = 0.5 }, { api = "Atlas", weight = 0.5 }]
fallbacks = [{ api = "Commons" }, { api = "Commons" }]
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "s2"
demand = 1
)");
    INFO(all_formatted(errors));
    CHECK(find_error(errors, "strategies[1].portfolio[1]") != nullptr);
    CHECK(find_error(errors, "strategies[1].fallbacks[1]") != nullptr);
  }
  SECTION("a basket has exactly one of api or self_hosted") {
    const std::vector<ScenarioError> errors = errors_of(base + R"(
[[strategies]]
name = "s2"
portfolio = [{ api = "Atlas", self_hosted = "Commons", weight = 0.5 }, { weight = 0.5 }]
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "s2"
demand = 1
own_hardware = { capacity = 1 }
)");
    INFO(all_formatted(errors));
    CHECK(find_error(errors, "strategies[1].portfolio[0].self_hosted") != nullptr);
    CHECK(find_error(errors, "strategies[1].portfolio[1]") != nullptr);
  }
  SECTION("links join two distinct known jurisdictions, once") {
    const std::vector<ScenarioError> errors = errors_of(base + R"(
[[links]]
between = ["EU", "US"]
[[links]]
between = ["US", "EU"]
[[links]]
between = ["EU", "EU"]
[[links]]
between = ["EU"]
)");
    INFO(all_formatted(errors));
    REQUIRE(errors.size() == 3);
    CHECK(errors[0].key == "links[1].between");
    CHECK_THAT(errors[0].message, Contains("duplicate link"));
    CHECK(errors[1].key == "links[2].between");
    CHECK(errors[2].key == "links[3].between");
  }
  SECTION("at least one jurisdiction, strategy and buyer group") {
    const std::vector<ScenarioError> errors = errors_of("jurisdictions = []\n");
    INFO(all_formatted(errors));
    REQUIRE(errors.size() == 3);
    CHECK(find_error(errors, "jurisdictions") != nullptr);
    CHECK(find_error(errors, "strategies") != nullptr);
    CHECK(find_error(errors, "buyers") != nullptr);
  }
}

TEST_CASE("scenario: government action rules by kind") {
  const std::string government = base + R"(
[[governments]]
name = "g"
jurisdiction = "US"
)";
  SECTION("block_jurisdiction needs against") {
    only_error(government + R"(
[[governments.actions]]
kind = "block_jurisdiction"
target = "Atlas"
rate_per_year = 1
)",
               "governments[0].actions[0].against");
  }
  SECTION("against is an error for suspend_model") {
    only_error(government + R"(
[[governments.actions]]
kind = "suspend_model"
target = "Atlas"
against = "EU"
rate_per_year = 1
)",
               "governments[0].actions[0].against");
  }
  SECTION("restrict_licence targets an open lab") {
    const ScenarioError e = only_error(government + R"(
[[governments.actions]]
kind = "restrict_licence"
target = "Atlas"
against = "EU"
rate_per_year = 1
)",
                                       "governments[0].actions[0].target");
    CHECK_THAT(e.message, Contains("hyperscaler"));
  }
  SECTION("capacity_factor only for restrict_chips") {
    only_error(government + R"(
[[governments.actions]]
kind = "suspend_model"
target = "Atlas"
rate_per_year = 1
capacity_factor = 0.5
)",
               "governments[0].actions[0].capacity_factor");
  }
  SECTION("exactly one of target and target_jurisdiction") {
    only_error(government + R"(
[[governments.actions]]
kind = "suspend_model"
target = "Atlas"
target_jurisdiction = "US"
rate_per_year = 1
)",
               "governments[0].actions[0].target_jurisdiction");
    only_error(government + R"(
[[governments.actions]]
kind = "suspend_model"
rate_per_year = 1
)",
               "governments[0].actions[0]");
  }
  SECTION("an unknown kind lists the allowed ones") {
    const ScenarioError e = only_error(government + R"(
[[governments.actions]]
kind = "nationalise"
target = "Atlas"
rate_per_year = 1
)",
                                       "governments[0].actions[0].kind");
    CHECK_THAT(e.message, Contains("\"restrict_chips\"") && Contains("got \"nationalise\""));
  }
  SECTION("probabilities lie in [0, 1]") {
    const ScenarioError e = only_error(government + R"(
[governments.tension]
common_mode_probability = { tense = 1.5 }
)",
                                       "governments[0].tension.common_mode_probability.tense");
    CHECK(e.message == "expected a number in [0, 1], got 1.5");
  }
}

TEST_CASE("scenario: chips, price rules and capacity growth: mistakes") {
  const std::string chips = R"(
[[chips]]
name = "H100"
efficiency = 400
[[chips]]
name = "B200"
efficiency = 1000
)";
  SECTION("an unknown chip names the key and lists the known chips") {
    const ScenarioError e = only_error(base + chips + R"(
[[hyperscalers]]
name = "Borealis"
jurisdiction = "EU"
capacity = 1
price = 1
chip = "TPU"
)",
                                       "hyperscalers[1].chip");
    CHECK(e.message == "unknown chip \"TPU\" (known: H100, B200)");
    CHECK(e.line > 0);
    CHECK_THAT(e.format(), Contains("inline.toml:" + std::to_string(e.line) + ":"));
  }
  SECTION("a chip reference without any [[chips]]") {
    const ScenarioError e = only_error(base + R"(
[[strategies]]
name = "sovereign"
portfolio = [{ self_hosted = "Commons", weight = 1 }]
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "sovereign"
demand = 1
own_hardware = { capacity = 1, chip = "H100" }
)",
                                       "buyers[1].own_hardware.chip");
    CHECK(e.message == "unknown chip \"H100\" (none defined)");
  }
  SECTION("chip names are unique, and a chip needs its efficiency") {
    const std::vector<ScenarioError> errors = errors_of(base + chips + R"(
[[chips]]
name = "H100"
efficiency = 1
[[chips]]
name = "MI300"
idle_power_share = 1.5
)");
    INFO(all_formatted(errors));
    REQUIRE(errors.size() == 3);
    CHECK(errors[0].key == "chips[2].name");
    CHECK_THAT(errors[0].message, Contains("duplicate name \"H100\"") && Contains("chips[0]"));
    CHECK(errors[1].key == "chips[3].efficiency");
    CHECK_THAT(errors[1].message, Contains("work units per kWh") && Contains("> 0"));
    CHECK(errors[2].key == "chips[3].idle_power_share");
    CHECK(errors[2].message == "expected a number in [0, 1], got 1.5");
  }
  SECTION("growth_factor only for restrict_chips") {
    const ScenarioError e = only_error(base + R"(
[[governments]]
name = "g"
jurisdiction = "US"
[[governments.actions]]
kind = "suspend_model"
target = "Atlas"
rate_per_year = 1
growth_factor = 0.5
)",
                                       "governments[0].actions[0].growth_factor");
    CHECK(e.message == "\"growth_factor\" applies only to restrict_chips actions");
  }
  SECTION("growth_factor lies in [0, 1]") {
    const ScenarioError e = only_error(base + R"(
[[governments]]
name = "g"
jurisdiction = "US"
[[governments.actions]]
kind = "restrict_chips"
target_jurisdiction = "EU"
rate_per_year = 1
growth_factor = 1.5
)",
                                       "governments[0].actions[0].growth_factor");
    CHECK(e.message == "expected a number in [0, 1], got 1.5");
  }
  SECTION("max_multiplier is at least 1") {
    const ScenarioError e = only_error(base + R"(
[[hyperscalers]]
name = "Borealis"
jurisdiction = "EU"
capacity = 1
price = 1
pricing = { surge_slope = 1, max_multiplier = 0.5 }
)",
                                       "hyperscalers[1].pricing.max_multiplier");
    CHECK(e.message == "expected a number >= 1, got 0.5");
  }
  SECTION("energy_pass_through needs a chip") {
    const ScenarioError e = only_error(base + chips + R"(
[[hyperscalers]]
name = "Borealis"
jurisdiction = "EU"
capacity = 1
price = 1
pricing = { energy_pass_through = 0.5 }
)",
                                       "hyperscalers[1].pricing.energy_pass_through");
    CHECK_THAT(e.message, Contains("needs a chip: energy is modelled only for a provider with a "
                                   "chip") &&
                              Contains("known: H100, B200"));
    CHECK(e.line > 0);
  }
  SECTION("energy_pass_through on a hosted API needs a chip too") {
    only_error(base + R"(
[[open_labs]]
name = "Hosted"
jurisdiction = "EU"
hosted_api = { capacity = 1, price = 1, pricing = { energy_pass_through = 1 } }
)",
               "open_labs[1].hosted_api.pricing.energy_pass_through");
  }
  SECTION("a hosted API's investment is checked like a hyperscaler's") {
    const ScenarioError e = only_error(base + R"(
[[open_labs]]
name = "Hosted"
jurisdiction = "EU"
hosted_api = { capacity = 1, price = 1, investment = { review_days = 0 } }
)",
                                       "open_labs[1].hosted_api.investment.review_days");
    CHECK(e.message == "expected a number > 0, got 0");
  }
  SECTION("an unknown chip is reported once, not also as a missing chip") {
    only_error(base + R"(
[[hyperscalers]]
name = "Borealis"
jurisdiction = "EU"
capacity = 1
price = 1
chip = "TPU"
pricing = { energy_pass_through = 0.5 }
)",
               "hyperscalers[1].chip");
  }
  SECTION("a power price needs no chip") {
    const Scenario s = parse_scenario(base + R"(
[[jurisdictions]]
name = "CN"
power_price = 0.1
)",
                                      "inline.toml");
    CHECK(s.jurisdictions.at(2).power_price == 0.1);
  }
  SECTION("a misspelt key inside investment") {
    const ScenarioError e = only_error(base + R"(
[[hyperscalers]]
name = "Borealis"
jurisdiction = "EU"
capacity = 1
price = 1
[hyperscalers.investment]
review_days = 30
utilisation_treshold = 0.9
)",
                                       "hyperscalers[1].investment.utilisation_treshold");
    CHECK_THAT(e.message, Contains("unknown key \"utilisation_treshold\"") &&
                              Contains("did you mean \"utilisation_threshold\"?"));
  }
  SECTION("max_orders is an integer >= 0") {
    const ScenarioError e = only_error(base + R"(
[[hyperscalers]]
name = "Borealis"
jurisdiction = "EU"
capacity = 1
price = 1
investment = { max_orders = 2.5 }
)",
                                       "hyperscalers[1].investment.max_orders");
    CHECK_THAT(e.message, Contains("expected an integer >= 0"));
  }
  SECTION("an expansion needs its step") {
    const ScenarioError e = only_error(base + R"(
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "one_basket"
demand = 1
own_hardware = { capacity = 1, expansion = { max_orders = 2 } }
)",
                                       "buyers[1].own_hardware.expansion.step");
    CHECK_THAT(e.message,
               Contains("missing required key \"step\"") && Contains("work units per day"));
  }
}

TEST_CASE("scenario: a self_hosted basket may start with no hardware and expand") {
  const std::string strategy = R"(
[[strategies]]
name = "sovereign"
portfolio = [{ self_hosted = "Commons", weight = 1 }]
[[buyers]]
name = "b"
jurisdiction = "EU"
strategy = "sovereign"
demand = 1
)";
  SECTION("an expansion on zero capacity is valid") {
    const Scenario s = parse_scenario(
        base + strategy + "own_hardware = { expansion = { step = 1 } }\n", "inline.toml");
    CHECK(s.buyers.at(1).own_hardware.capacity == 0.0);
    CHECK(s.buyers.at(1).own_hardware.expansion.has_value());
  }
  SECTION("an expansion that never orders does not count") {
    const ScenarioError e = only_error(
        base + strategy + "own_hardware = { expansion = { step = 1, max_orders = 0 } }\n",
        "buyers[1].own_hardware.capacity");
    CHECK_THAT(e.message, Contains("sovereign") && Contains("expansion"));
  }
}

TEST_CASE("scenario: error formatting") {
  CHECK(ScenarioError{"f.toml", "a.b", 3, 7, "bad"}.format() == "f.toml:3:7: a.b: bad");
  CHECK(ScenarioError{"f.toml", "", 3, 7, "bad"}.format() == "f.toml:3:7: bad");
  CHECK(ScenarioError{"f.toml", "a", 0, 0, "bad"}.format() == "f.toml: a: bad");
  const ScenarioLoadError error({{"f.toml", "a", 1, 2, "x"}, {"f.toml", "b", 3, 4, "y"}});
  CHECK(std::string(error.what()) == "f.toml:1:2: a: x\nf.toml:3:4: b: y");
}
