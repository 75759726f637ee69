#include "sim/energy_meter.hpp"

#include <simgrid/plugins/energy.h>

namespace baskets {

// The platform gives the plugin its wattages in kW, and simulated time is in days.
double EnergyMeter::power_kw() const {
  return sg_host_get_current_consumption(host_);
}

void EnergyMeter::read(double now) {
  if (host_ == nullptr)
    return;
  if (now > last_)
    kw_days_ += power_kw() * (now - last_);
  last_ = now;
}

double EnergyMeter::energy_at(double now) const {
  if (host_ == nullptr)
    return 0.0;
  const double pending = now > last_ ? power_kw() * (now - last_) : 0.0;
  return (kw_days_ + pending) * hours_per_day;
}

} // namespace baskets
