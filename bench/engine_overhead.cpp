// bench_engine_overhead: what the model costs on top of SimGrid itself.
//
// The model counts the SimGrid activities of each replica (actors, executions, messages, waits).
// This program runs replicas of a scenario (default: scenarios/default.toml) in a child process
// and reads their counts and times; then, in a fresh child, a bare SimGrid program does exactly
// the same numbers of activities, replica by replica, with no model logic:
//
//   - a root actor sleeps to the replica's start and creates the others (like the model's);
//   - receivers (as many as the model's actors, less the root and one poster) each keep one
//     bounded execution running on a remote "data centre" host and wait on their own inbox (the
//     model's Channel: a queue and a semaphore) with a timeout, like the buyers; their waits are
//     spread over the horizon, and they restart
//     their execution (cancel, start a new one) at an even pace, like demand steps;
//   - one poster sleeps, then posts messages to the receivers in bursts (one message per
//     receiver), like a provider notifying its subscribers.
//
// Both are timed per replica after a warm-up replica, with the engine and platform already
// built. The ratio model / bare is the model's own cost (agents, accounting, allocation) relative
// to the engine's. The program also reports the end-to-end cost through Simulator::run with one
// worker, and the fixed cost of a worker (fork, engine and platform).
#include "bench/bench_common.hpp"

#include "sim/messages.hpp"
#include "sim/monte_carlo.hpp"
#include "sim/platform.hpp"
#include "sim/scenario_parser.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <xbt/config.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <array>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace baskets;
using namespace baskets::bench;
namespace sg4 = simgrid::s4u;

constexpr std::size_t fields = 5; // seconds, actors, executions, messages, waits

// The engine settings that weigh on the cost of actors. The bare program runs with those of the
// model's engine (read from it), so that a change of them in the model does not make the
// comparison unfair.
struct EngineSettings {
  int stack_kib = 0;
  int guard_pages = 0;
};

EngineSettings read_engine_settings() {
  return {simgrid::config::get_value<int>("contexts/stack-size"),
          simgrid::config::get_value<int>("contexts/guard-size")};
}

std::unique_ptr<sg4::Engine> make_engine(const EngineSettings& settings) {
  static std::vector<std::string> words;
  static std::vector<char*> argv;
  static int argc = 0;
  words = {"bench_engine_overhead", "--log=root.thresh:error",
           fmt::format("--cfg=contexts/stack-size:{}", settings.stack_kib),
           fmt::format("--cfg=contexts/guard-size:{}", settings.guard_pages)};
  argv.clear();
  for (std::string& word : words)
    argv.push_back(word.data());
  argv.push_back(nullptr);
  argc = static_cast<int>(words.size());
  return std::make_unique<sg4::Engine>(&argc, argv.data());
}

// ---- the model -------------------------------------------------------------------------------

// Runs replicas 0 .. count-1 in this process, after one warm-up replica (it builds the engine
// and the platform); returns the engine's settings (2 numbers), then `fields` numbers per
// replica.
std::vector<double> time_model(const Scenario& scenario, std::uint64_t count) {
  const Simulator simulator(scenario);
  const std::uint64_t seed = scenario.simulation.seed;
  (void)simulator.run_in_process(seed, count); // warm-up: not one of the timed replicas
  const EngineSettings settings = read_engine_settings();
  std::vector<double> figures{static_cast<double>(settings.stack_kib),
                              static_cast<double>(settings.guard_pages)};
  for (std::uint64_t r = 0; r < count; ++r) {
    ReplicaOutcome outcome;
    const double seconds = time_of([&] { outcome = simulator.run_in_process(seed, r); });
    const ActivityCounts& c = outcome.counts;
    figures.insert(figures.end(),
                   {seconds, static_cast<double>(c.actors), static_cast<double>(c.executions),
                    static_cast<double>(c.messages), static_cast<double>(c.waits)});
  }
  return figures;
}

// ---- the bare SimGrid program ----------------------------------------------------------------

constexpr double ms_per_day = 86'400'000.0;
constexpr double bytes_per_day = 100e9 / 8.0 * 86'400.0; // 100 Gb/s
constexpr double datacenter_speed = 20'000.0;            // work units a day
constexpr double execution_bound = 100.0;                // one receiver's demand

struct BarePlatform {
  sg4::Host* office = nullptr;     // the root and the poster
  sg4::Host* site = nullptr;       // the receivers
  sg4::Host* datacenter = nullptr; // where the executions run
};

