// The hyperscaler: a closed-model provider selling API access from its home jurisdiction.
// Governments act on its service directly (government.hpp); its actor exists for what the
// hyperscaler decides itself: with an investment plan it wakes to review its utilisation and to
// bring new capacity into service, and with a surge price it reprices on its own reminders.
#pragma once

#include "agents/provider.hpp"

namespace baskets {

void run_hyperscaler(Provider& service, const ReplicaContext& replica);

} // namespace baskets
