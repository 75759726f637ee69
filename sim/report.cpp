#include "sim/report.hpp"

#include "sim/statistics.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>

namespace baskets {

namespace {

constexpr int metric_width = 26;
constexpr int unit_width = 18;
constexpr std::size_t line_width = 100; // what the providers' table keeps to

// A column wide enough for the widest of `names` and two spaces, and at least `at_least`.
std::size_t column_width(const std::vector<std::string>& names, std::size_t at_least) {
  std::size_t width = at_least;
  for (const std::string& name : names)
    width = std::max(width, name.size() + 2);
  return width;
}

// The header of a table of metrics: a column per name (strategies or providers).
void print_header(std::ostream& out, std::span<const std::string> names, std::size_t width) {
  fmt::print(out, "{:<{}}{:<{}}", "metric", metric_width, "unit", unit_width);
  for (const std::string& name : names)
    fmt::print(out, "{:>{}}", name, width);
  fmt::print(out, "\n");
}

void print_row_start(std::ostream& out, const MetricInfo& metric) {
  fmt::print(out, "{:<{}}{:<{}}", metric.name, metric_width, metric.unit, unit_width);
}

std::string mean_and_error(const Estimate& e, bool signed_value) {
  return signed_value ? fmt::format("{:+.5g} ± {:.2g}", e.mean, e.standard_error)
                      : fmt::format("{:.5g} ± {:.2g}", e.mean, e.standard_error);
}

// A table of provider metrics: a row per metric, a column per provider, as the strategies' table
// has it, so that providers compare side by side. Its columns are cut into groups that fit in
// 100 columns: a scenario has more providers than strategies, and wrapped lines read badly.
void print_provider_table(std::ostream& out, const std::vector<std::string>& names,
                          std::size_t width,
                          const std::function<std::string(std::size_t p, std::size_t m)>& cell) {
  const std::size_t per_group =
      std::max<std::size_t>(1, (line_width - metric_width - unit_width) / width);
  for (std::size_t first = 0; first < names.size(); first += per_group) {
    const std::size_t last = std::min(names.size(), first + per_group);
    fmt::print(out, "\n");
    print_header(out, std::span(names).subspan(first, last - first), width);
    for (std::size_t m = 0; m < provider_metric_count; ++m) {
      print_row_start(out, provider_metric_info[m]);
      for (std::size_t p = first; p < last; ++p)
        fmt::print(out, "{:>{}}", cell(p, m), width);
      fmt::print(out, "\n");
    }
  }
}

void print_providers(std::ostream& out, const Scenario& scenario,
                     const std::vector<ReplicaResult>& replicas) {
  const std::vector<std::string> names = provider_names(scenario);
  if (names.empty())
    return;
  const std::vector<ProviderSummary> summary = summarise_providers(replicas, names.size());
  fmt::print(out, "\nProviders (mean over replicas ± standard error)\n");
  print_provider_table(out, names, column_width(names, 22), [&](std::size_t p, std::size_t m) {
    return mean_and_error(summary[p].metrics[m], false);
  });
}

// The paired differences of each strategy against the first one.
void print_paired(std::ostream& out, const Scenario& scenario,
                  const std::vector<StrategyRisk>& risk) {
  fmt::print(out,
             "\npaired difference against \"{}\" (same replica, same random history): "
             "difference ± standard error [95% interval] P(better)\n",
             scenario.strategies.front().name);
  for (std::size_t s = 1; s < risk.size(); ++s) {
    fmt::print(out, "\n{} minus {}\n", scenario.strategies[s].name,
               scenario.strategies.front().name);
    for (std::size_t m = 0; m < metric_count; ++m) {
      const PairedRisk& p = risk[s].paired[m];
      print_row_start(out, metric_info[m]);
      fmt::print(out, "{:>24}{:>28}{:>10.3f}\n", mean_and_error(p.difference, true),
                 fmt::format("[{:+.5g}, {:+.5g}]", p.ci95.low, p.ci95.high), p.probability_better);
    }
  }
}

} // namespace

void print_report(std::ostream& out, const RunDescription& run,
                  const std::vector<StrategyRisk>& risk) {
  const Scenario& scenario = *run.scenario;
  const std::vector<std::string> strategies = strategy_names(scenario);
  const std::size_t width = column_width(strategies, 22);
  const std::string replicas =
      run.completed == run.attempted
          ? fmt::format("{} replicas", run.completed)
          : fmt::format("{} of {} replicas completed", run.completed, run.attempted);
  fmt::print(out, "scenario {} ({}): {}, seed {}, horizon {} days\n", scenario.name,
             scenario.source_path, replicas, run.seed, scenario.simulation.horizon_days);
  if (!scenario.description.empty())
    fmt::print(out, "{}\n", scenario.description);

  fmt::print(out, "\nmean ± standard error over replicas\n\n");
  print_header(out, strategies, width);
  for (std::size_t m = 0; m < metric_count; ++m) {
    print_row_start(out, metric_info[m]);
    for (const StrategyRisk& s : risk)
      fmt::print(out, "{:>{}}", mean_and_error(s.metrics[m].estimate, false), width);
    fmt::print(out, "\n");
  }

  fmt::print(out, "\ndistribution over replicas: 95% confidence interval of the mean; "
                  "quantiles P5 P50 P95 P99\n");
  for (std::size_t s = 0; s < risk.size(); ++s) {
    fmt::print(out, "\n{}\n", scenario.strategies[s].name);
    fmt::print(out, "{:<{}}{:>25}{:>12}{:>12}{:>12}{:>12}\n", "metric", metric_width,
               "95% interval", "P5", "P50", "P95", "P99");
    for (std::size_t m = 0; m < metric_count; ++m) {
      const MetricRisk& r = risk[s].metrics[m];
      fmt::print(out, "{:<{}}{:>25}{:>12.5g}{:>12.5g}{:>12.5g}{:>12.5g}\n", metric_info[m].name,
                 metric_width, fmt::format("[{:.5g}, {:.5g}]", r.ci95.low, r.ci95.high), r.p5,
                 r.p50, r.p95, r.p99);
    }
  }

  fmt::print(out, "\ntail risk: value-at-risk and conditional value-at-risk (mean of the worst "
                  "tail) of the loss per replica\n\n");
  fmt::print(out, "{:<{}}{:<{}}{:>12}{:>12}{:>12}{:>12}\n", "loss", metric_width, "strategy",
             static_cast<int>(width), "VaR 95%", "CVaR 95%", "VaR 99%", "CVaR 99%");
  const auto print_loss = [&](const char* name, const LossRisk& loss, const std::string& strategy) {
    fmt::print(out, "{:<{}}{:<{}}{:>12.5g}{:>12.5g}{:>12.5g}{:>12.5g}\n", name, metric_width,
               strategy, static_cast<int>(width), loss.var95, loss.cvar95, loss.var99, loss.cvar99);
  };
  for (std::size_t s = 0; s < risk.size(); ++s)
    print_loss("unserved share", risk[s].unserved_share_loss, scenario.strategies[s].name);
  for (std::size_t s = 0; s < risk.size(); ++s)
    print_loss("cost_total", risk[s].cost_loss, scenario.strategies[s].name);
  fmt::print(out, "\nprobability of an outage longer than {} days (longest outage of a replica)\n",
             run.long_outage_days);
  for (std::size_t s = 0; s < risk.size(); ++s)
    fmt::print(out, "  {:<{}}{:.4g}\n", scenario.strategies[s].name, static_cast<int>(width),
               risk[s].probability_long_outage);

  if (risk.size() >= 2)
    print_paired(out, scenario, risk);
  if (run.replicas != nullptr)
    print_providers(out, scenario, *run.replicas);
}

void print_replica(std::ostream& out, const Scenario& scenario, const ReplicaResult& replica) {
  const std::vector<std::string> strategies = strategy_names(scenario);
  const std::size_t width = column_width(strategies, 24);
  print_header(out, strategies, width);
  for (std::size_t m = 0; m < metric_count; ++m) {
    print_row_start(out, metric_info[m]);
    for (const StrategyMetrics& s : replica.strategies)
      fmt::print(out, "{:>{}.17g}", s.values[m], width);
    fmt::print(out, "\n");
  }
  if (replica.providers.empty()) // none recorded, or no provider in the scenario
    return;
  const std::vector<std::string> names = provider_names(scenario);
  if (replica.providers.size() != names.size())
    throw std::invalid_argument(fmt::format("replica {} reports {} providers, the scenario has {}",
                                            replica.replica, replica.providers.size(),
                                            names.size()));
  print_provider_table(out, names, column_width(names, 24), [&](std::size_t p, std::size_t m) {
    return fmt::format("{:.17g}", replica.providers[p].values[m]);
  });
}

} // namespace baskets
