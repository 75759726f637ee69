// Parallel Monte Carlo: results independent of threads and batches, crash isolation, replay,
// and the variance reduction of common random numbers. Each TEST_CASE runs in its own process.
#include "sim/monte_carlo.hpp"
#include "sim/scenario_parser.hpp"
#include "sim/statistics.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace baskets;

namespace {

Scenario default_scenario() {
  return load_scenario(std::string(BASKETS_SOURCE_DIR) + "/scenarios/default.toml");
}

RunResults run_with(const Simulator& simulator, unsigned threads, std::uint64_t batch,
                    std::uint64_t count = 12, std::uint64_t first = 0) {
  RunOptions options;
  options.seed = 42;
  options.first = first;
  options.count = count;
  options.threads = threads;
  options.batch = batch;
  return simulator.run(options);
}

void require_identical(const std::vector<ReplicaResult>& a, const std::vector<ReplicaResult>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    REQUIRE(a[i].replica == b[i].replica);
    for (std::size_t s = 0; s < a[i].strategies.size(); ++s)
      REQUIRE(a[i].strategies[s].values == b[i].strategies[s].values); // bit for bit
  }
}

} // namespace

TEST_CASE("parallel: results are bit-identical whatever the threads and batches",
          "[parallel][reproducibility]") {
  const Simulator simulator(default_scenario());
  const RunResults reference = run_with(simulator, 1, 12);
  REQUIRE(reference.failures.empty());
  REQUIRE(reference.completed.size() == 12);
  require_identical(reference.completed, run_with(simulator, 2, 0).completed);
  require_identical(reference.completed, run_with(simulator, 2, 1).completed);
  require_identical(reference.completed, run_with(simulator, 3, 5).completed);

  // Replicas 6..11 on their own are replicas 6..11 of the whole run (shards, --target-ci).
  const RunResults tail = run_with(simulator, 2, 2, 6, 6);
  require_identical({reference.completed.begin() + 6, reference.completed.end()}, tail.completed);
}

TEST_CASE("parallel: a crashed replica is reported with its seed and the others complete",
          "[parallel][faults]") {
  const Simulator simulator(default_scenario());
  RunOptions options;
  options.seed = 42;
  options.count = 10;
  options.threads = 2;
  options.batch = 4; // the crash happens in the middle of a batch
  options.crash_replica = 5;
  const RunResults results = simulator.run(options);

  REQUIRE(results.failures.size() == 1);
  REQUIRE(results.failures[0].replica == 5);
  REQUIRE(results.failures[0].seed == 42);
  REQUIRE_THAT(results.failures[0].describe(),
               Catch::Contains("replica 5 (seed 42)") && Catch::Contains("signal"));
  REQUIRE(results.completed.size() == 9);
  // The replicas after the crash in its batch ran in a new worker, with the same results.
  options.crash_replica.reset();
  const RunResults clean = simulator.run(options);
  std::vector<ReplicaResult> without_five = clean.completed;
  without_five.erase(without_five.begin() + 5);
  require_identical(without_five, results.completed);
}

TEST_CASE("parallel: a replayed replica has the numbers of the same replica in a full run",
          "[parallel][replay]") {
  const Simulator simulator(default_scenario());
  const RunResults full = run_with(simulator, 2, 3, 8);
  EventLog log;
  const ReplicaOutcome replayed = simulator.run_in_process(42, 5, &log);
  require_identical({full.completed[5]}, {replayed.result});
  REQUIRE_FALSE(log.events().empty());
}

TEST_CASE("parallel: common random numbers halve the standard error of a difference",
          "[parallel][statistics]") {
  const Simulator simulator(default_scenario());
  const RunResults results = run_with(simulator, 0, 0, 100);
  REQUIRE(results.failures.empty());
  const auto summary = summarise(results.completed, 2);
  const auto served = static_cast<std::size_t>(Metric::served_share);
  const double paired = summary[1].paired_difference[served].standard_error;
  const double se_one = summary[0].metrics[served].standard_error;
  const double se_two = summary[1].metrics[served].standard_error;
  const double unpaired = std::sqrt(se_one * se_one + se_two * se_two);
  INFO("paired SE " << paired << ", unpaired SE " << unpaired);
  REQUIRE(paired > 0.0);
  REQUIRE(paired <= 0.5 * unpaired);
}

TEST_CASE("parallel: guided batches cover every replica once, largest first",
          "[parallel][batches]") {
  for (const std::uint64_t count : {1ULL, 7ULL, 120ULL, 5000ULL}) {
    for (const unsigned threads : {1U, 2U, 16U}) {
      const auto batches = plan_batches(count, threads);
      std::uint64_t expected_begin = 0;
      std::uint64_t previous_size = max_batch;
      for (const auto& [begin, end] : batches) {
        REQUIRE(begin == expected_begin);
        REQUIRE(end > begin);
        REQUIRE(end - begin <= previous_size);
        previous_size = end - begin;
        expected_begin = end;
      }
      REQUIRE(expected_begin == count);
    }
  }
  // A batch size that is asked for is kept; the last batch takes what is left.
  const auto fixed = plan_batches(10, 2, 4);
  REQUIRE(fixed.size() == 3);
  REQUIRE(fixed.back() == std::pair<std::uint64_t, std::uint64_t>{8, 10});
}
