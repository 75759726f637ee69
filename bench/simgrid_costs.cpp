// bench_simgrid_costs: two costs of SimGrid 3.32 itself that dominate small replicas, measured
// with bare programs (no model code), each in its own process (one engine per process).
//
// 1. Creating an actor: each actor gets its own stack (8 MiB by default, with a guard page
//    protected by mprotect). On a virtual machine, mapping, protecting and unmapping the stack
//    costs far more than the actor's work, and two processes doing it at once (two workers of a
//    parallel run) slow each other down. Measured with the default settings and with
//    --cfg=contexts/stack-size and --cfg=contexts/guard-size, in one process and in two at once.
// 2. Turning off a host while an execution runs on it: measured as the cost of one round (ten
//    times: an execution started on a remote host, then the host turned off and on, like a
//    replica with ten cutoffs) early and late in one engine's life, against the same rounds where
//    the execution is cancelled before the host goes off. A cost that grows with the rounds already
//    run means something accumulates in the engine.
#include "bench/bench_common.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

namespace {

using namespace baskets::bench;
namespace sg4 = simgrid::s4u;

struct Hosts {
  sg4::Host* office;
  sg4::Host* datacenter;
};

// An engine with the given extra settings, and two hosts joined by a link.
std::pair<std::unique_ptr<sg4::Engine>, Hosts> make_world(const std::vector<std::string>& config) {
  static std::vector<std::string> words;
  static std::vector<char*> argv;
  words = {"bench_simgrid_costs", "--log=root.thresh:critical"};
  words.insert(words.end(), config.begin(), config.end());
  argv.clear();
  for (std::string& word : words)
    argv.push_back(word.data());
  argv.push_back(nullptr);
  static int argc = 0;
  argc = static_cast<int>(words.size());
  auto engine = std::make_unique<sg4::Engine>(&argc, argv.data());
  sg4::NetZone* zone = sg4::create_full_zone("world");
  Hosts hosts{zone->create_host("office", 1.0), zone->create_host("datacenter", 100.0)};
  sg4::Link* link = zone->create_link("link", 1e9)->set_latency(1e-6)->seal();
  zone->add_route(hosts.office->get_netpoint(), hosts.datacenter->get_netpoint(), nullptr, nullptr,
                  {sg4::LinkInRoute(link)}, true);
  zone->seal();
  return {std::move(engine), hosts};
}

// Microseconds per actor that sleeps once, over `rounds` rounds of `actors` actors, in each of
// `processes` processes running side by side.
std::vector<double> actor_cost(const std::vector<std::string>& config, int rounds, int actors,
                               int processes) {
  std::vector<double> us;
  for (const std::vector<double>& one : in_children(processes, [&] {
         auto [engine, hosts] = make_world(config);
         const double seconds = time_of([&, &engine = engine, &hosts = hosts] {
           for (int r = 0; r < rounds; ++r) {
             for (int a = 0; a < actors; ++a)
               sg4::Actor::create("sleeper", hosts.office, [] { sg4::this_actor::sleep_for(1); });
             engine->run();
           }
         });
         return std::vector<double>{1e6 * seconds / (rounds * actors)};
       }))
    us.push_back(one.at(0));
  return us;
}

// Microseconds per round over the first and the last `window` rounds of `rounds`; in a round an
// actor starts an execution on the data centre, then turns the data centre off and on (with the
// execution cancelled first if `cancel_first`), `cuts` times: a replica with `cuts` cutoffs.
std::vector<double> turn_off_cost(bool cancel_first, int rounds, int cuts, int window) {
  return in_child([&] {
    auto [engine, hosts] = make_world({});
    std::vector<double> per_round;
    for (int r = 0; r < rounds; ++r) {
      per_round.push_back(time_of([&, &engine = engine, &hosts = hosts] {
        sg4::Actor::create("government", hosts.office, [cuts, cancel_first, &hosts = hosts] {
          for (int c = 0; c < cuts; ++c) {
            sg4::ExecPtr exec = sg4::Exec::init();
            exec->set_flops_amount(1e6);
            exec->set_host(hosts.datacenter);
            exec->set_bound(1.0);
            exec->start();
            sg4::this_actor::sleep_for(1);
            if (cancel_first)
              exec->cancel();
            hosts.datacenter->turn_off();
            hosts.datacenter->turn_on();
          }
        });
        engine->run();
      }));
    }
    const auto mean = [&](int first) {
      double total = 0.0;
      for (int r = first; r < first + window; ++r)
        total += per_round[static_cast<std::size_t>(r)];
      return 1e6 * total / window;
    };
    return std::vector<double>{mean(0), mean(rounds - window)};
  });
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Costs of SimGrid itself: actor creation, and turning off a busy host"};
  int rounds = 1000;
  int repeats = 3;
  app.add_option("--rounds", rounds, "Rounds of the host turn-off measurement")
      ->check(CLI::Range(100, 100'000));
  app.add_option("-r,--repeats", repeats, "Measurements (median reported)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  line_buffered_stdout();
  const ForeignLoad foreign;

  try {
    fmt::print("bench_simgrid_costs: bare SimGrid programs, median of {}\n\n", repeats);

    const std::vector<std::pair<std::string, std::vector<std::string>>> configs{
        {"default (8 MiB stack, guard page)", {}},
        {"contexts/stack-size:256", {"--cfg=contexts/stack-size:256"}},
        {"contexts/guard-size:0", {"--cfg=contexts/guard-size:0"}},
        {"stack-size:256 and guard-size:0",
         {"--cfg=contexts/stack-size:256", "--cfg=contexts/guard-size:0"}},
        {"contexts/stack-size:64", {"--cfg=contexts/stack-size:64"}},
        {"stack-size:64 and guard-size:0",
         {"--cfg=contexts/stack-size:64", "--cfg=contexts/guard-size:0"}},
    };
    fmt::print("1. an actor that sleeps once (created, run, destroyed), in one process alone and "
               "in two processes side by side\n");
    fmt::print("{:<40}  {:>14}  {:>22}\n", "settings", "us/actor alone", "us/actor, 2 at once");
    for (const auto& [label, config] : configs) {
      std::vector<double> alone, paired;
      for (int r = 0; r < repeats; ++r) {
        alone.push_back(actor_cost(config, 300, 30, 1).at(0));
        for (const double us : actor_cost(config, 300, 30, 2))
          paired.push_back(us);
      }
      fmt::print("{:<40}  {:>14.2f}  {:>22.2f}\n", label, median(alone), median(paired));
    }

    const int cuts = 10, window = 100;
    fmt::print("\n2. a round: {} times, an execution on a host, then the host turned off and on "
               "({} rounds in one engine)\n",
               cuts, rounds);
    fmt::print("{:<40}  {:>18}  {:>18}\n", "", fmt::format("first {} us/round", window),
               fmt::format("last {} us/round", window));
    for (const bool cancel_first : {false, true}) {
      std::vector<double> early, late;
      for (int r = 0; r < repeats; ++r) {
        const std::vector<double> us = turn_off_cost(cancel_first, rounds, cuts, window);
        early.push_back(us.at(0));
        late.push_back(us.at(1));
      }
      fmt::print("{:<40}  {:>18.1f}  {:>18.1f}\n",
                 cancel_first ? "executions cancelled, then host off" : "host off under executions",
                 median(early), median(late));
    }
    fmt::print("\n{}\n", foreign.describe());
  } catch (const std::exception& error) {
    fmt::print(stderr, "bench_simgrid_costs: {}\n", error.what());
    return 1;
  }
  return 0;
}
