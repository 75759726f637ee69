#include "sim/sweep_command.hpp"

#include "baskets/version.hpp"
#include "outputs/sweep_file.hpp"
#include "sim/interruption.hpp"
#include "sim/limits.hpp"
#include "sim/monte_carlo.hpp"
#include "sim/progress.hpp"
#include "sim/provenance.hpp"
#include "sim/sweep_analysis.hpp"
#include "sim/sweep_spec.hpp"

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace baskets {

std::string Shard::text() const {
  return count == 1 ? std::string() : fmt::format("{}/{}", index, count);
}

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const auto number = [&](const std::string& digits) -> std::optional<std::uint64_t> {
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    return std::stoull(digits);
  };
  const std::optional<std::uint64_t> index =
      slash == std::string::npos ? std::nullopt : number(text.substr(0, slash));
  const std::optional<std::uint64_t> count =
      slash == std::string::npos ? std::nullopt : number(text.substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count)
    throw std::invalid_argument(fmt::format(
        "--shard {}: expected I/N with 0 <= I < N, such as 0/4 (the first of four shards)", text));
  return Shard{*index, *count};
}

namespace {

// ---- what the sweep prints ---------------------------------------------------------------

void print_points(const Sweep& sweep, const PointRisks& risks) {
  const std::size_t strategies = sweep.base.strategies.size();
  fmt::print("\nServed share per point (mean over replicas; paired difference against \"{}\")\n",
             sweep.base.strategies[0].name);
  std::string header = fmt::format("{:>6}", "point");
  for (const SweepParameter& parameter : sweep.parameters)
    header += fmt::format("  {:>14.14}", parameter.name);
  for (std::size_t s = 0; s < strategies; ++s)
    header += fmt::format("  {:>14.14}", sweep.base.strategies[s].name);
  for (std::size_t s = 1; s < strategies; ++s)
    header += fmt::format("  {:>14.14}", "- " + sweep.base.strategies[0].name);
  fmt::print("{}\n", header);
  constexpr std::size_t served = static_cast<std::size_t>(Metric::served_share);
  constexpr std::size_t shown = 50; // a long sweep is read from its file, not the terminal
  for (std::size_t p = 0; p < risks.size() && p < shown; ++p) {
    std::string line = fmt::format("{:>6}", p);
    for (std::size_t i = 0; i < sweep.parameters.size(); ++i)
      line += fmt::format("  {:>14.6g}", sweep.numbers_at(p)[i]);
    for (std::size_t s = 0; s < strategies; ++s)
      line += risks[p] ? fmt::format("  {:>14.5f}", (*risks[p])[s].metrics[served].estimate.mean)
                       : fmt::format("  {:>14}", "-");
    for (std::size_t s = 1; s < strategies; ++s)
      line += risks[p] ? fmt::format("  {:>+14.5f}", (*risks[p])[s].paired[served].difference.mean)
                       : fmt::format("  {:>14}", "-");
    fmt::print("{}\n", line);
  }
  if (risks.size() > shown)
    fmt::print("({} more points in the results file)\n", risks.size() - shown);
}

void print_sensitivity(const Sweep& sweep, const SensitivityTable& table, std::size_t points) {
  const std::size_t strategies = table.strategies();
  fmt::print("\nSensitivity over the {} complete points: Spearman rank correlation of each "
             "parameter with the point's mean{}\n",
             points,
             sweep.design == Design::grid ? ", and in brackets its main effect (the largest minus "
                                            "the smallest mean over its values)"
             : sweep.design == Design::saltelli
                 ? ", and in brackets its Sobol first-order / total indices"
                 : "");
  const std::string& first = sweep.base.strategies[0].name;
  for (std::size_t m = 0; m < sensitivity_metrics.size(); ++m) {
    std::string header =
        fmt::format("{:<24}", metric_info[static_cast<std::size_t>(sensitivity_metrics[m])].name);
    for (std::size_t s = 0; s < strategies; ++s)
      header += fmt::format("  {:>24.24}", sweep.base.strategies[s].name);
    for (std::size_t s = 1; s < strategies; ++s)
      header += fmt::format("  {:>24.24}", sweep.base.strategies[s].name + " - " + first);
    fmt::print("{}\n", header);
    for (std::size_t i = 0; i < table.parameters(); ++i) {
      std::string line = fmt::format("  {:<22.22}", sweep.parameters[i].name);
      const auto cell = [&](const Sensitivity& e) {
        if (sweep.design == Design::grid)
          return fmt::format("  {:>+7.3f} ({:>14.4g})", e.spearman, e.main_effect);
        if (sweep.design == Design::saltelli)
          return fmt::format("  {:>+7.3f} ({:>6.3f} /{:>6.3f})", e.spearman, e.sobol_first,
                             e.sobol_total);
        return fmt::format("  {:>24.3f}", e.spearman);
      };
      for (std::size_t s = 0; s < strategies; ++s)
        line += cell(table.at(i, s, m, 0));
      for (std::size_t s = 1; s < strategies; ++s)
        line += cell(table.at(i, s, m, 1));
      fmt::print("{}\n", line);
    }
  }
}

// A resumed or merged file must be of the same sweep, by the same program.
void check_same_sweep(const SweepFile& file, const std::string& fingerprint,
                      const std::string& what) {
  if (file.fingerprint != fingerprint)
    throw std::runtime_error(fmt::format(
        "{}: {} of a different sweep (the scenario, the sweep, --seed, -n or the program's "
        "version differ), so its points cannot be joined to this one",
        file.path, what));
  if (file.git_commit != git_commit)
    throw std::runtime_error(fmt::format(
        "{}: written by baskets built from commit {}, this one is {}: results of different "
        "builds are not joined",
        file.path, file.git_commit, git_commit));
}

struct Summary {
  std::uint64_t completed = 0, failed = 0;
  std::size_t complete_points = 0;
};

Summary summarise(const std::vector<SweepPoint>& points) {
  Summary summary;
  for (const SweepPoint& point : points) {
    summary.completed += point.replicas.size();
    summary.failed += point.failed.size();
    summary.complete_points += point.complete ? 1 : 0;
  }
  return summary;
}

} // namespace

