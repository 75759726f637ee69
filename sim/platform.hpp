// The SimGrid platform of a scenario: one netzone per jurisdiction, joined by the scenario's
// links; a data-centre host per API provider (its speed is the provider's capacity in work units
// per day, so that SimGrid shares it among the buyers using it); an office host per agent that
// takes decisions (never turned off, so the agents' actors are never killed); a site host per
// buyer (its speed is the buyer's own hardware).
//
// Simulated time is in days throughout.
#pragma once

#include "sim/scenario.hpp"

#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/NetZone.hpp>

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
  int open_lab = -1; // the lab whose releases it serves, or -1 for a hyperscaler
};

struct BuyerSpec {
  int group = 0;
  int index_in_group = 0;
  int jurisdiction = 0;
  int strategy = 0;
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
  // Capacity factors of chip export controls; a data centre's pstate k > 0 runs at
  // capacity * capacity_factors[k - 1].
  std::vector<double> capacity_factors;

  int jurisdiction_index(const std::string& name) const;
  int provider_index(const std::string& name) const; // -1 if none
  int open_lab_index(const std::string& name) const; // -1 if none
  const Scenario* scenario = nullptr;
};

// Builds the platform into the current SimGrid engine (once per process).
Platform build_platform(const Scenario& scenario);

} // namespace baskets
