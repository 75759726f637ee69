#include "sim/platform.hpp"

#include "sim/energy_meter.hpp"

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Link.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <stdexcept>

namespace baskets {
namespace sg4 = simgrid::s4u;

namespace {

constexpr double ms_per_day = 86'400'000.0;
constexpr double seconds_per_day = 86'400.0;
// Hosts whose speed does not matter (offices, sites without own hardware) still need one.
constexpr double nominal_speed = 1.0;
// Links inside a jurisdiction: a local network, fast enough that messages are instantaneous at
// the scale of days.
constexpr double local_latency_ms = 1.0;
constexpr double local_bandwidth_gbps = 100.0;

double bytes_per_day(double gbps) {
  return gbps * 1e9 / 8.0 * seconds_per_day;
}

void set_wattage(sg4::Host* host, const Chip* chip, const std::vector<double>& capacities);

// A jurisdiction's zone is a star: every host reaches the centre through its own link.
class ZoneBuilder {
public:
  ZoneBuilder(sg4::NetZone* root, const std::string& jurisdiction)
      : zone_(sg4::create_star_zone(jurisdiction)), name_(jurisdiction) {
    zone_->set_parent(root);
    gateway_ = zone_->create_router(jurisdiction + "/gateway");
    connect(gateway_, jurisdiction + "/gateway-link");
  }

  // A host whose pstates have these capacities (work units per day, 0: no hardware) and draw
  // the chip's power, if energy is modelled.
  sg4::Host* add_host(const std::string& name, const std::vector<double>& capacities,
                      const Chip* chip, bool energy_modelled) {
    std::vector<double> speeds;
    for (const double capacity : capacities)
      speeds.push_back(capacity > 0.0 ? capacity : nominal_speed);
    sg4::Host* host = zone_->create_host(name, speeds);
    connect(host->get_netpoint(), name + "/link");
    if (first_host_ == nullptr)
      first_host_ = host;
    if (energy_modelled)
      set_wattage(host, chip, capacities);
    return host;
  }

  sg4::NetZone* zone() const { return zone_; }
  const sg4::Host* first_host() const { return first_host_; }
  simgrid::kernel::routing::NetPoint* gateway() const { return gateway_; }

private:
  void connect(simgrid::kernel::routing::NetPoint* point, const std::string& link_name) {
    sg4::Link* link = zone_->create_link(link_name, bytes_per_day(local_bandwidth_gbps));
    link->set_latency(local_latency_ms / ms_per_day);
    link->seal();
    zone_->add_route(point, nullptr, nullptr, nullptr, {sg4::LinkInRoute(link)}, true);
  }