int run_sweep(const SweepCommand& command, const Cluster& cluster) {
  const std::string started_at = utc_now();
  Sweep sweep = load_sweep(command.sweep_path);
  if (command.replicas)
    sweep.replicas = *command.replicas;
  const std::uint64_t seed = command.seed.value_or(sweep.base.simulation.seed);
  const std::string fingerprint = sweep_fingerprint(sweep, seed);
  const std::size_t strategies = sweep.base.strategies.size();
  {
    // The costliest point stands for all: the most buyers, then the longest horizon.
    Scenario largest = sweep.base;
    double largest_cost = -1.0;
    for (std::size_t p = 0; p < sweep.points.size() && p < 10'000; ++p) {
      Scenario point = sweep.scenario_at(p);
      RunPlan plan;
      plan.scenario = &point;
      const double cost = estimate_needs(plan).seconds_per_replica;
      if (cost > largest_cost) {
        largest_cost = cost;
        largest = std::move(point);
      }
    }
    check_limits(
        {&largest, sweep.points.size() * sweep.replicas,
         command.threads > 0 ? command.threads : std::max(1U, std::thread::hardware_concurrency()),
         0.0, cluster.is_root() ? command.out : std::nullopt, command.allow_long,
         "-n (per point) x points ="});
  }

  // Checked before anything runs: the output file (rank 0 alone writes it), and what a resumed
  // file already holds.
  std::optional<OutputFile> output;
  std::vector<SweepPoint> points(sweep.points.size());
  std::string problem;
  if (cluster.is_root()) {
    try {
      if (command.resume) {
        if (!command.out)
          throw std::runtime_error("--resume continues the sweep in its --out file: give it");
        SweepFile done = read_sweep_untrusted(*command.out);
        check_same_sweep(done, fingerprint, "the results");
        if (done.shard != command.shard.text())
          throw std::runtime_error(
              fmt::format("{}: a file of shard \"{}\", resumed as shard \"{}\"", *command.out,
                          done.shard, command.shard.text()));
        points = std::move(done.points);
      }
      if (command.out)
        output.emplace(*command.out, command.force || command.resume);
    } catch (const std::exception& error) {
      problem = error.what();
    }
  }
  if (!cluster.all(problem.empty())) {
    if (!problem.empty())
      throw std::runtime_error(problem);
    return 1; // rank 0 says why
  }
  // Every rank needs to know which points are done.
  std::string done_mask;
  for (const SweepPoint& point : points)
    done_mask += point.complete ? '1' : '0';
  done_mask = cluster.broadcast(done_mask);

  // This rank's points: those of the shard not yet complete, dealt over the ranks.
  std::vector<std::size_t> mine;
  std::size_t dealt = 0;
  for (std::size_t p = 0; p < sweep.points.size(); ++p)
    if (command.shard.holds(p) && done_mask[p] == '0')
      if (dealt++ % static_cast<std::size_t>(cluster.size()) ==
          static_cast<std::size_t>(cluster.rank()))
        mine.push_back(p);

  std::vector<Simulator> simulators;
  simulators.reserve(mine.size());
  for (const std::size_t p : mine)
    simulators.emplace_back(sweep.scenario_at(p));
  std::vector<const Simulator*> running;
  for (const Simulator& simulator : simulators)
    running.push_back(&simulator);

  interruption::install();
  RunOptions options;
  options.seed = seed;
  options.count = sweep.replicas;
  options.threads = command.threads;
  options.batch = command.batch;
  options.crash_replica = command.crash_replica;

  // `why_partial` is used when points are missing: a checkpoint, an interruption, a shard.
  const auto write = [&](const std::string& why_partial) {
    SweepToWrite file{&sweep,
                      RunProvenance{command.command_line, started_at, utc_now(), host_name(), seed,
                                    sweep.points.size() * sweep.replicas, 0, false, why_partial,
                                    command.long_outage_days},
                      fingerprint, command.shard.text(), &points};
    write_sweep(output->temporary_path(), file);
  };

  // Checkpoints happen as points complete, from a pool thread; run_points makes one call at a
  // time, and that is also all HDF5 allows.
  using clock = std::chrono::steady_clock;
  clock::time_point last_checkpoint = clock::now();
  const auto checkpoint_every = std::chrono::duration<double>(command.checkpoint_seconds);
  Progress progress(mine.size() * sweep.replicas, cluster.size() > 1 && !cluster.is_root()
                                                      ? Progress::Mode::quiet
                                                      : Progress::mode_for(stderr, command.quiet));
  const int interrupted_by = run_points(
      running, options,
      [&](std::size_t k, RunResults results) {
        if (results.interrupted_by != 0)
          return; // an unfinished point is run again on --resume
        SweepPoint& point = points[mine[k]];
        point.complete = true;
        point.replicas = std::move(results.completed);
        for (const ReplicaFailure& failure : results.failures)
          point.failed.push_back(failure.replica);
        if (output && cluster.size() == 1 && clock::now() - last_checkpoint >= checkpoint_every) {
          // A checkpoint that cannot be written (a full disk) must not stop the sweep: the
          // previous one stays whole under the final name, and the next attempt may succeed.
          try {
            write("a checkpoint of a sweep still running (--resume goes on from it)");
            output->checkpoint();
          } catch (const std::exception& error) {
            fmt::print(std::cerr,
                       "baskets: warning: checkpoint not written, the sweep goes on: {}\n",
                       error.what());
          }
          last_checkpoint = clock::now();
        }
      },
      [&](std::uint64_t done) { progress.update(done); });
  progress.finish();

  // Rank 0 gathers every rank's points.
  const std::vector<std::string> parts = cluster.gather(encode_points(points, mine));
  if (!cluster.is_root())
    return interrupted_by != 0 ? 128 + interrupted_by : 0;
  for (std::size_t r = 1; r < parts.size(); ++r)
    decode_points(parts[r], points);

  const Summary summary = summarise(points);
  std::size_t shard_points = 0;
  for (std::size_t p = 0; p < points.size(); ++p)
    shard_points += command.shard.holds(p) ? 1 : 0;
  const PointRisks risks = assess_points(points, strategies, command.long_outage_days);
  fmt::print("Sweep of scenario {} ({}): {} design, {} points{}, {} replicas per point, seed {}\n",
             sweep.base.name, sweep.path, design_name(sweep.design), sweep.points.size(),
             command.shard.count > 1
                 ? fmt::format(" ({} in shard {})", shard_points, command.shard.text())
                 : "",
             sweep.replicas, seed);
  print_points(sweep, risks);
  if (summary.complete_points >= 3)
    print_sensitivity(sweep, assess_sensitivity(sweep, risks), summary.complete_points);

  if (output) {
    write(interrupted_by != 0       ? fmt::format("interrupted by {}", signal_name(interrupted_by))
          : command.shard.count > 1 ? fmt::format("shard {} of the sweep: join the shards "
                                                  "with baskets merge",
                                                  command.shard.text())
                                    : std::string());
    output->commit();
    fmt::print(std::cerr, "baskets: sweep written to {} ({} of {} points complete)\n",
               output->final_path(), summary.complete_points, points.size());
  }
  if (interrupted_by != 0) {
    fmt::print(std::cerr, "baskets: interrupted by {}; {}\n", signal_name(interrupted_by),
               output ? fmt::format("go on with --resume --out {}", output->final_path())
                      : std::string("give --out to keep what completed"));
    return 128 + interrupted_by;
  }
  if (summary.failed > 0) {
    for (std::size_t p = 0; p < points.size(); ++p)
      for (const std::uint64_t r : points[p].failed)
        fmt::print(std::cerr, "baskets: point {} ({}): replica {} (seed {}) failed\n", p,
                   sweep.describe_point(p), r, seed);
    fmt::print(std::cerr,
               "baskets: {} replicas failed; the statistics are over those that "
               "completed\n",
               summary.failed);
    return 3;
  }
  return 0;
}

