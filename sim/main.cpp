// baskets: the command-line program. Argument parsing only; the commands are in commands.cpp.
#include "baskets/version.hpp"
#include "sim/commands.hpp"
#include "sim/limits.hpp"
#include "sim/scenario_parser.hpp"
#include "sim/sweep_command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <iostream>

namespace {
constexpr int exit_bad_input = 2;
}

int main(int argc, char** argv) {
  CLI::App app{"baskets: a discrete-event simulator of the AI-model market. How much risk does a "
               "buyer carry with one model supplier versus two, and at what cost?"};
  app.set_version_flag("--version", fmt::format("baskets {} (commit {})", baskets::program_version,
                                                baskets::git_commit));
  app.require_subcommand(1);

  baskets::RunCommand run_command;
  CLI::App* run = app.add_subcommand("run", "Run a scenario's Monte Carlo replicas and print "
                                            "the results per buyer strategy");
  run->add_option("scenario", run_command.scenario_path, "Scenario file (TOML)")->required();
  run->add_option("-n,--replicas", run_command.replicas,
                  "Number of replicas (default: the scenario's)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  run->add_option("--seed", run_command.seed, "Random seed (default: the scenario's)");
  run->add_option("-j,--threads", run_command.threads,
                  "Replicas run at once, each in a worker process (default: all cores)")
      ->check(CLI::Range(1U, 4096U));
  run->add_option("--batch", run_command.batch,
                  "Replicas per worker process (default: chosen from -n and -j); results do not "
                  "depend on it")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000}));
  run->add_flag("-q,--quiet", run_command.quiet, "No progress on stderr");
  run->add_option("--target-ci", run_command.target_ci,
                  "Add replicas until the 95% interval half-width of served_share is at most "
                  "this for every strategy")
      ->check(CLI::Range(1e-9, 1.0));
  run->add_option("--max-replicas", run_command.max_replicas,
                  "Upper bound on replicas with --target-ci")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  run->add_option("--outage-threshold", run_command.long_outage_days,
                  "Report the probability of an outage longer than this many days")
      ->check(CLI::Range(0.0, 1e9));
  CLI::Option* out =
      run->add_option("-o,--out", run_command.out, "Write the results to this HDF5 file");
  run->add_flag("--force", run_command.force, "Overwrite the results file if it exists");
  std::vector<double> timeseries_step;
  CLI::Option* timeseries =
      run->add_option("--timeseries", timeseries_step,
                      "With --out, record per-replica time series every STEP_DAYS (default 7)")
          ->expected(0, 1)
          ->type_name("[STEP_DAYS]")
          ->check(CLI::Range(1e-3, 1e6))
          ->needs(out);
  run->add_flag("--allow-long", run_command.allow_long,
                "Run even when the estimated time is above 30 days");
  // Test-only: the worker running this replica aborts, to check that a crash is isolated.
  run->add_option("--crash-replica", run_command.crash_replica)->group("");
  // Test-only: the signal it dies of (9, SIGKILL, is what the out-of-memory killer sends).
  run->add_option("--crash-signal", run_command.crash_signal)->group("");

  baskets::SweepCommand sweep_command;
  std::string shard_text;
  CLI::App* sweep = app.add_subcommand(
      "sweep", "Run a parameter sweep (docs/sweeps.md): every point's replicas on common random "
               "numbers, with a points table, per-point statistics and a sensitivity table");
  sweep
      ->add_option("sweep", sweep_command.sweep_path,
                   "Sweep file: a scenario with a [sweep] table, or a [sweep] table naming one")
      ->required();
  sweep
      ->add_option("-n,--replicas", sweep_command.replicas,
                   "Replicas per point (default: the sweep's, else the scenario's)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  sweep->add_option("--seed", sweep_command.seed, "Random seed (default: the scenario's)");
  sweep
      ->add_option("-j,--threads", sweep_command.threads,
                   "Replicas run at once on this machine or rank (default: all cores)")
      ->check(CLI::Range(1U, 4096U));
  sweep->add_option("--batch", sweep_command.batch, "Replicas per worker process at most")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000}));
  sweep->add_flag("-q,--quiet", sweep_command.quiet, "No progress on stderr");
  CLI::Option* sweep_out =
      sweep->add_option("-o,--out", sweep_command.out, "Write the sweep to this HDF5 file");
  sweep->add_flag("--force", sweep_command.force, "Overwrite the output file if it exists");
  sweep
      ->add_flag("--resume", sweep_command.resume,
                 "Go on with the sweep in the --out file: its complete points are kept")
      ->needs(sweep_out);
  sweep
      ->add_option("--shard", shard_text,
                   "Run shard I of N (points p with p mod N = I); join shards with merge")
      ->type_name("I/N");
  sweep
      ->add_option("--checkpoint", sweep_command.checkpoint_seconds,
                   "Rewrite the --out file with the completed points at most this often "
                   "(seconds; default 60)")
      ->check(CLI::Range(0.0, 1e9));
  sweep
      ->add_option("--outage-threshold", sweep_command.long_outage_days,
                   "Report the probability of an outage longer than this many days")
      ->check(CLI::Range(0.0, 1e9));
  sweep->add_flag("--allow-long", sweep_command.allow_long,
                  "Run even when the estimated time is above 30 days");
  sweep->add_option("--crash-replica", sweep_command.crash_replica)->group("");

  std::string merge_out;
  std::vector<std::string> merge_shards;
  bool merge_force = false;
  CLI::App* merge =
      app.add_subcommand("merge", "Join the shard files of one sweep (--shard I/N) into one file");
  merge->add_option("out", merge_out, "The joined file (HDF5)")->required();
  merge->add_option("shards", merge_shards, "The shard files")->required();
  merge->add_flag("--force", merge_force, "Overwrite the joined file if it exists");

  std::string check_path;
  CLI::App* check = app.add_subcommand("check", "Validate a scenario file without running it");
  check->add_option("scenario", check_path, "Scenario file (TOML)")->required();

  baskets::ReplayCommand replay_command;
  CLI::App* replay = app.add_subcommand(
      "replay", "Run one replica in this process and print its event log (cutoffs, releases, "
                "licences, failovers, contention) and its results");
  replay->add_option("scenario", replay_command.scenario_path, "Scenario file (TOML)")->required();
  replay->add_option("--replica", replay_command.replica, "Replica index (from 0)")->required();
  replay->add_option("--seed", replay_command.seed, "Random seed (default: the scenario's)");

  std::string info_path;
  CLI::App* info =
      app.add_subcommand("info", "Print the provenance and contents of a results file");
  info->add_option("file", info_path, "Results file (HDF5)")->required();
  unsigned info_timeout = 120;
  info->add_option("--read-timeout", info_timeout,
                   "Give up on a damaged file whose reading does not end within this many seconds")
      ->check(CLI::Range(1U, 86400U));

  CLI11_PARSE(app, argc, argv);

  for (int i = 0; i < argc; ++i)
    run_command.command_line += (i > 0 ? " " : "") + std::string(argv[i]);
  sweep_command.command_line = run_command.command_line;
  // A bare --timeseries comes back from CLI11 as no value or as 0: the default step.
  if (timeseries->count() > 0)
    run_command.timeseries_step_days =
        timeseries_step.empty() || timeseries_step.front() <= 0.0 ? 7.0 : timeseries_step.front();

  try {
    if (run->parsed())
      return baskets::run_scenario(run_command);
    if (sweep->parsed()) {
      if (!shard_text.empty())
        sweep_command.shard = baskets::parse_shard(shard_text);
      const baskets::Cluster cluster(argc, argv);
      return baskets::run_sweep(sweep_command, cluster);
    }
    if (merge->parsed())
      return baskets::merge_sweeps(merge_out, merge_shards, merge_force, run_command.command_line);
    if (replay->parsed())
      return baskets::replay_replica(replay_command);
    if (info->parsed())
      return baskets::describe_results_file(info_path, info_timeout);
    return baskets::check_scenario(check_path);
  } catch (const baskets::ScenarioLoadError& error) {
    std::cerr << error.what() << '\n';
    return exit_bad_input;
  } catch (const baskets::LimitError& error) {
    std::cerr << "baskets: refused: " << error.what() << '\n';
    return exit_bad_input;
  } catch (const std::exception& error) {
    std::cerr << "baskets: error: " << error.what() << '\n';
    return 1;
  }
}
