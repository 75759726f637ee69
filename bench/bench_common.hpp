// What the benchmark programs share: a clock, medians, tables, and running a piece of work in a
// child process.
//
// SimGrid allows one engine per process, and Simulator::run refuses to start in a process that
// already has one. A benchmark that needs a fresh engine (a replica run in process, a bare SimGrid
// program) therefore forks a child, runs the work there and reads its figures back through a
// pipe; the benchmark's own process never creates an engine.
#pragma once

#include "sim/fd_io.hpp"

#include <fmt/core.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace baskets::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Times one call of `work`, in seconds.
template <typename Work> double time_of(Work&& work) {
  const Clock::time_point start = Clock::now();
  std::forward<Work>(work)();
  return seconds_since(start);
}

inline double median(std::vector<double> values) {
  if (values.empty())
    throw std::invalid_argument("median of no values");
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

inline double minimum(const std::vector<double>& values) {
  return *std::min_element(values.begin(), values.end());
}

inline double maximum(const std::vector<double>& values) {
  return *std::max_element(values.begin(), values.end());
}

// Worker processes are forked while this process may hold unwritten output, which each child
// would write again: stdout is line-buffered so that nothing is pending at a fork.
inline void line_buffered_stdout() {
  std::setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);
}

// CPU time used by other processes while a benchmark ran: the machine's busy time (from
// /proc/stat) less this process's and its reaped children's. Stop it after every child has been
// waited for.
class ForeignLoad {
public:
  ForeignLoad() : machine_(machine_busy_seconds()), own_(own_seconds()), start_(Clock::now()) {}

  // Other processes' CPU seconds, and their share of the machine's capacity meanwhile.
  std::string describe() const {
    const double foreign =
        std::max(0.0, machine_busy_seconds() - machine_ - (own_seconds() - own_));
    const double capacity = seconds_since(start_) * std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
    return fmt::format("other processes used {:.1f} CPU-seconds while it ran ({:.0f}% of the "
                       "machine; above a few % the figures are inflated)",
                       foreign, 100.0 * foreign / capacity);
  }

private:
  static double machine_busy_seconds() {
    std::FILE* file = std::fopen("/proc/stat", "r");
    if (file == nullptr)
      return 0.0;
    unsigned long long v[8] = {};
    const int read = std::fscanf(file, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
                                 &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    std::fclose(file);
    if (read < 8)
      return 0.0;
    // user nice system (idle iowait) irq softirq steal
    const unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    return static_cast<double>(busy) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  static double own_seconds() {
    const auto seconds = [](const timeval& t) {
      return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
    };
    rusage self{}, children{};
    ::getrusage(RUSAGE_SELF, &self);
    ::getrusage(RUSAGE_CHILDREN, &children);
    return seconds(self.ru_utime) + seconds(self.ru_stime) + seconds(children.ru_utime) +
           seconds(children.ru_stime);
  }

  double machine_;
  double own_;
  Clock::time_point start_;
};

// The default location of a shipped file, relative to the source tree this program was built
// from.
inline std::string source_file(const std::string& relative) {
  return std::string(BASKETS_SOURCE_DIR) + "/" + relative;
}

// Runs `work` in `count` children forked at once (they run side by side) and returns the numbers
// each produced, in order. Each child leaves with _exit: its engine is never destroyed (SimGrid
// does not expect it), and no exit handler of the parent runs twice. Throws if a child fails.
inline std::vector<std::vector<double>>
in_children(int count, const std::function<std::vector<double>()>& work) {
  struct Child {
    pid_t pid;
    int pipe;
  };
  std::vector<Child> children;
  for (int c = 0; c < count; ++c) {
    int ends[2];
    if (::pipe(ends) != 0)
      throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    const pid_t pid = ::fork();
    if (pid < 0)
      throw std::runtime_error(fmt::format("cannot fork: {}", std::strerror(errno)));
    if (pid == 0) {
      ::close(ends[0]);
      for (const Child& sibling : children)
        ::close(sibling.pipe);
      int status = 0;
      try {
        const std::vector<double> values = work();
        const std::uint64_t size = values.size();
        write_all(ends[1], &size, sizeof size);
        write_all(ends[1], values.data(), sizeof(double) * values.size());
      } catch (const std::exception& error) {
        fmt::print(stderr, "benchmark child: {}\n", error.what());
        status = 1;
      }
      ::close(ends[1]);
      std::fflush(stdout);
      std::fflush(stderr);
      ::_exit(status);
    }
    ::close(ends[1]);
    children.push_back({pid, ends[0]});
  }
  std::vector<std::vector<double>> results;
  bool failed = false;
  for (const Child& child : children) {
    std::uint64_t size = 0;
    std::vector<double> values;
    bool complete = read_all(child.pipe, &size, sizeof size);
    if (complete) {
      values.resize(size);
      complete = read_all(child.pipe, values.data(), sizeof(double) * size);
    }
    ::close(child.pipe);
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    failed = failed || !complete || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    results.push_back(std::move(values));
  }
  if (failed)
    throw std::runtime_error("a benchmark child process failed");
  return results;
}

// Runs `work` in one forked child and returns the numbers it produced.
inline std::vector<double> in_child(const std::function<std::vector<double>()>& work) {
  return in_children(1, work).front();
}

} // namespace baskets::bench
