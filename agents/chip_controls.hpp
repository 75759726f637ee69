// The chip export controls in force on one target: a provider's data centre, or the buyers' own
// hardware of one jurisdiction. Controls may overlap (several actions, several governments); the
// tightest of each kind binds (docs/market.md).
#pragma once

#include "sim/messages.hpp"

#include <algorithm>
#include <vector>

namespace baskets {

class ChipControls {
public:
  // restrict_capacity adds a control; lift_capacity removes one with the same factors.
  void apply(const Order& order) {
    if (order.kind == OrderKind::restrict_capacity) {
      in_force_.push_back({order.factor, order.growth});
    } else if (order.kind == OrderKind::lift_capacity) {
      const auto it =
          std::find(in_force_.begin(), in_force_.end(), Control{order.factor, order.growth});
      if (it != in_force_.end())
        in_force_.erase(it);
    }
  }
  // The share of its capacity a target keeps (1 with no control).
  double capacity_factor() const {
    double tightest = 1.0;
    for (const Control& control : in_force_)
      tightest = std::min(tightest, control.capacity_factor);
    return tightest;
  }
  // The rate at which it can get new capacity: an order's lead time is divided by it, and 0
  // forbids orders (1 with no control).
  double growth_factor() const {
    double tightest = 1.0;
    for (const Control& control : in_force_)
      tightest = std::min(tightest, control.growth_factor);
    return tightest;
  }

private:
  struct Control {
    double capacity_factor;
    double growth_factor;
    friend bool operator==(const Control&, const Control&) = default;
  };
  std::vector<Control> in_force_;
};

} // namespace baskets
