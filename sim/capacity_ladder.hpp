// The capacities a host can take during a replica, as SimGrid pstates. SimGrid cannot change a
// sealed host's speed, but it switches pstates at run time and re-shares the running executions
// at the new speed, and its energy plugin knows a power draw per pstate. So every capacity a data
// centre or a buyer's site can reach is laid out as a pstate when the platform is built, and a
// capacity change (an investment delivered, a chip export control) is a pstate switch.
#pragma once

#include <cstddef>
#include <vector>

namespace baskets {

// A provider's data centre: `levels` capacities (the initial one, then one more step per
// delivered investment), each at every chip-control factor (1 first). pstate = level x factors
// + factor index.
struct DatacenterLadder {
  double initial = 0.0;        // work units per day
  double step = 0.0;           // work units per day added per delivered order
  int levels = 1;              // 1 + the most orders it may place
  std::vector<double> factors; // 1, then the chip controls' capacity factors

  std::size_t pstates() const { return static_cast<std::size_t>(levels) * factors.size(); }
  std::size_t pstate(int level, std::size_t factor) const {
    return static_cast<std::size_t>(level) * factors.size() + factor;
  }
  double installed(int level) const { return initial + level * step; }
  double speed(std::size_t pstate) const {
    return installed(static_cast<int>(pstate / factors.size())) * factors[pstate % factors.size()];
  }
  // Every pstate's speed, in pstate order: the host's speeds when the platform is built.
  std::vector<double> capacities() const {
    std::vector<double> all;
    for (std::size_t p = 0; p < pstates(); ++p)
      all.push_back(speed(p));
    return all;
  }
};

// A buyer's site: its initial hardware (usable once delivered) plus `k` delivered expansions of
// `step` each. pstate = 2k + (initial delivered ? 1 : 0). A site with no usable hardware still
// needs a speed: it runs nothing then, at no power.
struct SiteLadder {
  double initial = 0.0;
  double step = 0.0;
  int max_orders = 0;

  std::size_t pstates() const { return 2 * static_cast<std::size_t>(max_orders + 1); }
  std::size_t pstate(bool initial_delivered, int expansions) const {
    return 2 * static_cast<std::size_t>(expansions) + (initial_delivered ? 1 : 0);
  }
  double capacity(std::size_t pstate) const {
    return ((pstate % 2) != 0 ? initial : 0.0) + static_cast<double>(pstate / 2) * step;
  }
  // Every pstate's capacity, in pstate order: the host's speeds when the platform is built.
  std::vector<double> capacities() const {
    std::vector<double> all;
    for (std::size_t p = 0; p < pstates(); ++p)
      all.push_back(capacity(p));
    return all;
  }
};

} // namespace baskets
