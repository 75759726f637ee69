#include "agents/hyperscaler.hpp"

#include <simgrid/Exception.hpp>

namespace baskets {

void run_hyperscaler(Provider& service, const ReplicaContext& replica) {
  while (!replica.ended()) {
    try {
      ++replica.counts.waits;
      const auto order = service.orders()->get_unique<Order>(replica.horizon - replica.now());
      service.apply(*order);
    } catch (const simgrid::TimeoutException&) {
      break; // the replica's horizon
    }
  }
}

} // namespace baskets
