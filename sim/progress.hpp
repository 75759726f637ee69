// Progress of a run on stderr: a line rewritten in place on a terminal, plain periodic lines
// otherwise (a log file, a batch job), nothing when quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>

namespace baskets {

class Progress {
public:
  enum class Mode { terminal, plain, quiet };
  static Mode mode_for(std::FILE* stream, bool quiet);

  Progress(std::uint64_t total, Mode mode, std::FILE* stream = stderr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Thread-safe; `done` counts replicas finished so far.
  void update(std::uint64_t done);
  // Another round of replicas (--target-ci): the total grows.
  void extend(std::uint64_t total);
  void finish();

private:
  void print(std::uint64_t done, bool final);

  using clock = std::chrono::steady_clock;
  std::mutex mutex_;
  std::uint64_t total_;
  std::uint64_t offset_ = 0; // replicas done in earlier rounds
  Mode mode_;
  std::FILE* stream_;
  clock::time_point start_ = clock::now();
  clock::time_point last_print_ = start_;
  std::uint64_t last_done_ = 0;
  bool finished_ = false;
};

} // namespace baskets
