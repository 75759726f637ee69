#include "sim/monte_carlo.hpp"

#include "sim/fd_io.hpp"
#include "sim/interruption.hpp"
#include "sim/sampler.hpp"
#include "sim/statistics.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <fmt/core.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace baskets {

namespace {

bool engine_exists = false;

// Built with AddressSanitizer (the asan preset of CMakePresets.json; GCC says so with
// __SANITIZE_ADDRESS__, clang with __has_feature), actors run on threads: SimGrid's default
// context factory (raw) switches actor stacks in assembly that ASan does not see (Debian's SimGrid
// is built without ASan's fiber annotations), so an exception thrown on an actor's stack makes ASan
// warn "ignoring requested __asan_handle_no_return ... False positive error reports may follow"
// (google/sanitizers#189). The thread factory gives each actor a thread of its own, whose stack
// ASan knows; it ignores contexts/stack-size. Slower, and only in that build.
#if defined(__SANITIZE_ADDRESS__)
#define BASKETS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BASKETS_ASAN 1
#endif
#endif
#ifdef BASKETS_ASAN
constexpr const char* actor_contexts = "--cfg=contexts/factory:thread";
#else
constexpr const char* actor_contexts = "--cfg=contexts/stack-size:64";
#endif

std::unique_ptr<simgrid::s4u::Engine> make_engine() {
  if (engine_exists)
    throw std::logic_error("SimGrid allows one engine per process; this one already has one");
  engine_exists = true;
  // SimGrid reads its settings from the command line; this one is the program's own. Only
  // SimGrid's errors are worth showing to a user of this program.
  //
  // Each actor gets its own stack. SimGrid's default of 8 MiB, and anything from glibc's mmap
  // threshold (128 KiB) up, is mapped and unmapped for every actor: measured 2-3 times slower per
  // replica than 64 KiB stacks, which malloc reuses, and two worker processes mapping stacks at
  // once slow each other down (bench/README.md). The agents' deepest stack (an exception thrown
  // through SimGrid, fmt formatting for replay logs) fits in 64 KiB; the guard page stays, so an
  // overflow faults (and is reported as a crashed replica) rather than corrupting memory.
  static std::array<char*, 4> argv{const_cast<char*>("baskets"),
                                   const_cast<char*>("--log=root.thresh:error"),
                                   const_cast<char*>(actor_contexts), nullptr};
  static int argc = 3;
  return std::make_unique<simgrid::s4u::Engine>(&argc, argv.data());
}

// Creating a pipe and forking must not interleave between threads: a child forked meanwhile
// would inherit the write end of another worker's pipe and hold its end-of-file back.
std::mutex fork_mutex;

std::string describe_status(int status) {
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
    // Nothing in this program sends SIGKILL to a worker except on interruption (not reported):
    // the kernel's out-of-memory killer is the usual sender.
    return fmt::format("its worker was killed by signal {} ({}), as the kernel does when memory "
                       "runs out: fewer buyers, fewer threads (-j), or more memory",
                       SIGKILL, ::strsignal(SIGKILL));
  if (WIFSIGNALED(status))
    return fmt::format("its worker was killed by signal {} ({})", WTERMSIG(status),
                       ::strsignal(WTERMSIG(status)));
  if (WIFEXITED(status))
    return fmt::format("its worker exited with status {}", WEXITSTATUS(status));
  return "its worker ended abnormally";
}

// What a worker sends back for each replica: its index, each strategy's metrics, the number of
// providers and each one's metrics, then its time series if any, each after its length. The
// strategies are the scenario's, but the lengths are sent: the parent checks them against what it
// expects rather than reading on out of step, which would turn the rest of the stream into
// garbage.
void send_result(int fd, ReplicaOutcome& outcome) {
  // A parent that is gone (interrupted) leaves nobody to run for: the worker ends.
  const auto send = [fd](const void* data, std::size_t size) {
    if (!write_all(fd, data, size))
      ::_exit(3);
  };
  const auto send_length = [&](std::size_t length) {
    const auto value = static_cast<std::uint64_t>(length);
    send(&value, sizeof value);
  };
  send(&outcome.result.replica, sizeof outcome.result.replica);
  for (const StrategyMetrics& m : outcome.result.strategies)
    send(m.values.data(), sizeof(double) * metric_count);
  send_length(outcome.result.providers.size());
  for (const ProviderMetrics& m : outcome.result.providers)
    send(m.values.data(), sizeof(double) * provider_metric_count);
  if (outcome.series)
    for (const std::vector<double>* values : outcome.series->all()) {
      send_length(values->size());
      send(values->data(), sizeof(double) * values->size());
    }
}

struct Received {
  ReplicaResult result;
  std::optional<ReplicaTimeSeries> series;
};

// What the parent expects of each replica a worker sends.
struct Expected {
  std::size_t strategies = 0;
  std::size_t providers = 0;                // provider_names(scenario).size()
  const TimeSeriesLayout* layout = nullptr; // null: no time series
};

// The next replica, or nothing at the end of the stream. A length other than expected is a bug
// in this program, said in `mismatch` (and nothing returned).
std::optional<Received> receive_result(int fd, const Expected& expected, std::string& mismatch) {
  Received received{{0, std::vector<StrategyMetrics>(expected.strategies), {}}, std::nullopt};
  ReplicaResult& result = received.result;
  if (!read_all(fd, &result.replica, sizeof result.replica))
    return std::nullopt;
  for (StrategyMetrics& m : result.strategies)
    if (!read_all(fd, m.values.data(), sizeof(double) * metric_count))
      return std::nullopt;
  std::uint64_t providers = 0;
  if (!read_all(fd, &providers, sizeof providers))
    return std::nullopt;
  if (providers != expected.providers) {
    mismatch =
        fmt::format("a worker sent {} providers' metrics for replica {}, the scenario has {} "
                    "providers",
                    providers, result.replica, expected.providers);
    return std::nullopt;
  }
  result.providers.resize(providers);
  for (ProviderMetrics& m : result.providers)
    if (!read_all(fd, m.values.data(), sizeof(double) * provider_metric_count))
      return std::nullopt;
  if (expected.layout != nullptr) {
    received.series = empty_series(*expected.layout);
    const std::vector<std::vector<double>*> all = received.series->all();
    for (std::size_t i = 0; i < all.size(); ++i) {
      std::uint64_t length = 0;
      if (!read_all(fd, &length, sizeof length))
        return std::nullopt;
      if (length != all[i]->size()) {
        mismatch = fmt::format("a worker sent time series {} of replica {} with {} values, the "
                               "layout asks for {} (empty_series and the sampler disagree)",
                               i, result.replica, length, all[i]->size());
        return std::nullopt;
      }
      if (!read_all(fd, all[i]->data(), sizeof(double) * all[i]->size()))
        return std::nullopt;
    }
  }
  return received;
}

} // namespace

