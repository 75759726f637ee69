// Ctrl-C and SIGTERM during a run. The handler records the signal and kills the live worker
// processes (both async-signal-safe), so the run stops at once and keeps every replica that had
// completed; what to do with them (write a partial results file) is the caller's decision.
//
// Workers ignore SIGINT themselves: a Ctrl-C reaches the whole foreground process group, and the
// parent, not each worker, decides what an interruption means.
#pragma once

#include <sys/types.h>

namespace baskets::interruption {

// Installs the SIGINT and SIGTERM handlers (for the rest of the process's life).
void install();
// The signal that interrupted the run, or 0.
int requested();
// Live worker processes, killed on interruption. Registering after an interruption kills the
// worker at once.
void register_worker(pid_t worker);
void unregister_worker(pid_t worker);
// In a freshly forked worker: ignore SIGINT, die on SIGTERM.
void reset_in_worker();

} // namespace baskets::interruption