// Three hosts in a star, each behind its own 1 ms link, so that messages have a route.
BarePlatform build_bare_platform() {
  sg4::NetZone* zone = sg4::create_star_zone("bare");
  const auto add_host = [zone](const std::string& name, double speed) {
    sg4::Host* host = zone->create_host(name, speed);
    sg4::Link* link = zone->create_link(name + "/link", bytes_per_day);
    link->set_latency(1.0 / ms_per_day);
    link->seal();
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(link)},
                    true);
    return host;
  };
  BarePlatform platform{add_host("office", 1.0), add_host("site", 1.0),
                        add_host("datacenter", datacenter_speed)};
  zone->seal();
  return platform;
}

// What the bare program did, counted as it went (to check that it matches the model).
struct BareCounts {
  std::uint64_t actors = 0, executions = 0, messages = 0, waits = 0;
};

struct Receiver {
  Channel<int>* inbox;
  std::uint64_t gets;       // waits on the inbox, with a timeout
  std::uint64_t messages;   // how many of them a message will end
  std::uint64_t executions; // executions started over the replica
};

void run_receiver(const Receiver& plan, sg4::Host* datacenter, double start, double horizon,
                  BareCounts& counts) {
  sg4::ExecPtr exec;
  std::uint64_t started = 0;
  const auto restart = [&] {
    if (exec)
      exec->cancel();
    exec = sg4::Exec::init();
    exec->set_flops_amount(execution_bound * horizon * 2.0 + 1.0);
    exec->set_host(datacenter);
    exec->set_bound(execution_bound);
    exec->start();
    ++started;
    ++counts.executions;
  };
  if (plan.executions > 0)
    restart();
  // The gets that time out are spread evenly over the horizon; the others end with a message.
  const std::uint64_t timeouts = std::max<std::uint64_t>(1, plan.gets - plan.messages);
  std::uint64_t tick = 1;
  for (std::uint64_t k = 0; k < plan.gets; ++k) {
    const double deadline =
        start + horizon * static_cast<double>(tick) / static_cast<double>(timeouts);
    ++counts.waits;
    if (!plan.inbox->get_for(std::max(deadline - sg4::Engine::get_clock(), 1e-9)))
      ++tick;
    const std::uint64_t due = plan.executions * (k + 1) / plan.gets;
    while (started < due)
      restart();
  }
  while (started < plan.executions)
    restart();
  if (exec)
    exec->cancel();
}

void run_poster(const std::vector<std::unique_ptr<Channel<int>>>& inboxes, std::uint64_t bursts,
                std::uint64_t messages, double start, double horizon, BareCounts& counts) {
  std::uint64_t sent = 0;
  for (std::uint64_t b = 0; b < bursts; ++b) {
    ++counts.waits;
    sg4::this_actor::sleep_until(start + horizon * (static_cast<double>(b) + 0.5) /
                                             static_cast<double>(bursts));
    for (std::size_t i = 0; i < inboxes.size() && sent < messages; ++i, ++sent) {
      ++counts.messages;
      inboxes[i]->post(std::make_unique<int>(0));
    }
  }
}

// One replica of the bare program with the model's counts, in this process's engine.
BareCounts run_bare_replica(const BarePlatform& platform, const ActivityCounts& target,
                            double horizon) {
  // The root, the poster, and receivers for the other actors.
  const std::uint64_t receivers = target.actors > 3 ? target.actors - 2 : 1;
  const std::uint64_t bursts = (target.messages + receivers - 1) / receivers;
  if (target.waits < 1 + bursts + receivers)
    throw std::runtime_error("too few waits for the bare program's shape");
  const std::uint64_t gets = target.waits - 1 - bursts;

  std::vector<Receiver> plans;
  std::vector<std::unique_ptr<Channel<int>>> inboxes;
  for (std::uint64_t i = 0; i < receivers; ++i) {
    const auto share = [&](std::uint64_t total) {
      return total / receivers + (i < total % receivers ? 1 : 0);
    };
    inboxes.push_back(std::make_unique<Channel<int>>());
    plans.push_back(
        {inboxes.back().get(), share(gets), share(target.messages), share(target.executions)});
  }

  BareCounts counts;
  const double start = sg4::Engine::get_clock() + 1.0;
  ++counts.actors;
  sg4::Actor::create("root", platform.office, [&] {
    ++counts.waits;
    sg4::this_actor::sleep_until(start);
    ++counts.actors;
    sg4::Actor::create("poster", platform.office, [&] {
      run_poster(inboxes, bursts, target.messages, start, horizon, counts);
    });
    for (const Receiver& plan : plans) {
      ++counts.actors;
      sg4::Actor::create("receiver", platform.site, [&, p = &plan] {
        run_receiver(*p, platform.datacenter, start, horizon, counts);
      });
    }
  });
  sg4::Engine::get_instance()->run();
  return counts;
}