std::vector<std::pair<std::uint64_t, std::uint64_t>>
plan_batches(std::uint64_t count, unsigned threads, std::uint64_t batch) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> batches;
  for (std::uint64_t begin = 0; begin < count;) {
    // Guided scheduling by default: each batch takes a share of what remains, so early batches
    // are large (a worker's fork and engine cost little per replica) and the last ones small
    // (no core waits long for another to finish).
    const std::uint64_t size =
        batch > 0 ? batch
                  : std::clamp<std::uint64_t>((count - begin) / (2ULL * threads), 1, max_batch);
    batches.emplace_back(begin, std::min(count, begin + size));
    begin = batches.back().second;
  }
  return batches;
}

std::string ReplicaFailure::describe() const {
  return fmt::format("replica {} (seed {}) failed: {}", replica, seed, why);
}

Simulator::Simulator(Scenario scenario)
    : scenario_(std::move(scenario)), slots_(scenario_.simulation.horizon_days) {}

const Platform& Simulator::engine_platform() const {
  if (!engine_) {
    engine_ = make_engine();
    platform_ = build_platform(scenario_);
  }
  return *platform_;
}

ReplicaOutcome Simulator::run_in_process(std::uint64_t seed, std::uint64_t replica,
                                         EventLog* events) const {
  const Platform& platform = engine_platform();
  if (next_slot_ >= slots_.capacity())
    throw std::logic_error("this process's engine has no replica slot left");
  return run_replica(platform, seed, replica, slots_.origin(next_slot_++), events);
}

