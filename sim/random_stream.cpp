#include "sim/random_stream.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>

namespace baskets {

RandomStream::RandomStream(std::uint64_t seed, StreamPurpose purpose, std::uint64_t entity,
                           std::uint64_t replica)
    : engine_(engine_type::key_type{{seed, static_cast<std::uint64_t>(purpose)}}) {
  // Word 0 counts draws (the engine increments it); the others name the stream.
  engine_.setcounter(engine_type::ctr_type{{0, replica, entity, 0}}, 0);
}

double RandomStream::uniform01() {
  return boost::random::uniform_01<double>{}(engine_);
}

double RandomStream::exponential(double rate) {
  return boost::random::exponential_distribution<double>{rate}(engine_);
}

double RandomStream::lognormal(double mean, double sigma_of_log) {
  // Boost takes the mean and sd of the log; choose the log-mean so that the value itself has the
  // requested mean.
  const double mu = std::log(mean) - 0.5 * sigma_of_log * sigma_of_log;
  return boost::random::lognormal_distribution<double>{mu, sigma_of_log}(engine_);
}

bool RandomStream::bernoulli(double probability) {
  // Always draws, so that the stream stays aligned whatever the probability.
  return uniform01() < probability;
}

std::size_t RandomStream::pick(const double* weights, std::size_t count) {
  double total = 0.0;
  for (std::size_t i = 0; i < count; ++i)
    total += weights[i];
  double u = uniform01() * total;
  for (std::size_t i = 0; i < count; ++i) {
    if (u < weights[i])
      return i;
    u -= weights[i];
  }
  return count - 1; // rounding at the top end
}

} // namespace baskets