int merge_sweeps(const std::string& out, const std::vector<std::string>& shards, bool force,
                 const std::string& command_line) {
  const std::string started_at = utc_now();
  if (shards.empty())
    throw std::runtime_error("merge: name the shard files to join");
  OutputFile output(out, force);
  std::vector<SweepFile> files;
  for (const std::string& path : shards)
    files.push_back(read_sweep_untrusted(path));
  const SweepFile& first = files.front();
  // The sweep comes from the texts the file stored, not from files that may have changed since.
  Sweep sweep = parse_sweep(first.sweep_text, first.sweep_path, first.scenario_text);
  sweep.replicas = first.replicas_per_point;
  const std::string fingerprint = sweep_fingerprint(sweep, first.seed);
  std::vector<SweepPoint> points(sweep.points.size());
  for (SweepFile& file : files) {
    check_same_sweep(file, fingerprint, "a shard");
    if (file.points.size() != points.size())
      throw std::runtime_error(file.path + ": a different number of points");
    for (std::size_t p = 0; p < points.size(); ++p) {
      if (!file.points[p].complete)
        continue;
      if (points[p].complete)
        continue; // the same point twice (overlapping shards): the same numbers, by the seed
      points[p] = std::move(file.points[p]);
    }
  }
  const Summary summary = summarise(points);
  SweepToWrite file{&sweep,
                    RunProvenance{command_line, started_at, utc_now(), host_name(), first.seed,
                                  sweep.points.size() * sweep.replicas, 0, true, "",
                                  first.long_outage_threshold_days},
                    fingerprint, "", &points};
  write_sweep(output.temporary_path(), file);
  output.commit();
  fmt::print("{}: {} shard files joined: {} of {} points complete, {} replicas, {} failed\n", out,
             files.size(), summary.complete_points, points.size(), summary.completed,
             summary.failed);
  if (summary.complete_points < points.size()) {
    std::string missing;
    std::size_t listed = 0;
    for (std::size_t p = 0; p < points.size() && listed < 20; ++p)
      if (!points[p].complete) {
        missing += fmt::format("{}{}", listed++ > 0 ? ", " : "", p);
      }
    fmt::print(std::cerr,
               "baskets: points missing from the shards: {}{}; the file is partial: complete it "
               "with baskets sweep {} --resume --out {}\n",
               missing, points.size() - summary.complete_points > listed ? ", ..." : "", sweep.path,
               out);
    return 3;
  }
  return 0;
}

} // namespace baskets
