#include "sim/monte_carlo.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/core.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace baskets {

namespace {

bool engine_exists = false;

std::unique_ptr<simgrid::s4u::Engine> make_engine() {
  if (engine_exists)
    throw std::logic_error("SimGrid allows one engine per process; this one already has one");
  engine_exists = true;
  // SimGrid reads its settings from the command line; this one is the program's own. Only
  // SimGrid's errors are worth showing to a user of this program.
  static std::array<char*, 3> argv{const_cast<char*>("baskets"),
                                   const_cast<char*>("--log=root.thresh:error"), nullptr};
  static int argc = 2;
  return std::make_unique<simgrid::s4u::Engine>(&argc, argv.data());
}

void write_all(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, bytes, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      ::_exit(3);
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
}

bool read_all(int fd, void* data, std::size_t size) {
  auto* bytes = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, bytes, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

std::string describe_status(int status) {
  if (WIFSIGNALED(status))
    return fmt::format("killed by signal {} ({})", WTERMSIG(status), ::strsignal(WTERMSIG(status)));
  return fmt::format("exited with status {}", WEXITSTATUS(status));
}

} // namespace

ReplicaFailure::ReplicaFailure(std::uint64_t replica, std::uint64_t seed, const std::string& why)
    : std::runtime_error(fmt::format("replica {} (seed {}) failed: {}", replica, seed, why)),
      replica_(replica), seed_(seed) {}

Simulator::Simulator(Scenario scenario)
    : scenario_(std::move(scenario)), engine_(make_engine()), platform_(build_platform(scenario_)) {
}

ReplicaOutcome Simulator::run_replica(std::uint64_t seed, std::uint64_t replica) const {
  return baskets::run_replica(platform_, seed, replica);
}

ReplicaResult Simulator::run_isolated(std::uint64_t seed, std::uint64_t replica) const {
  // The child inherits this process's engine before it ever ran: its clock is at 0, exactly as
  // for every other replica, so results do not depend on which replicas ran before.
  std::array<int, 2> pipe_ends{};
  if (::pipe(pipe_ends.data()) != 0)
    throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(pipe_ends[0]);
    ::close(pipe_ends[1]);
    throw std::runtime_error(fmt::format("cannot fork: {}", std::strerror(errno)));
  }
  if (child == 0) {
    ::close(pipe_ends[0]);
    const ReplicaResult result = baskets::run_replica(platform_, seed, replica).result;
    for (const StrategyMetrics& m : result.strategies)
      write_all(pipe_ends[1], m.values.data(), sizeof(double) * metric_count);
    ::close(pipe_ends[1]);
    ::_exit(0); // no destructors or exit handlers: the parent owns the engine
  }
  ::close(pipe_ends[1]);
  ReplicaResult result{replica, std::vector<StrategyMetrics>(scenario_.strategies.size())};
  bool complete = true;
  for (StrategyMetrics& m : result.strategies)
    complete = complete && read_all(pipe_ends[0], m.values.data(), sizeof(double) * metric_count);
  ::close(pipe_ends[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!complete || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw ReplicaFailure(replica, seed, describe_status(status));
  return result;
}

std::vector<ReplicaResult>
Simulator::run_replicas(std::uint64_t seed, std::uint64_t first, std::uint64_t count,
                        const std::function<void(std::uint64_t)>& on_done) const {
  std::vector<ReplicaResult> results;
  results.reserve(count);
  for (std::uint64_t r = first; r < first + count; ++r) {
    results.push_back(run_isolated(seed, r));
    if (on_done)
      on_done(r - first + 1);
  }
  return results;
}

} // namespace baskets
