#include "sim/statistics.hpp"

#include "sim/report.hpp"
#include "sim/risk.hpp"
#include "sim/scenario_parser.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace baskets;

TEST_CASE("statistics: mean and standard error of known samples", "[statistics]") {
  const Estimate e = estimate({1.0, 2.0, 3.0, 4.0});
  REQUIRE(e.mean == Approx(2.5));
  // Sample variance 5/3; standard error sqrt(5/3 / 4).
  REQUIRE(e.standard_error == Approx(std::sqrt(5.0 / 12.0)));
  REQUIRE(e.samples == 4);
  REQUIRE(estimate({7.0}).standard_error == 0.0);
  REQUIRE(estimate({}).samples == 0);
}

TEST_CASE("statistics: the paired difference cancels the noise strategies share", "[statistics]") {
  // Strategy 1 is strategy 0 plus exactly 0.1 in every replica: the paired difference has no
  // spread at all, while each strategy's own mean does.
  std::vector<ReplicaResult> replicas;
  for (int r = 0; r < 10; ++r) {
    ReplicaResult result{static_cast<std::uint64_t>(r), std::vector<StrategyMetrics>(2), {}};
    result.strategies[0][Metric::served_share] = 0.5 + 0.04 * r;
    result.strategies[1][Metric::served_share] = 0.6 + 0.04 * r;
    replicas.push_back(result);
  }
  const auto summary = summarise(replicas, 2);
  const auto served = static_cast<std::size_t>(Metric::served_share);
  REQUIRE(summary[1].paired_difference[served].mean == Approx(0.1));
  REQUIRE(summary[1].paired_difference[served].standard_error == Approx(0.0).margin(1e-12));
  REQUIRE(summary[1].metrics[served].standard_error > 0.01);
  REQUIRE(summary[0].paired_difference[served].mean == 0.0);
}