RunResults Simulator::run(const RunOptions& options,
                          const std::function<void(std::uint64_t)>& on_done) const {
  RunResults results;
  run_points(
      {this}, options, [&](std::size_t, RunResults point) { results = std::move(point); }, on_done);
  return results;
}

int run_points(const std::vector<const Simulator*>& simulators, const RunOptions& options,
               const std::function<void(std::size_t point, RunResults results)>& on_point,
               const std::function<void(std::uint64_t done)>& on_done) {
  for (const Simulator* simulator : simulators)
    if (simulator->engine_)
      throw std::logic_error("replicas run in workers that create their own engine; this "
                             "process already has one");
#ifdef BASKETS_ASAN
  // Built with ASan, one thread forks the workers whatever was asked: GCC 12's ASan runtime does
  // not hold its allocator's locks across fork() (glibc's malloc does), so a worker forked while
  // another thread of this process allocates inherits a held lock and hangs at its first
  // allocation (2 runs in 5 at -j 2). Results do not depend on the number of threads.
  const unsigned threads = 1;
#else
  const unsigned threads =
      options.threads > 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
#endif
  const std::uint64_t count = options.count;
  const std::size_t points = simulators.size();

  // Batches are planned over all (point, replica) pairs as one sequence, point after point, and
  // cut where a point ends: a worker's engine belongs to one scenario.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> batches;
  for (const auto& [begin, end] : plan_batches(count * points, threads, options.batch)) {
    for (std::uint64_t b = begin; b < end;) {
      const std::uint64_t point_end = (b / count + 1) * count;
      batches.emplace_back(b, std::min(end, point_end));
      b = batches.back().second;
    }
  }

  // One pointer per replica, filled as results arrive: storage for results not yet computed
  // would be zeroed up front, and zeroing hundreds of megabytes for a million replicas delayed
  // the first worker by a second (and enlarged every fork's page tables).
  std::vector<std::unique_ptr<Received>> outcomes(count * points);
  std::vector<std::unique_ptr<ReplicaFailure>> failed(count * points);
  std::vector<std::atomic<std::uint64_t>> unfinished(points);
  for (std::atomic<std::uint64_t>& left : unfinished)
    left = count;
  std::vector<bool> reported(points, false);
  std::mutex report_mutex;
  std::atomic<std::uint64_t> done{0};

  // The results of one point, in replica order, moved out of the shared arrays.
  const auto gather = [&](std::size_t point) {
    RunResults results;
    results.interrupted_by = interruption::requested();
    for (std::uint64_t i = point * count; i < (point + 1) * count; ++i) {
      if (outcomes[i]) {
        results.completed.push_back(std::move(outcomes[i]->result));
        if (outcomes[i]->series)
          results.series.push_back(std::move(*outcomes[i]->series));
        outcomes[i].reset();
      }
      if (failed[i])
        results.failures.push_back(std::move(*failed[i]));
    }
    return results;
  };
  const auto finished_one = [&](std::size_t point) {
    if (on_done)
      on_done(++done);
    if (--unfinished[point] == 0) {
      const std::lock_guard lock(report_mutex);
      reported[point] = true;
      on_point(point, gather(point));
    }
  };

  // Runs the replicas [begin, end) of one point in as few workers as possible: a new worker takes
  // over after a crash (the crashed replica is reported) or when a worker's engine runs out of
  // slots.
  const auto run_batch = [&](std::size_t point, std::uint64_t begin, std::uint64_t end) {
    const Simulator& simulator = *simulators[point];
    const Expected expected{simulator.scenario_.strategies.size(),
                            provider_names(simulator.scenario_).size(), options.series};
    const std::uint64_t slot_in_outcomes = point * count;
    while (begin < end && interruption::requested() == 0) {
      std::array<int, 2> pipe_ends{};
      pid_t child = -1;
      {
        const std::lock_guard lock(fork_mutex);
        if (::pipe(pipe_ends.data()) != 0)
          throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
        child = ::fork();
        if (child > 0 || child < 0)
          ::close(pipe_ends[1]);
      }
      if (child < 0) {
        ::close(pipe_ends[0]);
        throw std::runtime_error(fmt::format("cannot fork a worker: {}", std::strerror(errno)));
      }
      if (child == 0) {
        interruption::reset_in_worker();
        ::close(pipe_ends[0]);
        const Platform& platform = simulator.engine_platform();
        std::size_t slot = 0;
        for (std::uint64_t r = begin; r < end && slot < simulator.slots_.capacity(); ++r, ++slot) {
          if (options.crash_replica && *options.crash_replica == options.first + r)
            ::raise(options.crash_signal);
          ReplicaOutcome outcome =
              run_replica(platform, options.seed, options.first + r, simulator.slots_.origin(slot),
                          nullptr, options.series);
          send_result(pipe_ends[1], outcome);
        }
        ::close(pipe_ends[1]);
        ::_exit(0); // no destructors or exit handlers: the parent owns the engine
      }

      interruption::register_worker(child);
      const std::uint64_t started_at = begin;
      std::string mismatch;
      while (auto received = receive_result(pipe_ends[0], expected, mismatch)) {
        const std::uint64_t index = received->result.replica - options.first;
        outcomes[slot_in_outcomes + index] = std::make_unique<Received>(std::move(*received));
        begin = index + 1;
        finished_one(point);
      }
      ::close(pipe_ends[0]);
      if (!mismatch.empty()) // what it would send next cannot be read: no use waiting for it
        ::kill(child, SIGKILL);
      int status = 0;
      while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
      }
      interruption::unregister_worker(child);
      if (!mismatch.empty())
        throw std::logic_error(mismatch);
      if (interruption::requested() != 0)
        return; // killed on purpose: not a failure
      const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
      if (clean && begin == started_at && begin < end)
        throw std::logic_error("a worker ended cleanly without running any replica");
      if (!clean && begin < end) {
        failed[slot_in_outcomes + begin] = std::make_unique<ReplicaFailure>(
            ReplicaFailure{options.first + begin, options.seed, describe_status(status)});
        ++begin;
        finished_one(point);
      }
    }
  };

  // Workers spend their time in other processes; a thread only waits on a pipe, so more threads
  // than cores is legitimate when asked for.
  const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena arena(static_cast<int>(threads));
  // One task per thread, each taking the next batch in order until none is left: guided batch
  // sizes only pay off if the large batches go first.
  std::atomic<std::size_t> next_batch{0};
  arena.execute([&] {
    tbb::task_group tasks;
    for (unsigned t = 0; t < threads; ++t)
      tasks.run([&] {
        for (std::size_t b = next_batch++; b < batches.size(); b = next_batch++) {
          const std::size_t point = batches[b].first / count;
          run_batch(point, batches[b].first - point * count, batches[b].second - point * count);
        }
      });
    tasks.wait();
  });

  // Points cut short by an interruption report what they have.
  for (std::size_t point = 0; point < points; ++point)
    if (!reported[point])
      on_point(point, gather(point));
  return interruption::requested();
}

} // namespace baskets
