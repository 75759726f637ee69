// The simulated model against closed forms. Every check uses a fixed seed and a tolerance of
// four standard errors of the Monte Carlo estimate (plus, where the closed form is a long-run
// limit, its known finite-horizon correction). Each TEST_CASE runs in its own process (ctest),
// because SimGrid allows one engine per process.
#include "closed_forms.hpp"

#include "sim/monte_carlo.hpp"
#include "sim/risk.hpp"
#include "sim/scenario_parser.hpp"
#include "sim/statistics.hpp"

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include <cmath>
#include <string>

using namespace baskets;
using baskets::testing::down_probability;
using baskets::testing::expected_downtime;
using baskets::testing::integrate;

namespace {

constexpr double days_per_year = 365.0;
constexpr int replicas = 400;

// Scenario text shared by the checks: one jurisdiction per provider unless told otherwise,
// constant demand, no tension.
std::string provider(const std::string& name, const std::string& jurisdiction, double capacity) {
  return fmt::format("[[hyperscalers]]\nname = \"{}\"\njurisdiction = \"{}\"\ncapacity = {}\n"
                     "price = 1.0\n",
                     name, jurisdiction, capacity);
}

std::string jurisdictions(std::initializer_list<const char*> names) {
  std::string text;
  for (const char* name : names)
    text += fmt::format("[[jurisdictions]]\nname = \"{}\"\n", name);
  return text;
}

// A government that suspends `target` at rate lambda (per day) for Exp(mean 1 / mu) days.
std::string cutoffs(const std::string& government, const std::string& jurisdiction,
                    const std::string& target_key, const std::string& target, double lambda,
                    double mu) {
  return fmt::format("[[governments]]\nname = \"{}\"\njurisdiction = \"{}\"\n"
                     "[[governments.actions]]\nkind = \"suspend_model\"\n{} = \"{}\"\n"
                     "rate_per_year = {}\n"
                     "duration = {{ distribution = \"exponential\", mean_days = {} }}\n",
                     government, jurisdiction, target_key, target, lambda * days_per_year,
                     1.0 / mu);
}

std::string simulation(double horizon, int seed = 7) {
  // Demand is constant here: one demand step over the whole horizon keeps events sparse.
  return fmt::format("[simulation]\nhorizon_days = {}\nseed = {}\nreplicas = {}\n"
                     "demand_step_days = {}\n",
                     horizon, seed, replicas, horizon);
}

std::string buyers(const std::string& name, const std::string& strategy, int count, double demand,
                   double delay = 0.0) {
  return fmt::format("[[buyers]]\nname = \"{}\"\njurisdiction = \"EU\"\ncount = {}\n"
                     "strategy = \"{}\"\ndemand = {}\n"
                     "failover = {{ switch_delay_days = {} }}\n",
                     name, count, strategy, demand, delay);
}

struct Run {
  std::vector<ReplicaResult> results;
  std::vector<StrategySummary> summary;
};

std::vector<ReplicaResult> run_all(const Simulator& simulator, std::uint64_t seed,
                                   std::uint64_t count) {
  RunOptions options;
  options.seed = seed;
  options.count = count;
  RunResults results = simulator.run(options);
  REQUIRE(results.failures.empty());
  return results.completed;
}

Run run(const Simulator& simulator, std::uint64_t seed = 7) {
  Run r;
  r.results = run_all(simulator, seed, replicas);
  r.summary = summarise(r.results, simulator.scenario().strategies.size());
  return r;
}

Simulator simulator_for(const std::string& text) {
  return Simulator(parse_scenario(text, "closed-form.toml"));
}

void require_within(const Estimate& e, double expected, double extra_tolerance = 0.0) {
  INFO("estimate " << e.mean << " ± " << e.standard_error << ", closed form " << expected);
  REQUIRE(e.standard_error > 0.0);
  REQUIRE(std::abs(e.mean - expected) <= 4.0 * e.standard_error + extra_tolerance);
}

const Estimate& estimate_of(const Run& r, std::size_t strategy, Metric metric) {
  return r.summary[strategy].metrics[static_cast<std::size_t>(metric)];
}

} // namespace

