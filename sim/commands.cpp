#include "sim/commands.hpp"

#include "outputs/results_file.hpp"
#include "outputs/untrusted_file.hpp"
#include "sim/interruption.hpp"
#include "sim/limits.hpp"
#include "sim/monte_carlo.hpp"
#include "sim/progress.hpp"
#include "sim/provenance.hpp"
#include "sim/report.hpp"
#include "sim/risk.hpp"
#include "sim/sampler.hpp"
#include "sim/scenario_parser.hpp"

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

namespace baskets {

namespace {

// The widest 95% interval of the headline metric (served share) over the strategies.
double headline_half_width(const std::vector<ReplicaResult>& results, std::size_t strategies) {
  double widest = 0.0;
  for (std::size_t s = 0; s < strategies; ++s) {
    const Estimate e = estimate(column(results, s, Metric::served_share));
    const Interval ci = confidence_interval(e);
    widest = std::max(widest, 0.5 * (ci.high - ci.low));
  }
  return widest;
}

} // namespace

int run_scenario(const RunCommand& command) {
  const std::string started_at = utc_now();
  Scenario scenario = load_scenario(command.scenario_path);
  // Checked before anything is computed: an existing file (without --force), an unwritable folder.
  std::optional<OutputFile> output;
  if (command.out)
    output.emplace(*command.out, command.force);
  RunOptions options;
  options.seed = command.seed.value_or(scenario.simulation.seed);
  options.count =
      command.replicas.value_or(static_cast<std::uint64_t>(scenario.simulation.replicas));
  if (command.target_ci)
    options.count = std::min(options.count, command.max_replicas);
  // Refused now rather than after hours: runs that cannot fit or finish.
  check_limits(
      {&scenario, command.target_ci ? command.max_replicas : options.count,
       command.threads > 0 ? command.threads : std::max(1U, std::thread::hardware_concurrency()),
       command.timeseries_step_days
           ? scenario.simulation.horizon_days / *command.timeseries_step_days
           : 0.0,
       command.out, command.allow_long, command.target_ci ? "--max-replicas" : "-n"});
  std::optional<TimeSeriesLayout> layout;
  if (command.timeseries_step_days)
    layout = make_layout(scenario, *command.timeseries_step_days);
  interruption::install();

  options.threads = command.threads;
  options.batch = command.batch;
  options.crash_replica = command.crash_replica;
  options.crash_signal = command.crash_signal;
  options.series = layout ? &*layout : nullptr;

  const Simulator simulator(std::move(scenario));
  const std::size_t strategies = simulator.scenario().strategies.size();
  Progress progress(options.count, Progress::mode_for(stderr, command.quiet));
  RunResults results = simulator.run(options, [&](std::uint64_t done) { progress.update(done); });

  // Precision on demand: more replicas until the interval is narrow enough. The replicas are
  // numbered on, so the result is that of one run of the final count.
  std::string precision_note;
  if (command.target_ci) {
    std::uint64_t total = options.count;
    double half_width = headline_half_width(results.completed, strategies);
    while (half_width > *command.target_ci && total < command.max_replicas &&
           results.interrupted_by == 0) {
      const double scale = (half_width / *command.target_ci) * (half_width / *command.target_ci);
      const auto wanted =
          static_cast<std::uint64_t>(std::ceil(static_cast<double>(total) * scale * 1.1));
      const std::uint64_t next = std::clamp(wanted, total + 1, command.max_replicas);
      options.first = total;
      options.count = next - total;
      progress.extend(next);
      RunResults more = simulator.run(options, [&](std::uint64_t done) { progress.update(done); });
      results.completed.insert(results.completed.end(), more.completed.begin(),
                               more.completed.end());
      results.failures.insert(results.failures.end(), more.failures.begin(), more.failures.end());
      results.series.insert(results.series.end(), std::make_move_iterator(more.series.begin()),
                            std::make_move_iterator(more.series.end()));
      results.interrupted_by = more.interrupted_by;
      total = next;
      half_width = headline_half_width(results.completed, strategies);
    }
    precision_note =
        half_width <= *command.target_ci
            ? fmt::format(
                  "target reached: 95% interval half-width of served_share {:.3g} <= {:.3g} "
                  "with {} replicas",
                  half_width, *command.target_ci, total)
            : fmt::format("target not reached: half-width {:.3g} > {:.3g} after {} replicas "
                          "(--max-replicas)",
                          half_width, *command.target_ci, total);
  }
  progress.finish();

  const std::uint64_t attempted = results.completed.size() + results.failures.size();
  const std::uint64_t requested = options.first + options.count;
  if (!results.completed.empty()) {
    const auto risk = assess_risk(results.completed, strategies, command.long_outage_days);
    print_report(std::cout,
                 {&simulator.scenario(), options.seed, results.completed.size(), attempted,
                  command.long_outage_days, &results.completed},
                 risk);
    if (output) {
      ResultsToWrite file;
      file.scenario = &simulator.scenario();
      file.provenance = {command.command_line,
                         started_at,
                         utc_now(),
                         host_name(),
                         options.seed,
                         requested,
                         results.failures.size(),
                         results.interrupted_by == 0,
                         results.interrupted_by != 0
                             ? fmt::format("interrupted by {}", signal_name(results.interrupted_by))
                             : "",
                         command.long_outage_days};
      file.replicas = &results.completed;
      file.risk = &risk;
      file.series_layout = layout ? &*layout : nullptr;
      file.series = layout ? &results.series : nullptr;
      write_results(output->temporary_path(), file);
      output->commit();
      fmt::print(std::cerr, "baskets: results written to {}{}\n", output->final_path(),
                 results.interrupted_by != 0 ? " (partial)" : "");
    }
  } else if (output) {
    fmt::print(std::cerr, "baskets: no replica completed; {} was not written\n",
               output->final_path());
  }
  if (results.interrupted_by != 0) {
    fmt::print(std::cerr, "baskets: interrupted by {} after {} of {} replicas\n",
               signal_name(results.interrupted_by), results.completed.size(), requested);
    return 128 + results.interrupted_by;
  }
  if (!precision_note.empty())
    fmt::print("\n{}\n", precision_note);
  for (const ReplicaFailure& failure : results.failures)
    fmt::print(std::cerr, "baskets: {}\n", failure.describe());
  if (!results.failures.empty()) {
    fmt::print(std::cerr,
               "baskets: {} of {} replicas failed; the results above are those of the "
               "{} that completed\n",
               results.failures.size(), attempted, results.completed.size());
    return exit_failed_replicas;
  }
  return 0;
}

int describe_results_file(const std::string& path, unsigned read_timeout_seconds) {
  // Read in a child process: a damaged file may crash or hang the HDF5 library.
  const std::string description = read_untrusted(
      path, [&] { return describe_results(path); }, read_timeout_seconds);
  fmt::print("{}", description);
  return 0;
}

int check_scenario(const std::string& path) {
  const Scenario scenario = load_scenario(path);
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

int replay_replica(const ReplayCommand& command) {
  Scenario scenario = load_scenario(command.scenario_path);
  const std::uint64_t seed = command.seed.value_or(scenario.simulation.seed);
  const Simulator simulator(std::move(scenario));
  EventLog log;
  const ReplicaOutcome outcome = simulator.run_in_process(seed, command.replica, &log);

  fmt::print("replica {} of scenario {} (seed {}): {} events\n\n", command.replica,
             simulator.scenario().name, seed, log.events().size());
  for (const LoggedEvent& event : log.events())
    fmt::print("day {:>9.3f}  {}\n", event.day, event.text);
  fmt::print("\n");
  print_replica(std::cout, simulator.scenario(), outcome.result);
  return 0;
}

} // namespace baskets
