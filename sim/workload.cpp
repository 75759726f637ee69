#include "sim/workload.hpp"

#include <algorithm>

namespace baskets {

Workload::Workload(simgrid::s4u::Host* host, double rate_bound, double now, double replica_end,
                   const ModelQuality& quality, double price, double doubling_days,
                   ServiceTally& tally, WorkloadAccounts accounts)
    : host_(host), quality_(quality), rate_bound_(rate_bound), price_(price),
      doubling_days_(doubling_days), tally_(tally), accounts_(accounts), last_reading_(now) {
  // Sized so that it cannot finish before the replica ends, even if it ran at full bound.
  const double amount = rate_bound * std::max(replica_end - now, 0.0) * 2.0 + 1.0;
  last_remaining_ = amount;
  // The host is set explicitly: the work runs on the provider's host, not on the caller's.
  exec_ = simgrid::s4u::Exec::init();
  exec_->set_flops_amount(amount);
  exec_->set_host(host_);
  exec_->set_bound(rate_bound);
  if (accounts_.host_meter != nullptr)
    accounts_.host_meter->read(now);
  exec_->start();
}

Workload::~Workload() {
  if (running_ && exec_->get_state() == simgrid::s4u::Activity::State::STARTED)
    exec_->cancel();
}

ServiceTally Workload::reading(double remaining, double now) const {
  const double done = std::max(last_remaining_ - remaining, 0.0);
  return {done, done * quality_.mean_relative(last_reading_, now, doubling_days_), done * price_};
}

ServiceTally Workload::unsettled(double now) const {
  if (!running_)
    return {};
  return reading(exec_->get_remaining(), now);
}

void Workload::settle(double now) {
  if (!running_)
    return;
  const double remaining = exec_->get_remaining();
  const ServiceTally done = reading(remaining, now);
  for (ServiceTally* tally : {&tally_, accounts_.provider}) {
    if (tally == nullptr)
      continue;
    tally->add(done);
    ++tally->settlements;
  }
  last_remaining_ = remaining;
  last_reading_ = now;
}

void Workload::stop(double now) {
  if (!running_)
    return;
  settle(now);
  running_ = false;
  if (accounts_.host_meter != nullptr)
    accounts_.host_meter->read(now);
  if (exec_->get_state() == simgrid::s4u::Activity::State::STARTED)
    exec_->cancel();
}

void Workload::reprice(double now, double price) {
  settle(now);
  price_ = price;
}

} // namespace baskets
