// The chip export controls in force on one target: a provider's data centre, or the buyers' own
// hardware of one jurisdiction. Controls may overlap (several actions, several governments); the
// tightest of each kind binds (docs/market.md).
#pragma once

#include "sim/messages.hpp"

#include <algorithm>
#include <optional>
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
  double capacity_factor() const { return tightest(&Control::capacity_factor); }
  // The lead time of an order of new capacity that takes `base` days without a control: the
  // tightest control's growth factor divides it, and a factor of 0 forbids the order (nullopt).
  std::optional<double> lead_time(double base) const {
    const double growth = tightest(&Control::growth_factor);
    if (!(growth > 0.0))
      return std::nullopt;
    return base / growth;
  }

private:
  struct Control {
    double capacity_factor;
    double growth_factor;
    friend bool operator==(const Control&, const Control&) = default;
  };

  // The smallest of one factor over the controls in force (1 with none).
  double tightest(double Control::*factor) const {
    double smallest = 1.0;
    for (const Control& control : in_force_)
      smallest = std::min(smallest, control.*factor);
    return smallest;
  }

  std::vector<Control> in_force_;
};

} // namespace baskets
