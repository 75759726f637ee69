// bench_scaling: the cost of one replica as the model grows, with one worker process at a time
// (threads = 1), so that the figure is the cost of a replica and not of the parallel schedule.
//
// Two series, both from a scenario (default: scenarios/default.toml):
//   - buyers: every buyer group's count times 1, 2, 4, 8 (the horizon as in the file);
//   - horizon: 365, 730, 1460, 2920 days (the buyers as in the file).
// If the model is linear, the time per replica per buyer (per day) stays flat. Each variant also
// reports its SimGrid activities per replica (counted by the model in a replica run in a child
// process) and the time per activity, which separates "more events" from "dearer events".
//
// Each measurement runs all its replicas in one worker (batch = replicas), so the worker's fork
// and engine creation are paid once per measurement, not once per replica.
#include "bench/bench_common.hpp"

#include "sim/monte_carlo.hpp"
#include "sim/scenario_parser.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cmath>

namespace {

using namespace baskets;
using namespace baskets::bench;

struct Variant {
  std::string label;
  double size = 1.0; // buyers, or days: what "per" divides by
  std::uint64_t replicas = 1;
  Scenario scenario;
  std::vector<double> seconds; // per replica, one per repeat
  double activities = 0.0;     // per replica
};

int buyer_count(const Scenario& scenario) {
  int buyers = 0;
  for (const BuyerGroup& group : scenario.buyers)
    buyers += group.count;
  return buyers;
}

// SimGrid activities per replica (actors + executions + messages + waits), over a few replicas
// run in a child process (run_in_process creates an engine, which this process must not have).
double activities_per_replica(const Scenario& scenario, std::uint64_t replicas) {
  const std::vector<double> counts = in_child([&] {
    const Simulator simulator(scenario);
    double total = 0.0;
    for (std::uint64_t r = 0; r < replicas; ++r) {
      const ActivityCounts c = simulator.run_in_process(scenario.simulation.seed, r).counts;
      total += static_cast<double>(c.actors + c.executions + c.messages + c.waits);
    }
    return std::vector<double>{total / static_cast<double>(replicas)};
  });
  return counts.at(0);
}

double seconds_per_replica(const Variant& variant) {
  const Simulator simulator(variant.scenario);
  RunOptions options;
  options.seed = variant.scenario.simulation.seed;
  options.count = variant.replicas;
  options.threads = 1;
  options.batch = variant.replicas;
  RunResults results;
  const double wall = time_of([&] { results = simulator.run(options); });
  if (!results.failures.empty())
    throw std::runtime_error(results.failures.front().describe());
  return wall / static_cast<double>(variant.replicas);
}

void print_series(const std::string& title, const std::string& per,
                  const std::vector<Variant>& variants, double unit_scale,
                  const std::string& unit) {
  fmt::print("{}\n", title);
  fmt::print("{:>14}  {:>8}  {:>11}  {:>11}  {:>18}  {:>9}  {:>13}  {:>11}\n", "variant", per,
             "replicas", "ms/replica", fmt::format("{}/replica/{}", unit, per), "vs first",
             "activities", "us/activity");
  const double first = median(variants.front().seconds) / variants.front().size;
  for (const Variant& v : variants) {
    const double seconds = median(v.seconds);
    const double per_unit = seconds / v.size;
    fmt::print("{:>14}  {:>8g}  {:>11}  {:>11.2f}  {:>18.3f}  {:>9.3f}  {:>13.0f}  {:>11.3f}\n",
               v.label, v.size, v.replicas, 1e3 * seconds, unit_scale * per_unit, per_unit / first,
               v.activities, 1e6 * seconds / v.activities);
  }
  fmt::print("\n");
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Time per replica as the buyers and the horizon grow (one thread)"};
  std::string path = source_file("scenarios/default.toml");
  double budget = 1.0; // seconds per measurement, roughly
  int repeats = 3;
  app.add_option("scenario", path, "Scenario file (default: scenarios/default.toml)");
  app.add_option("-r,--repeats", repeats, "Measurements of each variant (median reported)")
      ->check(CLI::PositiveNumber);
  app.add_option("-s,--seconds", budget, "Rough duration of one measurement")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  line_buffered_stdout();
  const ForeignLoad foreign;

  try {
    const Scenario base = load_scenario(path);
    const double base_horizon = base.simulation.horizon_days;
    const int base_buyers = buyer_count(base);

    // The replica count of a variant is sized from a calibration of the file as it is.
    Variant calibration{"calibration", 1.0, 4, base, {}, 0.0};
    const double base_seconds = seconds_per_replica(calibration);
    const auto replicas_for = [&](double relative_cost) {
      return std::max<std::uint64_t>(
          8, static_cast<std::uint64_t>(std::lround(budget / (base_seconds * relative_cost))));
    };

    std::vector<Variant> by_buyers;
    for (const int factor : {1, 2, 4, 8}) {
      Scenario s = base;
      for (BuyerGroup& group : s.buyers)
        group.count *= factor;
      by_buyers.push_back({fmt::format("buyers x{}", factor),
                           static_cast<double>(buyer_count(s)),
                           replicas_for(factor),
                           s,
                           {},
                           0.0});
    }
    std::vector<Variant> by_horizon;
    for (const double days : {365.0, 730.0, 1460.0, 2920.0}) {
      Scenario s = base;
      s.simulation.horizon_days = days;
      by_horizon.push_back(
          {fmt::format("{:g} days", days), days, replicas_for(days / base_horizon), s, {}, 0.0});
    }

    fmt::print("bench_scaling: {} ({} buyers, {:g} days), one worker process, median of {}\n"
               "(one replica of the file as it is: {:.1f} ms)\n\n",
               path, base_buyers, base_horizon, repeats, 1e3 * base_seconds);

    for (std::vector<Variant>* series : {&by_buyers, &by_horizon})
      for (Variant& v : *series)
        v.activities = activities_per_replica(v.scenario, 2);
    for (int r = 0; r < repeats; ++r)
      for (std::vector<Variant>* series : {&by_buyers, &by_horizon})
        for (Variant& v : *series)
          v.seconds.push_back(seconds_per_replica(v));

    print_series(fmt::format("buyers (horizon {:g} days)", base_horizon), "buyers", by_buyers, 1e3,
                 "ms");
    print_series(fmt::format("horizon ({} buyers)", base_buyers), "days", by_horizon, 1e6, "us");
    fmt::print("linear: the per-buyer (per-day) column stays near 1 x the first; us/activity "
               "shows whether the engine's cost per activity grows with the model\n");
    fmt::print("\n{}\n", foreign.describe());
  } catch (const std::exception& error) {
    fmt::print(stderr, "bench_scaling: {}\n", error.what());
    return 1;
  }
  return 0;
}
