#include "agents/provider_actor.hpp"

#include "sim/messages.hpp"

#include <algorithm>

namespace baskets {

bool needs_actor(const ProviderSpec& spec) {
  return spec.investment.has_value() || spec.pricing.surges();
}

void run_provider(Provider& service, const ReplicaContext& replica) {
  while (!replica.ended()) {
    const double wake = std::min(replica.horizon, service.next_investment_event());
    ++replica.counts.waits;
    if (service.reminders().get_for(wake - replica.now())) {
      service.reprice(replica.now());
      continue;
    }
    if (wake >= replica.horizon)
      break; // the replica's horizon
    service.on_investment_event(wake);
  }
}

} // namespace baskets
