// The hyperscaler: a closed-model provider selling API access from its home jurisdiction. As an
// actor it waits on its order mailbox and applies what governments decide to its service; with
// an investment plan, it also wakes to review its utilisation and to bring new capacity into
// service.
#pragma once

#include "agents/provider.hpp"

namespace baskets {

void run_hyperscaler(Provider& service, const ReplicaContext& replica);

} // namespace baskets
