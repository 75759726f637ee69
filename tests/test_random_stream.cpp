#include "sim/random_stream.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using baskets::RandomStream;
using baskets::StreamPurpose;

namespace {

std::vector<double> draws(RandomStream stream, int n) {
  std::vector<double> values;
  for (int i = 0; i < n; ++i)
    values.push_back(stream.uniform01());
  return values;
}

struct Moments {
  double mean;
  double standard_error;
};

template <typename Draw> Moments moments(int n, Draw draw) {
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  const double variance = (sum_sq - n * mean * mean) / (n - 1);
  return {mean, std::sqrt(variance / n)};
}

} // namespace

TEST_CASE("random: a stream is named by seed, purpose, entity and replica only", "[random]") {
  const auto base = draws(RandomStream(42, StreamPurpose::government, 0, 7), 16);
  REQUIRE(base == draws(RandomStream(42, StreamPurpose::government, 0, 7), 16));
  REQUIRE(base != draws(RandomStream(43, StreamPurpose::government, 0, 7), 16));
  REQUIRE(base != draws(RandomStream(42, StreamPurpose::open_lab, 0, 7), 16));
  REQUIRE(base != draws(RandomStream(42, StreamPurpose::government, 1, 7), 16));
  REQUIRE(base != draws(RandomStream(42, StreamPurpose::government, 0, 8), 16));
}

TEST_CASE("random: a replica's stream is reached directly, without drawing the others",
          "[random]") {
  // Replica 1000's stream is the same whether or not replicas 0..999 were drawn before.
  for (std::uint64_t r = 0; r < 1000; ++r)
    draws(RandomStream(5, StreamPurpose::government, 0, r), 3);
  REQUIRE(draws(RandomStream(5, StreamPurpose::government, 0, 1000), 8) ==
          draws(RandomStream(5, StreamPurpose::government, 0, 1000), 8));
}

TEST_CASE("random: distributions have the requested means", "[random]") {
  const int n = 200'000;
  RandomStream stream(1, StreamPurpose::test, 0, 0);

  SECTION("uniform in [0, 1)") {
    const Moments m = moments(n, [&] { return stream.uniform01(); });
    REQUIRE(std::abs(m.mean - 0.5) < 4 * m.standard_error);
  }
  SECTION("exponential with rate 0.05 has mean 20") {
    const Moments m = moments(n, [&] { return stream.exponential(0.05); });
    REQUIRE(std::abs(m.mean - 20.0) < 4 * m.standard_error);
  }
  SECTION("lognormal is parameterised by its own mean") {
    const Moments m = moments(n, [&] { return stream.lognormal(30.0, 0.8); });
    REQUIRE(std::abs(m.mean - 30.0) < 4 * m.standard_error);
  }
  SECTION("bernoulli") {
    const Moments m = moments(n, [&] { return stream.bernoulli(0.3) ? 1.0 : 0.0; });
    REQUIRE(std::abs(m.mean - 0.3) < 4 * m.standard_error);
  }
  SECTION("pick follows the weights") {
    const double weights[] = {1.0, 3.0, 0.0};
    const Moments m = moments(n, [&] { return static_cast<double>(stream.pick(weights, 3)); });
    REQUIRE(std::abs(m.mean - 0.75) < 4 * m.standard_error);
  }
}
