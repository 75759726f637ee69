#include "outputs/untrusted_file.hpp"

#include <fmt/format.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <thread>

namespace baskets {

void read_untrusted(const std::string& path, const std::function<void()>& read, unsigned seconds) {
  std::array<int, 2> pipe_ends{};
  if (::pipe(pipe_ends.data()) != 0)
    throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  const pid_t child = ::fork();
  if (child < 0)
    throw std::runtime_error(fmt::format("cannot fork to read {}: {}", path, std::strerror(errno)));
  if (child == 0) {
    ::close(pipe_ends[0]);
    int status = 0;
    try {
      read();
    } catch (const std::exception& error) {
      const std::string message = error.what();
      [[maybe_unused]] const auto written = ::write(pipe_ends[1], message.data(), message.size());
      status = 1;
    }
    ::_exit(status); // no destructors: they belong to the parent
  }
  ::close(pipe_ends[1]);

  // Polled rather than blocked on, so that a hang has an end.
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  pid_t done = 0;
  while ((done = ::waitpid(child, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (done == 0) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    ::close(pipe_ends[0]);
    throw std::runtime_error(fmt::format(
        "{}: reading it did not finish within {} s: the file is damaged", path, seconds));
  }
  std::string message;
  std::array<char, 4096> buffer{};
  for (ssize_t n = 0; (n = ::read(pipe_ends[0], buffer.data(), buffer.size())) > 0;)
    message.append(buffer.data(), static_cast<std::size_t>(n));
  ::close(pipe_ends[0]);
  if (WIFSIGNALED(status))
    throw std::runtime_error(fmt::format("{}: the file is damaged: reading it crashed the HDF5 "
                                         "library (signal {}, {})",
                                         path, WTERMSIG(status), ::strsignal(WTERMSIG(status))));
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    throw std::runtime_error(message.empty() ? fmt::format("{}: reading it failed (status {})",
                                                           path, WEXITSTATUS(status))
                                             : message);
}

} // namespace baskets