  sg4::NetZone* zone_;
  std::string name_;
  simgrid::kernel::routing::NetPoint* gateway_ = nullptr;
  const sg4::Host* first_host_ = nullptr;
};

// Every host of a zone reaches its centre through a link of the same latency: a route between
// two jurisdictions costs the same from any of their hosts.
std::vector<std::vector<double>> route_latencies(const std::vector<ZoneBuilder>& zones) {
  const std::size_t n = zones.size();
  std::vector<std::vector<double>> latency(
      n, std::vector<double>(n, 2 * local_latency_ms / ms_per_day));
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b) {
      const sg4::Host* from = zones[a].first_host();
      const sg4::Host* to = zones[b].first_host();
      if (a == b || from == nullptr || to == nullptr)
        continue;
      std::vector<sg4::Link*> links;
      double route = 0.0;
      from->route_to(to, links, &route);
      latency[a][b] = route;
    }
  return latency;
}

// The energy plugin's power draw of one pstate, "idle:epsilon:full" in kW, for hardware doing
// `capacity` work units per day at full load (0: no hardware, no power).
std::string wattage(const Chip* chip, double capacity) {
  if (chip == nullptr || !(capacity > 0.0))
    return "0:0:0";
  const double full_kw = capacity / chip->efficiency / hours_per_day;
  const double idle_kw = chip->idle_power_share * full_kw;
  return fmt::format("{:.17g}:{:.17g}:{:.17g}", idle_kw, idle_kw, full_kw);
}

// Gives the plugin a wattage for every pstate of the host: without one it warns for every host.
void set_wattage(sg4::Host* host, const Chip* chip, const std::vector<double>& capacities) {
  std::string per_state;
  for (const double capacity : capacities) {
    if (!per_state.empty())
      per_state += ',';
    per_state += wattage(chip, capacity);
  }
  host->set_property("wattage_per_state", per_state);
  host->set_property("wattage_off", "0");
}

bool uses_chips(const Scenario& scenario) {
  const auto named = [](const std::string& chip) { return !chip.empty(); };
  return std::any_of(scenario.hyperscalers.begin(), scenario.hyperscalers.end(),
                     [&](const Hyperscaler& h) { return named(h.chip); }) ||
         std::any_of(scenario.open_labs.begin(), scenario.open_labs.end(),
                     [&](const OpenLab& l) { return l.hosted_api && named(l.hosted_api->chip); }) ||
         std::any_of(scenario.buyers.begin(), scenario.buyers.end(),
                     [&](const BuyerGroup& b) { return named(b.own_hardware.chip); });
}

DatacenterLadder datacenter_ladder(double capacity, const std::optional<CapacityInvestment>& plan,
                                   const std::vector<double>& factors) {
  if (!plan)
    return {capacity, 0.0, 1, factors};
  return {capacity, plan->step_share * capacity, 1 + plan->max_orders, factors};
}

SiteLadder site_ladder(const OwnHardware& hardware) {
  if (!hardware.expansion)
    return {hardware.capacity, 0.0, 0};
  return {hardware.capacity, hardware.expansion->step, hardware.expansion->max_orders};
}

} // namespace

int Platform::jurisdiction_index(const std::string& name) const {
  const auto& list = scenario->jurisdictions;
  const auto it =
      std::find_if(list.begin(), list.end(), [&](const Jurisdiction& j) { return j.name == name; });
  if (it == list.end())
    throw std::logic_error("unknown jurisdiction " + name);
  return static_cast<int>(it - list.begin());
}

int Platform::provider_index(const std::string& name) const {
  const auto it = std::find_if(providers.begin(), providers.end(),
                               [&](const ProviderSpec& p) { return p.name == name; });
  return it == providers.end() ? -1 : static_cast<int>(it - providers.begin());
}

const Chip* Platform::chip(const std::string& name) const {
  if (name.empty())
    return nullptr;
  for (const Chip& chip : scenario->chips)
    if (chip.name == name)
      return &chip;
  throw std::logic_error("unknown chip " + name);
}

int Platform::open_lab_index(const std::string& name) const {
  const auto& labs = scenario->open_labs;
  const auto it =
      std::find_if(labs.begin(), labs.end(), [&](const OpenLab& l) { return l.name == name; });
  return it == labs.end() ? -1 : static_cast<int>(it - labs.begin());
}

