// A buyer's strategy turned into portions of its demand. Each portion runs on one basket; when
// that basket is cut off, the portion moves to the first available fallback.
//
// Sensitive work must stay in the buyer's jurisdiction: the sensitive share of each portion on a
// foreign basket is moved, pro rata, to the portfolio's baskets inside the jurisdiction (a
// self-hosted model, or a provider at home). With no such basket it cannot be served at all.
#pragma once

#include "sim/platform.hpp"

#include <vector>

namespace baskets {

struct Basket {
  BasketKind kind = BasketKind::api;
  int index = -1; // provider index for an API, open-lab index for self-hosted weights
  friend bool operator==(const Basket&, const Basket&) = default;
};

struct Portion {
  Basket primary;
  double demand_share = 0.0;     // of the buyer's demand
  std::vector<Basket> fallbacks; // in the order they are tried
};

struct PortfolioPlan {
  std::vector<Portion> portions;
  double stranded_share = 0.0; // sensitive work with no basket allowed to serve it
};

Basket resolve_basket(const BasketRef& ref, const Platform& platform);
PortfolioPlan plan_portfolio(const Strategy& strategy, int buyer_jurisdiction,
                             double sensitive_share, const Platform& platform);

} // namespace baskets
