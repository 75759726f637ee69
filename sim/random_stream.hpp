// Reproducible random streams. A stream is named by (scenario seed, purpose, entity, replica) and
// nothing else: not the thread, worker or batch that runs the replica. Philox (a counter-based
// generator) makes any stream directly addressable: the key is (seed, purpose), the counter is
// (draw, replica, entity), so streams never overlap and need no skip-ahead.
#pragma once

#include <Random123/conventional/Engine.hpp>
#include <Random123/philox.h>

#include <cstdint>

namespace baskets {

// What a stream is for. Each agent draws from its own stream, so that adding a buyer, a lab or an
// action never shifts the draws another agent sees (common random numbers across strategies).
enum class StreamPurpose : std::uint64_t {
  government = 1, // tension changes, action arrivals, targets, durations
  open_lab = 2,   // licence restrictions of releases
  test = 99,      // reserved for tests
  sweep_design = 3,
};

class RandomStream {
public:
  using engine_type = r123::Engine<r123::Philox4x64>;

  RandomStream(std::uint64_t seed, StreamPurpose purpose, std::uint64_t entity,
               std::uint64_t replica);

  double uniform01();              // in [0, 1)
  double exponential(double rate); // mean 1 / rate; rate > 0
  double lognormal(double mean, double sigma_of_log);
  bool bernoulli(double probability);
  // Index drawn with probability proportional to weights[i] (all >= 0, sum > 0).
  std::size_t pick(const double* weights, std::size_t count);

  engine_type& engine() { return engine_; }

private:
  engine_type engine_;
};

} // namespace baskets
