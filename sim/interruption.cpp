#include "sim/interruption.hpp"

#include <array>
#include <atomic>
#include <csignal>

namespace baskets::interruption {

namespace {

constexpr std::size_t max_workers = 4096; // the -j limit
std::atomic<int> signal_received{0};
std::array<std::atomic<pid_t>, max_workers> workers{};

void on_signal(int signal) {
  signal_received.store(signal);
  for (auto& worker : workers) {
    const pid_t pid = worker.load();
    if (pid > 0)
      ::kill(pid, SIGKILL);
  }
}

} // namespace

void install() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

int requested() {
  return signal_received.load();
}

void register_worker(pid_t worker) {
  for (auto& slot : workers) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, worker))
      break;
  }
  // The handler may have run between the fork and the registration.
  if (requested() != 0)
    ::kill(worker, SIGKILL);
}

void unregister_worker(pid_t worker) {
  for (auto& slot : workers) {
    pid_t expected = worker;
    if (slot.compare_exchange_strong(expected, 0))
      return;
  }
}

void reset_in_worker() {
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGTERM, SIG_DFL);
}

} // namespace baskets::interruption
