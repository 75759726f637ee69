#include "sim/limits.hpp"

#include "sim/metrics.hpp"
#include "sim/statistics.hpp"

#include <fmt/format.h>

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>

namespace baskets {

namespace {

// Measured on the 2-core machine of bench/README.md, rounded up: ~1 ms per replica of fixed
// cost, ~0.55 us per buyer and simulated day, ~20 us per simulated day for the rest of the
// model. Margins of about 1.5 cover slower machines without refusing reasonable runs.
constexpr double replica_seconds = 1.5e-3;
constexpr double buyer_day_seconds = 0.8e-6;
constexpr double day_seconds = 3.0e-6;
// A worker: the engine and platform, and per buyer its actor's 64 KiB stack and its state.
constexpr double worker_base_bytes = 64.0 * 1024 * 1024;
constexpr double buyer_bytes = 96.0 * 1024;
// Per replica and strategy, a summary row: the metrics and the vector around them; per replica
// and provider, the provider's metrics (its vector counted in the strategies' 64 bytes).
constexpr double row_bytes = metric_count * 8.0 + 64.0;
constexpr double provider_row_bytes = provider_metric_count * 8.0;
constexpr double thirty_days = 30.0 * 86400.0;

double physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0.0;
}

// Free space for an unprivileged writer in the folder of `path`; 0 if unknown.
double free_space(const std::string& path) {
  const std::filesystem::path target(path);
  const std::string folder = target.has_parent_path() ? target.parent_path().string() : ".";
  struct statvfs info {};
  if (::statvfs(folder.c_str(), &info) != 0)
    return 0.0;
  return static_cast<double>(info.f_bavail) * static_cast<double>(info.f_frsize);
}

double total_buyers(const Scenario& scenario) {
  double buyers = 0.0;
  for (const BuyerGroup& group : scenario.buyers)
    buyers += group.count;
  return buyers;
}

struct Largest {
  std::size_t index = 0;
  int count = 0;
};

Largest largest_buyer_group(const Scenario& scenario) {
  Largest largest;
  for (std::size_t i = 0; i < scenario.buyers.size(); ++i)
    if (scenario.buyers[i].count > largest.count)
      largest = {i, scenario.buyers[i].count};
  return largest;
}

} // namespace

std::string human_bytes(double bytes) {
  constexpr std::array<const char*, 6> units{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  std::size_t unit = 0;
  while (bytes >= 1024.0 && unit + 1 < units.size()) {
    bytes /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.3g} {}", bytes, units[unit]);
}

std::string human_seconds(double seconds) {
  if (seconds < 120.0)
    return fmt::format("{:.3g} s", seconds);
  if (seconds < 7200.0)
    return fmt::format("{:.3g} minutes", seconds / 60.0);
  if (seconds < 2.0 * 86400.0)
    return fmt::format("{:.3g} hours", seconds / 3600.0);
  if (seconds < 2.0 * 365.0 * 86400.0)
    return fmt::format("{:.3g} days", seconds / 86400.0);
  return fmt::format("{:.3g} years", seconds / (365.0 * 86400.0));
}

RunNeeds estimate_needs(const RunPlan& plan) {
  const Scenario& scenario = *plan.scenario;
  const double buyers = total_buyers(scenario);
  const double days = scenario.simulation.horizon_days;
  const double strategies = static_cast<double>(scenario.strategies.size());
  const auto providers = static_cast<double>(provider_names(scenario).size());
  const double governments = static_cast<double>(scenario.governments.size());
  const auto replicas = static_cast<double>(plan.replicas);

  RunNeeds needs;
  needs.seconds_per_replica = replica_seconds + days * (day_seconds + buyer_day_seconds * buyers);
  needs.worker_bytes = worker_base_bytes + buyer_bytes * buyers;
  // Time series: 3 series per strategy, 5 per provider, 1 per government, 1 in all.
  const double series_values =
      plan.series_samples * (3 * strategies + 5 * providers + governments + 1);
  const double rows_bytes = strategies * row_bytes + providers * provider_row_bytes;
  needs.results_bytes = replicas * (rows_bytes + 8.0 * series_values);
  // The file: summary rows uncompressed, series compressed about 5 times (bench/README.md).
  const double file_rows_bytes = strategies * 96.0 + providers * provider_row_bytes;
  needs.file_bytes = replicas * (file_rows_bytes + 8.0 * series_values / 5.0) + 1024.0 * 1024;
  return needs;
}

void check_limits(const RunPlan& plan) {
  const RunNeeds needs = estimate_needs(plan);
  const Scenario& scenario = *plan.scenario;
  const double memory = physical_memory();
  const std::string file = scenario.source_path;

  if (plan.out_path) {
    const double space = free_space(*plan.out_path);
    if (space > 0.0 && needs.file_bytes > space)
      throw LimitError(fmt::format(
          "{}: the results file will need about {}, and its folder has {} free: free some "
          "space, write elsewhere, or run fewer replicas",
          *plan.out_path, human_bytes(needs.file_bytes), human_bytes(space)));
  }
  const double wall =
      needs.seconds_per_replica * static_cast<double>(plan.replicas) / std::max(1U, plan.threads);
  if (!plan.allow_long && wall > thirty_days)
    throw LimitError(fmt::format(
        "{} {} of {} (horizon_days = {}, {} buyers): about {} per replica, {} in all on {} "
        "threads: more than 30 days. Fewer replicas, a shorter horizon, or --allow-long to run "
        "anyway",
        plan.replicas_option, plan.replicas, file, scenario.simulation.horizon_days,
        total_buyers(scenario), human_seconds(needs.seconds_per_replica), human_seconds(wall),
        plan.threads));
  if (memory > 0.0 && needs.worker_bytes * std::max(1U, plan.threads) > memory) {
    const Largest group = largest_buyer_group(scenario);
    throw LimitError(fmt::format(
        "{}: buyers[{}].count: {} buyers in all need about {} in each worker process ({} at "
        "once with -j {}), and this machine has {}: fewer buyers, or fewer threads (-j)",
        file, group.index, total_buyers(scenario), human_bytes(needs.worker_bytes),
        human_bytes(needs.worker_bytes * plan.threads), plan.threads, human_bytes(memory)));
  }
  if (memory > 0.0 && needs.results_bytes > 0.8 * memory)
    throw LimitError(fmt::format(
        "{} {}: the results of {} replicas would take about {} in memory, more than this "
        "machine's {} allows: fewer replicas, no --timeseries, or shards (--shard) of a sweep",
        plan.replicas_option, plan.replicas, plan.replicas, human_bytes(needs.results_bytes),
        human_bytes(memory)));
}

} // namespace baskets