TEST_CASE("closed form 1: one provider cut off at rate lambda, no failover",
          "[model][closed-form]") {
  const double lambda = 0.01, mu = 0.05, horizon = 1000.0;
  const Simulator simulator = simulator_for(
      simulation(horizon) + jurisdictions({"US", "EU"}) + provider("P1", "US", 1000) +
      "[[strategies]]\nname = \"one\"\nportfolio = [{ api = \"P1\", weight = 1.0 }]\n" +
      buyers("b", "one", 1, 10.0) + cutoffs("G", "US", "target", "P1", lambda, mu));
  const Run r = run(simulator);

  const double downtime = expected_downtime(lambda, mu, horizon);
  require_within(estimate_of(r, 0, Metric::outage_days), downtime);
  require_within(estimate_of(r, 0, Metric::served_share), 1.0 - downtime / horizon);
}

TEST_CASE("closed form 1b: long-run served share is mu / (lambda + mu)", "[model][closed-form]") {
  const double lambda = 0.01, mu = 0.05, horizon = 10'000.0;
  const Simulator simulator = simulator_for(
      simulation(horizon) + jurisdictions({"US", "EU"}) + provider("P1", "US", 1000) +
      "[[strategies]]\nname = \"one\"\nportfolio = [{ api = \"P1\", weight = 1.0 }]\n" +
      buyers("b", "one", 1, 10.0) + cutoffs("G", "US", "target", "P1", lambda, mu));
  const Run r = run(simulator);

  const double long_run = mu / (lambda + mu);
  // Starting up, a finite horizon serves slightly more than the long-run share; the difference
  // is known exactly.
  const double start_up_bias = long_run - (1.0 - expected_downtime(lambda, mu, horizon) / horizon);
  require_within(estimate_of(r, 0, Metric::served_share), long_run, std::abs(start_up_bias));
}

TEST_CASE("closed form 2: two independent providers with perfect failover",
          "[model][closed-form]") {
  const double l1 = 0.01, m1 = 0.05, l2 = 0.02, m2 = 0.04, horizon = 1000.0;
  const Simulator simulator = simulator_for(
      simulation(horizon) + jurisdictions({"US", "CN", "EU"}) + provider("P1", "US", 1000) +
      provider("P2", "CN", 1000) +
      "[[strategies]]\nname = \"two\"\n"
      "portfolio = [{ api = \"P1\", weight = 0.5 }, { api = \"P2\", weight = 0.5 }]\n" +
      buyers("b", "two", 2, 10.0) + cutoffs("G1", "US", "target", "P1", l1, m1) +
      cutoffs("G2", "CN", "target", "P2", l2, m2));
  const Run r = run(simulator);

  // Served unless both are down; the providers are independent.
  const double both_down =
      integrate([&](double t) { return down_probability(l1, m1, t) * down_probability(l2, m2, t); },
                0.0, horizon);
  require_within(estimate_of(r, 0, Metric::served_share), 1.0 - both_down / horizon);
  require_within(estimate_of(r, 0, Metric::outage_days), both_down);
}

