// Where on the engine's clock each replica of one process runs.
//
// SimGrid's clock never restarts, and floating-point time rounds differently at different
// magnitudes. All replicas therefore start inside one binade of the clock, [2^30, 2^31) days,
// at multiples of a power-of-two period: there, every date is on the same grid (2^-22 days,
// a twentieth of a second), differences of dates are exact, and a replica computes bit for bit
// the same results in whichever slot it runs. So results never depend on how replicas are
// grouped into workers, batches, threads or shards.
#pragma once

#include <cmath>
#include <cstddef>
#include <stdexcept>

namespace baskets {

class ReplicaSlots {
public:
  static constexpr double first_origin = 1073741824.0; // 2^30 days

  explicit ReplicaSlots(double horizon_days) {
    if (!(horizon_days > 0.0) || horizon_days > first_origin / 2)
      throw std::invalid_argument("the horizon must be positive and at most 2^29 days");
    period_ = std::exp2(std::ceil(std::log2(horizon_days)));
  }

  double origin(std::size_t slot) const {
    return first_origin + static_cast<double>(slot) * period_;
  }
  // How many replicas one engine can run before leaving the binade.
  std::size_t capacity() const { return static_cast<std::size_t>(first_origin / period_); }

private:
  double period_;
};

} // namespace baskets
