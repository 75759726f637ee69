#include "agents/hyperscaler.hpp"

#include "sim/messages.hpp"

namespace baskets {

void run_hyperscaler(Provider& service, const ReplicaContext& replica) {
  Inbox<Order> orders(service.orders());
  while (!replica.ended()) {
    ++replica.counts.waits;
    const auto order = orders.get_for(replica.horizon - replica.now());
    if (!order)
      break; // the replica's horizon
    service.apply(*order);
  }
}

} // namespace baskets
