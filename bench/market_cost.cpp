// bench_market_cost: what the market's rules cost per replica. The default scenario runs with
// the market off (no chips, flat prices, no investment: the model as it was before the market),
// then with each part added in turn: the energy plugin and meters, a surge price on the API,
// capacity investment. Variants are measured in turns (one repeat of each, then the next
// repeat), one worker thread, and reported as medians and as ratios to the market off.
#include "bench/bench_common.hpp"

#include "sim/monte_carlo.hpp"
#include "sim/scenario_parser.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

namespace {

using namespace baskets;
using namespace baskets::bench;

struct Variant {
  std::string name;
  Scenario scenario;
};

std::vector<Variant> variants(const Scenario& base) {
  Scenario off = base;
  off.chips.clear();
  for (Hyperscaler& h : off.hyperscalers) {
    h.chip.clear();
    h.pricing = PriceRule{};
    h.investment.reset();
  }
  for (OpenLab& l : off.open_labs)
    if (l.hosted_api) {
      l.hosted_api->chip.clear();
      l.hosted_api->pricing = PriceRule{};
    }
  for (BuyerGroup& b : off.buyers) {
    b.own_hardware.chip.clear();
    b.own_hardware.expansion.reset();
  }

  Scenario energy = off;
  energy.chips.push_back(Chip{"current", 2.0, 0.3});
  for (Hyperscaler& h : energy.hyperscalers)
    h.chip = "current";
  for (BuyerGroup& b : energy.buyers)
    if (b.own_hardware.capacity > 0.0)
      b.own_hardware.chip = "current";

  Scenario surge = energy;
  for (Hyperscaler& h : surge.hyperscalers)
    h.pricing = PriceRule{.surge_threshold = 0.0, .surge_slope = 0.5, .max_multiplier = 3.0};

  Scenario invest = surge;
  for (Hyperscaler& h : invest.hyperscalers)
    h.investment = CapacityInvestment{.utilisation_threshold = 0.0};

  return {{"market off", off},
          {"+ energy (plugin, meters)", energy},
          {"+ surge price (reprices)", surge},
          {"+ capacity investment", invest}};
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Time per replica with the market's parts added in turn"};
  std::string path = source_file("scenarios/default.toml");
  std::uint64_t replicas = 200;
  int repeats = 5;
  app.add_option("scenario", path, "Scenario file (default: scenarios/default.toml)");
  app.add_option("-n,--replicas", replicas, "Replicas per measurement")->check(CLI::PositiveNumber);
  app.add_option("-r,--repeats", repeats, "Measurements of each variant (median reported)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  line_buffered_stdout();
  const ForeignLoad foreign;

  try {
    const std::vector<Variant> all = variants(load_scenario(path));
    std::vector<std::vector<double>> seconds(all.size());
    for (int r = 0; r < repeats; ++r)
      for (std::size_t v = 0; v < all.size(); ++v) {
        const Simulator simulator(all[v].scenario);
        RunOptions options;
        options.seed = all[v].scenario.simulation.seed;
        options.count = replicas;
        options.threads = 1;
        seconds[v].push_back(time_of([&] {
          if (!simulator.run(options).failures.empty())
            throw std::runtime_error("a replica failed");
        }));
      }
    fmt::print("{}: {} replicas, one thread, median of {}\n\n", path, replicas, repeats);
    fmt::print("{:<28}{:>16}{:>16}\n", "variant", "ms per replica", "ratio to off");
    const double off = median(seconds[0]);
    for (std::size_t v = 0; v < all.size(); ++v) {
      const double m = median(seconds[v]);
      fmt::print("{:<28}{:>16.3f}{:>16.3f}\n", all[v].name, 1e3 * m / replicas, m / off);
    }
    fmt::print("\n{}\n", foreign.describe());
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_market_cost: {}\n", e.what());
    return 1;
  }
  return 0;
}