Platform build_platform(const Scenario& scenario) {
  Platform platform;
  platform.scenario = &scenario;

  platform.capacity_factors = {1.0};
  for (const Government& government : scenario.governments)
    for (const GovernmentAction& action : government.actions)
      if (action.kind == ActionKind::restrict_chips &&
          std::find(platform.capacity_factors.begin(), platform.capacity_factors.end(),
                    action.capacity_factor) == platform.capacity_factors.end())
        platform.capacity_factors.push_back(action.capacity_factor);

  // The plugin watches hosts from their creation on; without chips it stays off and costs nothing.
  platform.energy_modelled = uses_chips(scenario);
  if (platform.energy_modelled)
    sg_host_energy_plugin_init();
  const bool energy = platform.energy_modelled;
  const std::vector<double> nominal{0.0};

  sg4::NetZone* root = sg4::create_full_zone("world");
  std::vector<ZoneBuilder> zones;
  zones.reserve(scenario.jurisdictions.size());
  for (const Jurisdiction& jurisdiction : scenario.jurisdictions) {
    zones.emplace_back(root, jurisdiction.name);
    platform.zones.push_back(zones.back().zone());
  }

  const auto power_price = [&](int jurisdiction) {
    return scenario.jurisdictions[static_cast<std::size_t>(jurisdiction)].power_price;
  };
  for (const Hyperscaler& h : scenario.hyperscalers) {
    const int j = platform.jurisdiction_index(h.jurisdiction);
    platform.providers.push_back(
        {h.name, j, h.capacity, h.price, h.quality_lag_days, -1, platform.chip(h.chip), h.pricing,
         h.investment, power_price(j),
         datacenter_ladder(h.capacity, h.investment, platform.capacity_factors)});
  }
  for (std::size_t lab = 0; lab < scenario.open_labs.size(); ++lab) {
    const OpenLab& l = scenario.open_labs[lab];
    if (!l.hosted_api)
      continue;
    const int j = platform.jurisdiction_index(l.jurisdiction);
    const HostedApi& api = *l.hosted_api;
    platform.providers.push_back(
        {l.name, j, api.capacity, api.price, 0.0, static_cast<int>(lab), platform.chip(api.chip),
         api.pricing, api.investment, power_price(j),
         datacenter_ladder(api.capacity, api.investment, platform.capacity_factors)});
  }
  for (const ProviderSpec& provider : platform.providers) {
    ZoneBuilder& zone = zones[static_cast<std::size_t>(provider.jurisdiction)];
    platform.datacenters.push_back(zone.add_host(
        provider.name + "/datacenter", provider.ladder.capacities(), provider.chip, energy));
    platform.provider_offices.push_back(
        zone.add_host(provider.name + "/office", nominal, nullptr, energy));
  }
  for (const OpenLab& lab : scenario.open_labs)
    platform.lab_offices.push_back(
        zones[static_cast<std::size_t>(platform.jurisdiction_index(lab.jurisdiction))].add_host(
            lab.name + "/lab", nominal, nullptr, energy));
  for (const Government& government : scenario.governments)
    platform.government_offices.push_back(
        zones[static_cast<std::size_t>(platform.jurisdiction_index(government.jurisdiction))]
            .add_host(government.name + "/office", nominal, nullptr, energy));

  for (std::size_t g = 0; g < scenario.buyers.size(); ++g) {
    const BuyerGroup& group = scenario.buyers[g];
    const int jurisdiction = platform.jurisdiction_index(group.jurisdiction);
    const auto strategy_it =
        std::find_if(scenario.strategies.begin(), scenario.strategies.end(),
                     [&](const Strategy& s) { return s.name == group.strategy; });
    const int strategy = static_cast<int>(strategy_it - scenario.strategies.begin());
    const SiteLadder ladder = site_ladder(group.own_hardware);
    const std::vector<double> capacities = ladder.capacities();
    const Chip* chip = platform.chip(group.own_hardware.chip);
    for (int i = 0; i < group.count; ++i) {
      platform.buyers.push_back({static_cast<int>(g), i, jurisdiction, strategy, ladder});
      platform.buyer_sites.push_back(zones[static_cast<std::size_t>(jurisdiction)].add_host(
          fmt::format("{}/{}/site", group.name, i), capacities, chip, energy));
    }
  }

  // Every pair of jurisdictions is connected: by the scenario's link if it names one, otherwise
  // by a default intercontinental link.
  for (std::size_t a = 0; a < zones.size(); ++a) {
    for (std::size_t b = a + 1; b < zones.size(); ++b) {
      Link spec{scenario.jurisdictions[a].name, scenario.jurisdictions[b].name};
      for (const Link& link : scenario.links)
        if ((link.a == spec.a && link.b == spec.b) || (link.a == spec.b && link.b == spec.a))
          spec = link;
      sg4::Link* link =
          root->create_link(spec.a + "<->" + spec.b, bytes_per_day(spec.bandwidth_gbps));
      link->set_latency(spec.latency_ms / ms_per_day);
      link->seal();
      root->add_route(zones[a].zone()->get_netpoint(), zones[b].zone()->get_netpoint(),
                      zones[a].gateway(), zones[b].gateway(), {sg4::LinkInRoute(link)}, true);
    }
  }
  for (const ZoneBuilder& zone : zones)
    zone.zone()->seal();
  root->seal();
  platform.latency_days = route_latencies(zones);
  return platform;
}

} // namespace baskets