TEST_CASE("closed form 3: a split with no failover has the mean of its parts and less variance",
          "[model][closed-form]") {
  const double l1 = 0.01, m1 = 0.05, l2 = 0.01, m2 = 0.05, horizon = 1000.0, w = 0.7;
  const Simulator simulator = simulator_for(
      simulation(horizon) + jurisdictions({"US", "CN", "EU"}) + provider("P1", "US", 1000) +
      provider("P2", "CN", 1000) +
      "[[strategies]]\nname = \"one\"\nportfolio = [{ api = \"P1\", weight = 1.0 }]\n"
      "fallbacks = []\n"
      "[[strategies]]\nname = \"split\"\n" +
      fmt::format(
          "portfolio = [{{ api = \"P1\", weight = {} }}, {{ api = \"P2\", weight = {} }}]\n", w,
          1.0 - w) +
      "fallbacks = []\n" + buyers("one", "one", 1, 10.0) + buyers("split", "split", 1, 10.0) +
      cutoffs("G1", "US", "target", "P1", l1, m1) + cutoffs("G2", "CN", "target", "P2", l2, m2));
  const Run r = run(simulator);

  const double a1 = 1.0 - expected_downtime(l1, m1, horizon) / horizon;
  const double a2 = 1.0 - expected_downtime(l2, m2, horizon) / horizon;
  require_within(estimate_of(r, 0, Metric::served_share), a1);
  require_within(estimate_of(r, 1, Metric::served_share), w * a1 + (1.0 - w) * a2);

  // Var(split) = w^2 Var(1) + (1-w)^2 Var(2) = 0.58 Var(one) here. The ratio of two sample
  // variances of n samples has a relative standard error of about sqrt(4 / (n - 1)).
  const auto variance = [&](std::size_t s) {
    const double se = estimate_of(r, s, Metric::served_share).standard_error;
    return se * se * replicas;
  };
  const double ratio = variance(1) / variance(0);
  const double expected_ratio = w * w + (1.0 - w) * (1.0 - w);
  INFO("variance ratio " << ratio << ", expected " << expected_ratio);
  REQUIRE(ratio < 1.0);
  REQUIRE(std::abs(ratio - expected_ratio) <=
          4.0 * expected_ratio * std::sqrt(4.0 / (replicas - 1)));
}

TEST_CASE("closed form 4: failover after a switch delay leaves E[min(d, D)] unserved per cutoff",
          "[model][closed-form]") {
  const double lambda = 0.01, mu = 0.05, delay = 10.0, horizon = 3650.0;
  const Simulator simulator = simulator_for(
      simulation(horizon) + jurisdictions({"US", "CN", "EU"}) + provider("P1", "US", 1000) +
      provider("P2", "CN", 1000) +
      "[[strategies]]\nname = \"failover\"\nportfolio = [{ api = \"P1\", weight = 1.0 }]\n"
      "fallbacks = [{ api = \"P2\" }]\n" +
      buyers("b", "failover", 1, 10.0, delay) + cutoffs("G", "US", "target", "P1", lambda, mu));
  const Run r = run(simulator);

  // Ratio estimator: total unserved days over total cutoffs, with its delta-method error.
  const std::vector<double> days = column(r.results, 0, Metric::outage_days);
  const std::vector<double> episodes = column(r.results, 0, Metric::outage_episodes);
  double total_days = 0.0, total_episodes = 0.0;
  for (std::size_t i = 0; i < days.size(); ++i) {
    total_days += days[i];
    total_episodes += episodes[i];
  }
  const double ratio = total_days / total_episodes;
  std::vector<double> residuals;
  for (std::size_t i = 0; i < days.size(); ++i)
    residuals.push_back(days[i] - ratio * episodes[i]);
  const double mean_episodes = total_episodes / static_cast<double>(days.size());
  const Estimate e{ratio, estimate(residuals).standard_error / mean_episodes, days.size()};
  require_within(e, baskets::testing::expected_unserved_per_cutoff(mu, delay));
}

