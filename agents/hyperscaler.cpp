#include "agents/hyperscaler.hpp"

#include <simgrid/Exception.hpp>

namespace baskets {

void run_hyperscaler(Provider& service, const ReplicaClock& clock) {
  while (!clock.ended()) {
    try {
      const auto order = service.orders()->get_unique<Order>(clock.horizon - clock.now());
      service.apply(*order);
    } catch (const simgrid::TimeoutException&) {
      break; // the replica's horizon
    }
  }
}

} // namespace baskets
