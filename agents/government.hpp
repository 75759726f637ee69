// The government: acts on providers, jurisdictions, licences and chips at random times. Its
// tension moves between calm, tense and crisis (a Markov chain); the state multiplies the rate
// of every action and sets the chance that an action aimed at one provider hits every provider
// of that provider's jurisdiction at once (common-mode failure). An action in force is lifted
// by the government's own actor when its duration is over: it waits for whichever comes first,
// the next arrival or the next end of an action (no actor per action, whose creation and end
// cost more than the rest of a small replica's events).
//
// All of a government's randomness comes from its own stream, so buyers and strategies never
// shift it: every strategy faces the same history of cutoffs in a replica.
#pragma once

#include "sim/messages.hpp"
#include "sim/platform.hpp"
#include "sim/random_stream.hpp"
#include "sim/replica_context.hpp"

#include <simgrid/s4u/Host.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace baskets {

enum class TargetKind {
  provider,
  open_lab,
  buyers_hardware, // a jurisdiction's buyers' own hardware: only chip export controls reach it
};

// Who can receive a government's orders: a hyperscaler's service, an open lab, or the buyers' own
// hardware of a jurisdiction. The government applies an order itself, at once: a cutoff is a
// platform event that the government causes (DESIGN.md), not a request that its target handles
// later, and a message and a wake-up of the target per order were most of a small replica's cost
// (bench/README.md).
struct OrderTarget {
  std::string name;
  std::function<void(const Order&)> apply;
  int jurisdiction = 0;
  TargetKind kind = TargetKind::provider;
};

class GovernmentAgent {
public:
  GovernmentAgent(const Platform& platform, int index, const ReplicaContext& replica,
                  RandomStream stream, std::vector<OrderTarget> targets);

  void run(); // the actor's body
  TensionLevel tension() const { return tension_; }

private:
  struct Action {
    const GovernmentAction* spec;
    int target = -1; // index into targets_, or -1 when the action aims at a jurisdiction
    int target_jurisdiction = -1;
    int against = -1;
  };

  // An action in force, to be lifted at `until`; `sequence` orders equal times by firing order.
  struct Lift {
    double until;
    std::uint64_t sequence;
    std::size_t action;
    std::vector<int> hit;
    Order order;
    bool operator>(const Lift& other) const {
      return until != other.until ? until > other.until : sequence > other.sequence;
    }
  };

  void fire(std::size_t action);
  // Lifts, in time order, every action in force whose end comes before `time`.
  void lift_before(double time);
  std::vector<int> hit_targets(const Action& action);
  double draw_duration(const DurationSpec& spec);
  std::string describe(const GovernmentAction& spec) const;
  std::string names_of(const std::vector<int>& hit) const;

  const Government& spec_;
  const ReplicaContext& replica_;
  RandomStream stream_;
  std::vector<OrderTarget> targets_;
  std::vector<Action> actions_;
  std::vector<std::vector<bool>> in_force_; // [action][target]
  std::vector<Lift> lifts_;                 // a min-heap on (until, sequence)
  std::uint64_t fired_ = 0;
  TensionLevel tension_;
  simgrid::s4u::Host* office_;
};

} // namespace baskets
