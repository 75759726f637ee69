#include "sim/progress.hpp"

#include <fmt/core.h>

#include <unistd.h>

namespace baskets {

namespace {
constexpr auto terminal_interval = std::chrono::milliseconds(100);
constexpr auto plain_interval = std::chrono::seconds(10);
} // namespace

Progress::Mode Progress::mode_for(std::FILE* stream, bool quiet) {
  if (quiet)
    return Mode::quiet;
  return ::isatty(::fileno(stream)) ? Mode::terminal : Mode::plain;
}

Progress::Progress(std::uint64_t total, Mode mode, std::FILE* stream)
    : total_(total), mode_(mode), stream_(stream) {}

Progress::~Progress() {
  finish();
}

void Progress::update(std::uint64_t done) {
  if (mode_ == Mode::quiet)
    return;
  const std::lock_guard lock(mutex_);
  done += offset_;
  last_done_ = std::max(last_done_, done);
  const auto now = clock::now();
  if (now - last_print_ < (mode_ == Mode::terminal ? terminal_interval : plain_interval))
    return;
  last_print_ = now;
  print(last_done_, false);
}

void Progress::extend(std::uint64_t total) {
  const std::lock_guard lock(mutex_);
  offset_ = last_done_;
  total_ = total;
}

void Progress::finish() {
  if (mode_ == Mode::quiet || finished_)
    return;
  const std::lock_guard lock(mutex_);
  finished_ = true;
  print(last_done_, true);
}

void Progress::print(std::uint64_t done, bool final) {
  const double seconds = std::chrono::duration<double>(clock::now() - start_).count();
  const double rate = seconds > 0.0 ? static_cast<double>(done) / seconds : 0.0;
  const double left =
      rate > 0.0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0.0;
  const std::string line = final ? fmt::format("{}/{} replicas in {:.1f} s ({:.1f} replicas/s)",
                                               done, total_, seconds, rate)
                                 : fmt::format("{}/{} replicas, {:.1f} replicas/s, {:.0f} s left",
                                               done, total_, rate, left);
  if (mode_ == Mode::terminal)
    fmt::print(stream_, "\r\033[K{}{}", line, final ? "\n" : "");
  else
    fmt::print(stream_, "{}\n", line);
  std::fflush(stream_);
}

} // namespace baskets