namespace {

// valid_base.toml (one hyperscaler, Atlas) with open labs added: `hosted` of them host an API.
Scenario with_open_labs(std::size_t hosted) {
  Scenario scenario = load_scenario(BASKETS_SOURCE_DIR "/tests/cli/valid_base.toml");
  OpenLab weights_only;
  weights_only.name = "Weights only";
  scenario.open_labs.push_back(weights_only);
  for (std::size_t i = 0; i < hosted; ++i) {
    OpenLab lab;
    lab.name = fmt::format("Lab {}", i);
    lab.hosted_api = HostedApi{};
    scenario.open_labs.push_back(lab);
  }
  return scenario;
}

// Replicas whose provider p has served_work 10 p + r and revenue 2 (10 p + r).
std::vector<ReplicaResult> provider_replicas(const Scenario& scenario, std::size_t providers) {
  std::vector<ReplicaResult> replicas;
  for (std::uint64_t r = 0; r < 4; ++r) {
    ReplicaResult result{r, std::vector<StrategyMetrics>(scenario.strategies.size()),
                         std::vector<ProviderMetrics>(providers)};
    for (std::size_t p = 0; p < providers; ++p) {
      result.providers[p][ProviderMetric::served_work] = (10.0 * static_cast<double>(p)) + r;
      result.providers[p][ProviderMetric::revenue] = 2.0 * ((10.0 * static_cast<double>(p)) + r);
    }
    replicas.push_back(result);
  }
  return replicas;
}

std::string report(const Scenario& scenario, const std::vector<ReplicaResult>& replicas) {
  const std::vector<StrategyRisk> risk = assess_risk(replicas, scenario.strategies.size(), 30.0);
  std::ostringstream out;
  print_report(out, {&scenario, 7, replicas.size(), replicas.size(), 30.0, &replicas}, risk);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// Columns on a terminal: UTF-8 continuation bytes take none.
std::size_t columns(const std::string& line) {
  return static_cast<std::size_t>(std::ranges::count_if(
      line, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

} // namespace

TEST_CASE("statistics: the API providers are the hyperscalers, then the hosted open labs",
          "[statistics]") {
  const Scenario scenario = with_open_labs(2);
  REQUIRE(provider_names(scenario) == std::vector<std::string>{"Atlas", "Lab 0", "Lab 1"});
  REQUIRE(provider_names(with_open_labs(0)) == std::vector<std::string>{"Atlas"});
}

TEST_CASE("statistics: each provider metric's mean and standard error over replicas",
          "[statistics]") {
  const Scenario scenario = with_open_labs(1);
  const std::vector<ReplicaResult> replicas = provider_replicas(scenario, 2);
  const std::vector<ProviderSummary> summary = summarise_providers(replicas, 2);
  REQUIRE(summary.size() == 2);
  const auto served = static_cast<std::size_t>(ProviderMetric::served_work);
  const auto revenue = static_cast<std::size_t>(ProviderMetric::revenue);
  for (std::size_t p = 0; p < 2; ++p) {
    // 10 p + (0, 1, 2, 3): the estimate of those four values, twice them for revenue.
    const Estimate e = estimate({10.0 * p, (10.0 * p) + 1, (10.0 * p) + 2, (10.0 * p) + 3});
    CHECK(summary[p].metrics[served].mean == e.mean);
    CHECK(summary[p].metrics[served].standard_error == e.standard_error);
    CHECK(summary[p].metrics[revenue].mean == Approx(2.0 * e.mean));
    CHECK(summary[p].metrics[served].samples == 4);
  }
  CHECK(provider_column(replicas, 1, ProviderMetric::revenue) ==
        std::vector<double>{20.0, 22.0, 24.0, 26.0});
  CHECK_THROWS_WITH(summarise_providers(replicas, 3),
                    Catch::Contains("replica 0") && Catch::Contains("2 providers, not 3"));
}

TEST_CASE("statistics: the report's providers table, in groups of columns that fit 100",
          "[statistics]") {
  SECTION("one group of columns") {
    const Scenario scenario = with_open_labs(1);
    const std::vector<ReplicaResult> replicas = provider_replicas(scenario, 2);
    const std::string text = report(scenario, replicas);
    INFO(text);
    const std::vector<std::string> lines = lines_of(text);
    const auto title = std::ranges::find(lines, "Providers (mean over replicas ± standard error)");
    REQUIRE(title != lines.end());
    const std::vector<std::string> table(title + 1, lines.end());
    REQUIRE(table.size() == 2 + provider_metric_count); // blank, header, a row per metric
    CHECK_THAT(table[1],
               Catch::StartsWith("metric") && Catch::Contains("Atlas") && Catch::EndsWith("Lab 0"));
    const std::vector<ProviderSummary> summary = summarise_providers(replicas, 2);
    const Estimate& served = summary[1].metrics[0];
    CHECK_THAT(table[2], Catch::StartsWith("served_work") && Catch::Contains("work units") &&
                             Catch::EndsWith(fmt::format("{:.5g} ± {:.2g}", served.mean,
                                                         served.standard_error)));
    CHECK_THAT(table.back(), Catch::StartsWith("intelligence_per_kwh"));
    for (const std::string& line : table)
      CHECK(columns(line) <= 100);
  }
  SECTION("five providers: three groups") {
    const Scenario scenario = with_open_labs(4);
    const std::string text = report(scenario, provider_replicas(scenario, 5));
    INFO(text);
    const std::vector<std::string> lines = lines_of(text);
    CHECK(std::ranges::count_if(lines, [](const std::string& l) {
            return l.starts_with("metric") && l.find("Lab") != std::string::npos;
          }) == 3);
    const auto title = std::ranges::find(lines, "Providers (mean over replicas ± standard error)");
    REQUIRE(title != lines.end());
    for (auto line = title; line != lines.end(); ++line)
      CHECK(columns(*line) <= 100);
  }
  SECTION("a replica with a provider missing is refused") {
    const Scenario scenario = with_open_labs(1);
    std::vector<ReplicaResult> replicas = provider_replicas(scenario, 2);
    replicas[2].providers.pop_back();
    CHECK_THROWS_AS(report(scenario, replicas), std::invalid_argument);
  }
  SECTION("without the replicas, no providers table") {
    const Scenario scenario = with_open_labs(1);
    const std::vector<ReplicaResult> replicas = provider_replicas(scenario, 2);
    std::ostringstream out;
    print_report(out, {&scenario, 7, 4, 4, 30.0},
                 assess_risk(replicas, scenario.strategies.size(), 30.0));
    CHECK_THAT(out.str(), Catch::Contains("cost_energy") && !Catch::Contains("Providers"));
  }
}

TEST_CASE("statistics: a replayed replica's provider metrics, at full precision", "[statistics]") {
  const Scenario scenario = with_open_labs(1);
  std::vector<ReplicaResult> replicas = provider_replicas(scenario, 2);
  replicas[1].providers[1][ProviderMetric::mean_price] = 0.1;
  std::ostringstream out;
  print_replica(out, scenario, replicas[1]);
  INFO(out.str());
  CHECK_THAT(out.str(), Catch::Contains("Lab 0") && Catch::Contains("0.10000000000000001") &&
                            Catch::Contains("cost_energy"));
}