TEST_CASE("closed form 5: capacity-limited failover is shared by SimGrid", "[model][closed-form]") {
  const double l1 = 0.01, m1 = 0.05, l2 = 0.01, m2 = 0.1, horizon = 1000.0;
  const int count = 10;
  const double demand = 10.0, share = 0.4; // the fallback covers 40% of the buyers' demand
  const Simulator simulator = simulator_for(
      simulation(horizon) + jurisdictions({"US", "CN", "EU"}) + provider("P1", "US", 1000) +
      provider("P2", "CN", share * count * demand) +
      "[[strategies]]\nname = \"failover\"\nportfolio = [{ api = \"P1\", weight = 1.0 }]\n"
      "fallbacks = [{ api = \"P2\" }]\n" +
      buyers("b", "failover", count, demand) + cutoffs("G1", "US", "target", "P1", l1, m1) +
      cutoffs("G2", "CN", "target", "P2", l2, m2));
  const Run r = run(simulator);

  // Served: all while P1 is up; the share C of it while P1 is down and P2 up.
  const double served = integrate(
      [&](double t) {
        const double p1 = down_probability(l1, m1, t);
        const double p2 = down_probability(l2, m2, t);
        return (1.0 - p1) + p1 * (1.0 - p2) * std::min(1.0, share);
      },
      0.0, horizon);
  require_within(estimate_of(r, 0, Metric::served_share), served / horizon);
}

TEST_CASE("closed form 6: two baskets in one jurisdiction do no better against a common-mode "
          "action",
          "[model][closed-form]") {
  const double lambda = 0.01, mu = 0.05, horizon = 1000.0;
  const Simulator simulator = simulator_for(
      simulation(horizon) + jurisdictions({"US", "FR", "EU"}) + provider("P1", "US", 1000) +
      provider("P2", "US", 1000) + provider("P3", "FR", 1000) +
      "[[strategies]]\nname = \"one\"\nportfolio = [{ api = \"P1\", weight = 1.0 }]\n"
      "[[strategies]]\nname = \"two, same jurisdiction\"\n"
      "portfolio = [{ api = \"P1\", weight = 0.5 }, { api = \"P2\", weight = 0.5 }]\n"
      "[[strategies]]\nname = \"two, two jurisdictions\"\n"
      "portfolio = [{ api = \"P1\", weight = 0.5 }, { api = \"P3\", weight = 0.5 }]\n" +
      buyers("one", "one", 1, 10.0) + buyers("same", "two, same jurisdiction", 1, 10.0) +
      buyers("spread", "two, two jurisdictions", 1, 10.0) +
      cutoffs("G", "US", "target_jurisdiction", "US", lambda, mu));
  const Run r = run(simulator);

  // Both U.S. baskets go down and come back together: no gain at all, replica by replica.
  for (const ReplicaResult& replica : r.results)
    REQUIRE(replica.strategies[1][Metric::served_share] ==
            Approx(replica.strategies[0][Metric::served_share]).margin(1e-9));
  // A basket in another jurisdiction does help.
  const Estimate& gain =
      r.summary[2].paired_difference[static_cast<std::size_t>(Metric::served_share)];
  INFO("gain of two jurisdictions " << gain.mean << " ± " << gain.standard_error);
  REQUIRE(gain.mean > 4.0 * gain.standard_error);
}

TEST_CASE("closed form 7: downloaded open weights keep serving through cutoffs of their lab",
          "[model][closed-form]") {
  const double horizon = 1000.0;
  const Simulator simulator = simulator_for(
      simulation(horizon) + jurisdictions({"CN", "EU"}) +
      "[[open_labs]]\nname = \"L\"\njurisdiction = \"CN\"\nrelease_interval_days = 100\n"
      "lag_days = 180\nhosted_api = { capacity = 1000, price = 0.5 }\n"
      "[[strategies]]\nname = \"hosted API\"\nportfolio = [{ api = \"L\", weight = 1.0 }]\n"
      "[[strategies]]\nname = \"self-hosted\"\nportfolio = [{ self_hosted = \"L\", weight = 1.0 "
      "}]\n" +
      buyers("api", "hosted API", 1, 10.0) + buyers("self", "self-hosted", 1, 10.0) +
      "own_hardware = { capacity = 10, cost_per_day = 1 }\n" +
      cutoffs("G", "CN", "target", "L", 0.01, 0.05) +
      "[[governments.actions]]\nkind = \"block_jurisdiction\"\ntarget = \"L\"\nagainst = \"EU\"\n"
      "rate_per_year = 3\nduration = { distribution = \"fixed\", mean_days = 150 }\n"
      "[[governments.actions]]\nkind = \"restrict_licence\"\ntarget = \"L\"\nagainst = \"EU\"\n"
      "rate_per_year = 3\n");
  const Run r = run(simulator);

  for (const ReplicaResult& replica : r.results)
    REQUIRE(replica.strategies[1][Metric::served_share] == Approx(1.0).margin(1e-9));
  const Estimate& api = estimate_of(r, 0, Metric::served_share);
  REQUIRE(api.mean < 1.0 - 4.0 * api.standard_error);
  // Withheld releases are felt as quality, not as service: the weights held grow old. Had every
  // release been downloaded, the weights' age would run from 180 to 280 days between releases.
  const double k = std::log(2.0) / 365.0;
  const double all_downloaded_gap =
      1.0 - std::exp(-k * 180.0) * (1.0 - std::exp(-k * 100.0)) / (k * 100.0);
  const Estimate& gap = estimate_of(r, 1, Metric::quality_gap);
  INFO("quality gap " << gap.mean << " ± " << gap.standard_error << ", with every release "
                      << all_downloaded_gap);
  REQUIRE(gap.mean > all_downloaded_gap + 4.0 * gap.standard_error);
}

