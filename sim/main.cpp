// baskets: the command-line program.
#include "baskets/version.hpp"
#include "sim/monte_carlo.hpp"
#include "sim/report.hpp"
#include "sim/scenario_parser.hpp"
#include "sim/statistics.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <iostream>
#include <optional>

namespace {

constexpr int exit_bad_input = 2;

int run_command(const std::string& path, std::optional<std::uint64_t> replicas,
                std::optional<std::uint64_t> seed) {
  baskets::Scenario scenario = baskets::load_scenario(path);
  const std::uint64_t n =
      replicas.value_or(static_cast<std::uint64_t>(scenario.simulation.replicas));
  const std::uint64_t s = seed.value_or(scenario.simulation.seed);
  const baskets::Simulator simulator(std::move(scenario));
  const auto results = simulator.run_replicas(s, 0, n);
  const auto summaries = baskets::summarise(results, simulator.scenario().strategies.size());
  baskets::print_report(std::cout, {&simulator.scenario(), s, n}, summaries);
  return 0;
}

int check_command(const std::string& path) {
  const baskets::Scenario scenario = baskets::load_scenario(path);
  std::size_t buyers = 0;
  for (const auto& group : scenario.buyers)
    buyers += static_cast<std::size_t>(group.count);
  fmt::print("{}: valid ({} jurisdictions, {} hyperscalers, {} open labs, {} strategies, {} "
             "buyers, {} governments)\n",
             path, scenario.jurisdictions.size(), scenario.hyperscalers.size(),
             scenario.open_labs.size(), scenario.strategies.size(), buyers,
             scenario.governments.size());
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"baskets: a discrete-event simulator of the AI-model market. How much risk does a "
               "buyer carry with one model supplier versus two, and at what cost?"};
  app.set_version_flag("--version", fmt::format("baskets {} (commit {})", baskets::program_version,
                                                baskets::git_commit));
  app.require_subcommand(1);

  std::string scenario_path;
  std::optional<std::uint64_t> replicas;
  std::optional<std::uint64_t> seed;

  CLI::App* run = app.add_subcommand("run", "Run a scenario's Monte Carlo replicas and print "
                                            "the results per buyer strategy");
  run->add_option("scenario", scenario_path, "Scenario file (TOML)")->required();
  run->add_option("-n,--replicas", replicas, "Number of replicas (default: the scenario's)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  run->add_option("--seed", seed, "Random seed (default: the scenario's)");

  CLI::App* check = app.add_subcommand("check", "Validate a scenario file without running it");
  check->add_option("scenario", scenario_path, "Scenario file (TOML)")->required();

  CLI11_PARSE(app, argc, argv);

  try {
    if (run->parsed())
      return run_command(scenario_path, replicas, seed);
    return check_command(scenario_path);
  } catch (const baskets::ScenarioLoadError& error) {
    std::cerr << error.what() << '\n';
    return exit_bad_input;
  } catch (const std::exception& error) {
    std::cerr << "baskets: error: " << error.what() << '\n';
    return 1;
  }
}
