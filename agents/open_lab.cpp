#include "agents/open_lab.hpp"

#include <algorithm>

namespace baskets {

OpenLabAgent::OpenLabAgent(const Platform& platform, int index, const ReplicaContext& replica,
                           RandomStream stream, Provider* hosted_api)
    : lab_(platform.scenario->open_labs[static_cast<std::size_t>(index)]), index_(index),
      jurisdiction_(platform.jurisdiction_index(lab_.jurisdiction)), replica_(replica),
      stream_(stream), hosted_api_(hosted_api),
      office_(platform.lab_offices[static_cast<std::size_t>(index)]),
      scenario_jurisdictions_(platform.scenario->jurisdictions),
      restricted_next_(platform.zones.size(), false), blocks_(platform.zones.size(), 0) {
  for (const std::string& name : lab_.licence.excluded_jurisdictions)
    policy_excluded_.push_back(platform.jurisdiction_index(name));
}

Release OpenLabAgent::first_release() {
  return publish(0.0);
}

Release OpenLabAgent::publish(double day) {
  Release release{day, day - lab_.lag_days, restricted_next_};
  std::fill(restricted_next_.begin(), restricted_next_.end(), false);
  // One draw per release, whatever the policy, so that the lab's stream stays aligned across
  // scenarios that differ only in their licence settings.
  if (stream_.bernoulli(lab_.licence.restrict_probability))
    for (const int j : policy_excluded_)
      release.excluded[static_cast<std::size_t>(j)] = true;
  for (std::size_t j = 0; j < blocks_.size(); ++j)
    if (blocks_[j] > 0)
      release.excluded[j] = true;
  if (hosted_api_ != nullptr)
    hosted_api_->set_release(release.quality_day);
  return release;
}

std::string OpenLabAgent::excluded_names(const Release& release) const {
  std::string names;
  for (std::size_t j = 0; j < release.excluded.size(); ++j)
    if (release.excluded[j])
      names += (names.empty() ? "; its licence excludes " : ", ") + scenario_jurisdictions_[j].name;
  return names;
}

void OpenLabAgent::apply(const Order& order) {
  switch (order.kind) {
  case OrderKind::restrict_licence:
    restricted_next_[static_cast<std::size_t>(order.jurisdiction)] = true;
    return;
  case OrderKind::block:
    ++blocks_[static_cast<std::size_t>(order.jurisdiction)];
    break;
  case OrderKind::unblock:
    --blocks_[static_cast<std::size_t>(order.jurisdiction)];
    break;
  default:
    break;
  }
  if (hosted_api_ != nullptr)
    hosted_api_->apply(order);
}

void OpenLabAgent::run() {
  // Its hosted API's reminders and investment are the API's own actor's (provider_actor.hpp);
  // governments' orders are applied directly (government.hpp).
  for (double next = lab_.release_interval_days; next < replica_.horizon;
       next += lab_.release_interval_days) {
    ++replica_.counts.waits;
    simgrid::s4u::this_actor::sleep_until(replica_.to_engine(next));
    const Release release = publish(next);
    if (replica_.events != nullptr)
      replica_.log("{}: releases weights with the frontier quality of day {:.0f}{}", lab_.name,
                   release.quality_day, excluded_names(release));
    for (Channel<Notice>* inbox : subscribers_) {
      ++replica_.counts.messages;
      inbox->post(
          std::make_unique<Notice>(Notice{NoticeKind::release, index_, jurisdiction_, release.day,
                                          release.quality_day, release.excluded}));
    }
  }
}

} // namespace baskets
