// The SimGrid platform of a scenario: one netzone per jurisdiction, joined by the scenario's
// links; a data-centre host per API provider (its speed is the provider's capacity in work units
// per day, so that SimGrid shares it among the buyers using it); an office host per agent that
// takes decisions (never turned off, so the agents' actors are never killed); a site host per
// buyer (its speed is the buyer's own hardware). Capacities that change during a replica are
// pstates (capacity_ladder.hpp); hosts with a chip draw power through SimGrid's energy plugin, in
// kW.
//
// Simulated time is in days throughout.
#pragma once

#include "sim/capacity_ladder.hpp"
#include "sim/scenario.hpp"

#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include <optional>
#include <string>
#include <vector>

namespace baskets {

// An API provider: a hyperscaler, or an open lab's hosted API.
struct ProviderSpec {
  std::string name;
  int jurisdiction = 0;
  double capacity = 0.0;
  double price = 0.0;
  double quality_lag_days = 0.0;
  int open_lab = -1;          // the lab whose releases it serves, or -1 for a hyperscaler
  const Chip* chip = nullptr; // null: its energy is not modelled
  PriceRule pricing;
  std::optional<CapacityInvestment> investment;
  double power_price = 0.0; // its jurisdiction's, currency per kWh
  DatacenterLadder ladder;  // the capacities its data centre can take
};

struct BuyerSpec {
  int group = 0;
  int index_in_group = 0;
  int jurisdiction = 0;
  int strategy = 0;
  SiteLadder ladder; // the capacities its own hardware can take
};

struct Platform {
  std::vector<simgrid::s4u::NetZone*> zones;    // by jurisdiction index
  std::vector<ProviderSpec> providers;          // hyperscalers first, then hosted open-lab APIs
  std::vector<simgrid::s4u::Host*> datacenters; // by provider
  std::vector<simgrid::s4u::Host*> provider_offices;
  std::vector<simgrid::s4u::Host*> lab_offices; // by open lab
  std::vector<simgrid::s4u::Host*> government_offices;
  std::vector<BuyerSpec> buyers;
  std::vector<simgrid::s4u::Host*> buyer_sites;
  // 1, then the capacity factors (below 1) of the chip export controls: every data centre can
  // run at each of them (its ladder's factors).
  std::vector<double> capacity_factors;
  bool energy_modelled = false; // some host has a chip: SimGrid's energy plugin is on
  // How long a message takes between jurisdictions (days, by [from][to]): the latency of the
  // route between two of their hosts over the platform's links.
  std::vector<std::vector<double>> latency_days;

  int jurisdiction_index(const std::string& name) const;
  int provider_index(const std::string& name) const; // -1 if none
  int open_lab_index(const std::string& name) const; // -1 if none
  const Chip* chip(const std::string& name) const;   // null for an empty name
  const Scenario* scenario = nullptr;
};

// Builds the platform into the current SimGrid engine (once per process).
Platform build_platform(const Scenario& scenario);

} // namespace baskets
