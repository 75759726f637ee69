#include "outputs/untrusted_file.hpp"

#include "sim/fd_io.hpp"

#include <fmt/format.h>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <exception>
#include <stdexcept>

namespace baskets {

std::string read_untrusted(const std::string& path, const std::function<std::string()>& read,
                           unsigned seconds) {
  std::array<int, 2> pipe_ends{};
  if (::pipe(pipe_ends.data()) != 0)
    throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  const pid_t child = ::fork();
  if (child < 0)
    throw std::runtime_error(fmt::format("cannot fork to read {}: {}", path, std::strerror(errno)));
  if (child == 0) {
    ::close(pipe_ends[0]);
    // One byte says which follows: the result, or the error's message.
    int status = 0;
    try {
      const std::string result = read();
      // A parent that gave up reads nothing more: failed writes have no one to tell.
      write_all(pipe_ends[1], "R", 1);
      write_all(pipe_ends[1], result.data(), result.size());
    } catch (const std::exception& error) {
      const std::string message = error.what();
      write_all(pipe_ends[1], "E", 1);
      write_all(pipe_ends[1], message.data(), message.size());
      status = 1;
    }
    ::_exit(status); // no destructors: they belong to the parent
  }
  ::close(pipe_ends[1]);

  // Read while the child writes (a large result would fill the pipe), until it closes its end or
  // the time is up.
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  bool timed_out = false;
  for (std::array<char, 65536> buffer{};;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd ready{pipe_ends[0], POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno == EINTR)
      continue;
    if (polled == 0) {
      timed_out = true;
      break;
    }
    const ssize_t n = ::read(pipe_ends[0], buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break; // the child closed its end: it has ended or is ending
    received.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(pipe_ends[0]);
  if (timed_out)
    ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    throw std::runtime_error(fmt::format(
        "{}: reading it did not finish within {} s: the file is damaged", path, seconds));
  if (WIFSIGNALED(status))
    throw std::runtime_error(fmt::format("{}: the file is damaged: reading it crashed the HDF5 "
                                         "library (signal {}, {})",
                                         path, WTERMSIG(status), ::strsignal(WTERMSIG(status))));
  if (received.empty() || !WIFEXITED(status))
    throw std::runtime_error(fmt::format("{}: reading it failed", path));
  if (received.front() == 'E' || WEXITSTATUS(status) != 0)
    throw std::runtime_error(received.substr(1));
  return received.substr(1);
}

} // namespace baskets
