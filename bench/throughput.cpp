// bench_throughput: replicas per second of a scenario (default: scenarios/default.toml) run the
// way `baskets run` runs it (worker processes under TBB), with one thread and with every core,
// and the parallel efficiency (rate with every core / rate with one) / cores.
//
// Besides wall time it reads the CPU time of the worker processes (getrusage of the children):
// if the CPU time per replica grows with the thread count, the cores slow each other down (the
// machine is shared, or memory is); if it does not, the loss is idle time (a worker waiting,
// forks, the last batch).
#include "bench/bench_common.hpp"

#include "sim/monte_carlo.hpp"
#include "sim/scenario_parser.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <sys/resource.h>

#include <thread>

namespace {

using namespace baskets;
using namespace baskets::bench;

double children_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Measurement {
  std::vector<double> wall; // seconds per run
  std::vector<double> cpu;  // worker CPU seconds per run
};

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Replicas per second with one thread and with every core, and the parallel "
               "efficiency"};
  std::string path = source_file("scenarios/default.toml");
  std::uint64_t replicas = 120;
  int repeats = 3;
  unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  app.add_option("scenario", path, "Scenario file (default: scenarios/default.toml)");
  app.add_option("-n,--replicas", replicas, "Replicas per measurement")->check(CLI::PositiveNumber);
  app.add_option("-r,--repeats", repeats, "Measurements of each thread count (median reported)")
      ->check(CLI::PositiveNumber);
  app.add_option("-j,--cores", cores, "Thread count of the parallel measurement (default: all)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  line_buffered_stdout();
  const ForeignLoad foreign;

  try {
    const Simulator simulator(load_scenario(path));
    const std::vector<unsigned> thread_counts =
        cores > 1 ? std::vector<unsigned>{1, cores} : std::vector<unsigned>{1};

    fmt::print("bench_throughput: {}, {} replicas per measurement, median of {} (the two thread "
               "counts alternate), {} cores\n\n",
               path, replicas, repeats, cores);
    // A first run warms the page cache and the allocator; it is not counted.
    RunOptions warm_up;
    warm_up.seed = simulator.scenario().simulation.seed;
    warm_up.count = 2 * cores;
    warm_up.threads = cores;
    (void)simulator.run(warm_up);

    std::vector<Measurement> measured(thread_counts.size());
    for (int r = 0; r < repeats; ++r)
      for (std::size_t t = 0; t < thread_counts.size(); ++t) {
        RunOptions options;
        options.seed = simulator.scenario().simulation.seed;
        options.count = replicas;
        options.threads = thread_counts[t];
        const double cpu_before = children_cpu_seconds();
        RunResults results;
        const double wall = time_of([&] { results = simulator.run(options); });
        if (!results.failures.empty())
          throw std::runtime_error(results.failures.front().describe());
        measured[t].wall.push_back(wall);
        measured[t].cpu.push_back(children_cpu_seconds() - cpu_before);
      }

    fmt::print("{:>7}  {:>10}  {:>17}  {:>11}  {:>16}  {:>12}\n", "threads", "median s",
               "(min .. max) s", "replicas/s", "worker CPU s", "CPU ms/rep");
    std::vector<double> rates;
    for (std::size_t t = 0; t < thread_counts.size(); ++t) {
      const double wall = median(measured[t].wall);
      const double cpu = median(measured[t].cpu);
      rates.push_back(static_cast<double>(replicas) / wall);
      fmt::print("{:>7}  {:>10.3f}  {:>7.3f} .. {:>6.3f}  {:>11.2f}  {:>16.3f}  {:>12.2f}\n",
                 thread_counts[t], wall, minimum(measured[t].wall), maximum(measured[t].wall),
                 rates.back(), cpu, 1e3 * cpu / static_cast<double>(replicas));
    }
    if (rates.size() == 2) {
      // Paired: each repeat measures both thread counts back to back, so that a slow spell of
      // the machine weighs on both; the headline is the median of the per-repeat speed-ups.
      std::vector<double> speedups;
      for (int r = 0; r < repeats; ++r)
        speedups.push_back(measured[0].wall[static_cast<std::size_t>(r)] /
                           measured[1].wall[static_cast<std::size_t>(r)]);
      const double speedup = median(speedups);
      const double efficiency = speedup / cores;
      fmt::print("\nspeed-up {} threads / 1 thread (median of the {} paired repeats): {:.3f}  "
                 "(ratio of the medians: {:.3f})\n",
                 cores, repeats, speedup, rates[1] / rates[0]);
      fmt::print("parallel efficiency (speed-up / {} cores): {:.3f}  (target >= 0.9){}\n", cores,
                 efficiency, efficiency >= 0.9 ? "" : "  MISSED");
      fmt::print("CPU time per replica, {} threads / 1 thread: {:.3f}  (1 = the cores do not "
                 "slow each other down)\n",
                 cores, median(measured[1].cpu) / median(measured[0].cpu));
    } else {
      fmt::print("\none core: no parallel measurement\n");
    }
    fmt::print("\n{}\n", foreign.describe());
  } catch (const std::exception& error) {
    fmt::print(stderr, "bench_throughput: {}\n", error.what());
    return 1;
  }
  return 0;
}
