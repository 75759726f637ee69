#include "sim/report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>

namespace baskets {

namespace {

constexpr int metric_column = 26;

std::string with_error(const Estimate& e, bool signed_value) {
  return signed_value ? fmt::format("{:+.5g} ± {:.2g}", e.mean, e.standard_error)
                      : fmt::format("{:.5g} ± {:.2g}", e.mean, e.standard_error);
}

} // namespace

void print_report(std::ostream& out, const RunDescription& run,
                  const std::vector<StrategySummary>& summaries) {
  const Scenario& scenario = *run.scenario;
  fmt::print(out, "scenario {} ({}): {} replicas, seed {}, horizon {} days\n", scenario.name,
             scenario.source_path, run.replicas, run.seed, scenario.simulation.horizon_days);
  fmt::print(out, "mean ± standard error over replicas, per buyer where the unit says so\n\n");

  std::size_t width = 22;
  for (const Strategy& s : scenario.strategies)
    width = std::max(width, s.name.size() + 2);

  fmt::print(out, "{:<{}}{:<18}", "metric", metric_column, "unit");
  for (const Strategy& s : scenario.strategies)
    fmt::print(out, "{:>{}}", s.name, width);
  fmt::print(out, "\n");
  for (std::size_t m = 0; m < metric_count; ++m) {
    fmt::print(out, "{:<{}}{:<18}", metric_info[m].name, metric_column, metric_info[m].unit);
    for (const StrategySummary& s : summaries)
      fmt::print(out, "{:>{}}", with_error(s.metrics[m], false), width);
    fmt::print(out, "\n");
  }

  if (summaries.size() < 2)
    return;
  fmt::print(out, "\npaired difference against \"{}\" (same replica, same random history)\n\n",
             scenario.strategies.front().name);
  fmt::print(out, "{:<{}}{:<18}", "metric", metric_column, "unit");
  for (std::size_t s = 1; s < scenario.strategies.size(); ++s)
    fmt::print(out, "{:>{}}", scenario.strategies[s].name, width);
  fmt::print(out, "\n");
  for (std::size_t m = 0; m < metric_count; ++m) {
    fmt::print(out, "{:<{}}{:<18}", metric_info[m].name, metric_column, metric_info[m].unit);
    for (std::size_t s = 1; s < summaries.size(); ++s)
      fmt::print(out, "{:>{}}", with_error(summaries[s].paired_difference[m], true), width);
    fmt::print(out, "\n");
  }
}

} // namespace baskets
