// The open-source lab: releases open weights on a cadence, each with the frontier quality of
// `lag_days` earlier. A release's licence may exclude jurisdictions, by the lab's own policy
// (at random) or because a government restricted the next release; a jurisdiction that a
// government blocks the lab from serving cannot download while the block lasts. Weights already
// downloaded keep working whatever happens later: only future releases can be withheld. A lab
// may also host its models as an API, which governments can cut like any provider's.
#pragma once

#include "agents/provider.hpp"
#include "sim/random_stream.hpp"

#include <vector>

namespace baskets {

struct Release {
  double day = 0.0;           // when it was published
  double quality_day = 0.0;   // the frontier day whose quality it has
  std::vector<bool> excluded; // by jurisdiction
};

class OpenLabAgent {
public:
  OpenLabAgent(const Platform& platform, int index, const ReplicaContext& replica,
               RandomStream stream, Provider* hosted_api);

  simgrid::s4u::Host* office() const { return office_; }
  int jurisdiction() const { return jurisdiction_; }
  const std::string& name() const { return lab_.name; }

  // The release in force when the replica starts (published on day 0); decided before the
  // actors start so that buyers begin the replica already holding it.
  Release first_release();
  void subscribe(Channel<Notice>* inbox) { subscribers_.push_back(inbox); }

  // The actor's body: releases on the cadence.
  void run();
  // A government's order, applied at once by the government's actor.
  void apply(const Order& order);

private:
  Release publish(double day);
  std::string excluded_names(const Release& release) const;

  const OpenLab& lab_;
  int index_;
  int jurisdiction_;
  const ReplicaContext& replica_;
  RandomStream stream_;
  Provider* hosted_api_; // owned by the replica; null when the lab hosts no API
  simgrid::s4u::Host* office_;
  const std::vector<Jurisdiction>& scenario_jurisdictions_;
  std::vector<Channel<Notice>*> subscribers_;
  std::vector<bool> restricted_next_; // government restrictions of the next release
  std::vector<int> blocks_;
  std::vector<int> policy_excluded_; // jurisdictions the licence policy may exclude
};

} // namespace baskets
