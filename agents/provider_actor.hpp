// A provider's actor: what a hyperscaler, or an open lab's hosted API, decides itself.
// Governments act on its service directly (government.hpp), so a provider has an actor only when
// it has timers of its own: with an investment plan it wakes to review its utilisation and to
// bring new capacity into service, and with a surge price it reprices on its own reminders.
#pragma once

#include "agents/provider.hpp"

namespace baskets {

// Whether the provider has anything for an actor to do.
bool needs_actor(const ProviderSpec& spec);

// The actor's body, run on the provider's office host.
void run_provider(Provider& service, const ReplicaContext& replica);

} // namespace baskets
