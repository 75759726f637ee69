// Time inside one replica. SimGrid's clock does not restart between replicas run by one engine,
// so every agent measures time from the replica's own start.
#pragma once

#include <simgrid/s4u/Engine.hpp>

namespace baskets {

struct ReplicaClock {
  double origin = 0.0;  // engine time at the replica's start
  double horizon = 0.0; // days

  double now() const { return simgrid::s4u::Engine::get_clock() - origin; }
  double to_engine(double day) const { return origin + day; }
  bool ended() const { return now() >= horizon; }
};

} // namespace baskets