TEST_CASE("closed form 8: the same seed gives identical results, another seed different ones",
          "[model][reproducibility]") {
  const Simulator simulator =
      Simulator(load_scenario(std::string(BASKETS_SOURCE_DIR) + "/scenarios/default.toml"));
  const auto first = run_all(simulator, 11, 5);
  const auto again = run_all(simulator, 11, 5);
  const auto other = run_all(simulator, 12, 5);
  bool any_difference = false;
  for (std::size_t i = 0; i < first.size(); ++i)
    for (std::size_t s = 0; s < first[i].strategies.size(); ++s) {
      REQUIRE(first[i].strategies[s].values == again[i].strategies[s].values);
      any_difference |= first[i].strategies[s].values != other[i].strategies[s].values;
    }
  REQUIRE(any_difference);
}

TEST_CASE("closed form 9: buyers never cut off are served their whole demand, exactly",
          "[model][closed-form]") {
  // Growing demand, re-sized every 30 days, on ample capacity: the served work, integrated from
  // SimGrid's executions, differs from the demand only by rounding, and no strategy may come out
  // better than another on that rounding.
  const Simulator simulator = simulator_for(
      "[simulation]\nhorizon_days = 1825\nseed = 3\nreplicas = 20\ndemand_step_days = 30\n" +
      jurisdictions({"US", "CN", "EU"}) + provider("P1", "US", 1000) + provider("P2", "CN", 1000) +
      "[[strategies]]\nname = \"one\"\nportfolio = [{ api = \"P1\", weight = 1.0 }]\n"
      "[[strategies]]\nname = \"two\"\n"
      "portfolio = [{ api = \"P1\", weight = 0.3 }, { api = \"P2\", weight = 0.7 }]\n" +
      buyers("a", "one", 3, 7.3) + buyers("b", "two", 3, 7.3) +
      "[[buyers]]\nname = \"growing\"\njurisdiction = \"EU\"\nstrategy = \"two\"\ndemand = 3.1\n"
      "demand_growth_per_year = 0.37\n");
  const std::vector<ReplicaResult> results = run_all(simulator, 3, 20);
  for (const ReplicaResult& r : results)
    for (const StrategyMetrics& m : r.strategies) {
      REQUIRE(m[Metric::served_share] == 1.0);
      REQUIRE(m[Metric::unserved_work] == 0.0);
    }
  const std::vector<StrategyRisk> risk = assess_risk(results, 2, 30.0);
  REQUIRE(risk[1].paired[static_cast<std::size_t>(Metric::served_share)].probability_better == 0.0);
  REQUIRE(risk[1].paired[static_cast<std::size_t>(Metric::unserved_work)].probability_better ==
          0.0);
}