// Runs the bare program once per replica of `model` (with that replica's counts), after one
// warm-up; returns `fields` numbers per replica (its own time and counts).
std::vector<double> time_bare(const std::vector<double>& model, double horizon,
                              const EngineSettings& settings) {
  const auto engine = make_engine(settings);
  const BarePlatform platform = build_bare_platform();
  const auto counts_of = [&](std::size_t r) {
    return ActivityCounts{static_cast<std::uint64_t>(model[r * fields + 1]),
                          static_cast<std::uint64_t>(model[r * fields + 2]),
                          static_cast<std::uint64_t>(model[r * fields + 3]),
                          static_cast<std::uint64_t>(model[r * fields + 4])};
  };
  (void)run_bare_replica(platform, counts_of(0), horizon); // warm-up
  std::vector<double> figures;
  for (std::size_t r = 0; r < model.size() / fields; ++r) {
    BareCounts done;
    const double seconds =
        time_of([&] { done = run_bare_replica(platform, counts_of(r), horizon); });
    figures.insert(figures.end(),
                   {seconds, static_cast<double>(done.actors), static_cast<double>(done.executions),
                    static_cast<double>(done.messages), static_cast<double>(done.waits)});
  }
  return figures;
}

// ---- fixed costs of a worker -----------------------------------------------------------------

// Seconds to create an engine and build the scenario's platform, as a worker does.
double time_worker_setup(const Scenario& scenario, const EngineSettings& settings) {
  return in_child([&] {
           const double seconds = time_of([&] {
             const auto engine = make_engine(settings);
             const Platform platform = build_platform(scenario);
             (void)platform;
           });
           return std::vector<double>{seconds};
         })
      .at(0);
}

// ---- summaries -------------------------------------------------------------------------------

// The mean of one field over rows [first, last) (all rows by default).
double mean_field(const std::vector<double>& figures, std::size_t field, std::size_t first = 0,
                  std::size_t last = std::numeric_limits<std::size_t>::max()) {
  last = std::min(last, figures.size() / fields);
  double total = 0.0;
  for (std::size_t r = first; r < last; ++r)
    total += figures[r * fields + field];
  return total / static_cast<double>(last - first);
}

bool same_counts(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (i % fields != 0 && a[i] != b[i])
      return false;
  return true;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"The model's time per replica against a bare SimGrid program doing the same "
               "activities"};
  std::string path = source_file("scenarios/default.toml");
  std::uint64_t replicas = 20;
  int repeats = 5;
  app.add_option("scenario", path, "Scenario file (default: scenarios/default.toml)");
  app.add_option("-n,--replicas", replicas, "Replicas per measurement")->check(CLI::PositiveNumber);
  app.add_option("-r,--repeats", repeats, "Measurements (median reported)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  line_buffered_stdout();
  const ForeignLoad foreign;

  try {
    const Scenario scenario = load_scenario(path);
    const double horizon = scenario.simulation.horizon_days;

    std::vector<double> model_ms, bare_ms, run_ms, setup_ms, fork_ms;
    // The first and the last quarter of the replicas an engine ran: a growing cost per replica
    // means that something accumulates in the engine from one replica to the next.
    std::vector<double> model_early_ms, model_late_ms, bare_early_ms, bare_late_ms;
    const std::size_t quarter = std::max<std::size_t>(1, replicas / 4);
    std::vector<double> model_counts, bare_counts;
    bool counts_match = true;
    EngineSettings settings;
    for (int r = 0; r < repeats; ++r) {
      std::vector<double> model = in_child([&] { return time_model(scenario, replicas); });
      settings = {static_cast<int>(model.at(0)), static_cast<int>(model.at(1))};
      model.erase(model.begin(), model.begin() + 2);
      const std::vector<double> bare =
          in_child([&] { return time_bare(model, horizon, settings); });
      counts_match = counts_match && same_counts(model, bare);
      model_ms.push_back(1e3 * mean_field(model, 0));
      bare_ms.push_back(1e3 * mean_field(bare, 0));
      model_early_ms.push_back(1e3 * mean_field(model, 0, 0, quarter));
      model_late_ms.push_back(1e3 * mean_field(model, 0, replicas - quarter));
      bare_early_ms.push_back(1e3 * mean_field(bare, 0, 0, quarter));
      bare_late_ms.push_back(1e3 * mean_field(bare, 0, replicas - quarter));
      model_counts = model;
      bare_counts = bare;

      const Simulator simulator(scenario);
      RunOptions options;
      options.seed = scenario.simulation.seed;
      options.count = replicas;
      options.threads = 1;
      options.batch = replicas;
      RunResults results;
      run_ms.push_back(1e3 * time_of([&] { results = simulator.run(options); }) /
                       static_cast<double>(replicas));
      if (!results.failures.empty())
        throw std::runtime_error(results.failures.front().describe());

      fork_ms.push_back(1e3 *
                        time_of([] { (void)in_child([] { return std::vector<double>{}; }); }));
      setup_ms.push_back(1e3 * time_worker_setup(scenario, settings));
    }

    fmt::print("bench_engine_overhead: {}, {} replicas per measurement, median of {}\n\n", path,
               replicas, repeats);
    fmt::print("engine settings of the model, used for the bare program too: contexts/stack-size "
               "{} KiB, contexts/guard-size {} page(s)\n",
               settings.stack_kib, settings.guard_pages);
    fmt::print("activities per replica (mean):  actors {:.1f}, executions {:.1f}, messages "
               "{:.1f}, waits {:.1f}\n",
               mean_field(model_counts, 1), mean_field(model_counts, 2),
               mean_field(model_counts, 3), mean_field(model_counts, 4));
    fmt::print("bare program, counted as it ran: actors {:.1f}, executions {:.1f}, messages "
               "{:.1f}, waits {:.1f}  ({})\n\n",
               mean_field(bare_counts, 1), mean_field(bare_counts, 2), mean_field(bare_counts, 3),
               mean_field(bare_counts, 4),
               counts_match ? "the same, replica by replica" : "DIFFERENT from the model");

    const auto row = [](const std::string& what, const std::vector<double>& ms) {
      fmt::print("{:<46}  {:>10.3f}  {:>8.3f} .. {:<8.3f}\n", what, median(ms), minimum(ms),
                 maximum(ms));
    };
    fmt::print("{:<46}  {:>10}  {:>20}\n", "", "ms/replica", "(min .. max)");
    row("model, in process (run_in_process)", model_ms);
    row("bare SimGrid, same activities, in process", bare_ms);
    row("model through Simulator::run, 1 worker", run_ms);
    row(fmt::format("model, first {} replicas of the engine", quarter), model_early_ms);
    row(fmt::format("model, last {} replicas of the engine", quarter), model_late_ms);
    row(fmt::format("bare, first {} replicas of the engine", quarter), bare_early_ms);
    row(fmt::format("bare, last {} replicas of the engine", quarter), bare_late_ms);
    fmt::print("\n{:<46}  {:>10}  {:>20}\n", "fixed cost of a worker", "ms", "(min .. max)");
    row("fork + pipe + wait of an empty child", fork_ms);
    row("engine + platform of the scenario", setup_ms);

    // Paired: each repeat runs the model then the bare program, so that a slow spell of the
    // machine weighs on both; the headline is the median of the per-repeat ratios.
    std::vector<double> ratios;
    for (std::size_t r = 0; r < model_ms.size(); ++r)
      ratios.push_back(model_ms[r] / bare_ms[r]);
    const double ratio = median(ratios);
    fmt::print("\nmodel / bare (median of the {} paired repeats): {:.3f}  (target <= 1.5){}  "
               "(ratio of the medians: {:.3f})\n",
               ratios.size(), ratio, ratio <= 1.5 ? "" : "  MISSED",
               median(model_ms) / median(bare_ms));
    fmt::print("\n{}\n", foreign.describe());
  } catch (const std::exception& error) {
    fmt::print(stderr, "bench_engine_overhead: {}\n", error.what());
    return 1;
  }
  return 0;
}
