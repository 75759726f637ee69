#include "agents/strategy.hpp"

#include <stdexcept>

namespace baskets {

Basket resolve_basket(const BasketRef& ref, const Platform& platform) {
  const int index = ref.kind == BasketKind::api ? platform.provider_index(ref.provider)
                                                : platform.open_lab_index(ref.provider);
  if (index < 0)
    throw std::logic_error("unresolved basket " + ref.provider); // the parser checks names
  return {ref.kind, index};
}

PortfolioPlan plan_portfolio(const Strategy& strategy, int buyer_jurisdiction,
                             double sensitive_share, const Platform& platform) {
  const auto at_home = [&](const Basket& basket) {
    return basket.kind == BasketKind::self_hosted ||
           platform.providers[static_cast<std::size_t>(basket.index)].jurisdiction ==
               buyer_jurisdiction;
  };

  std::vector<Basket> fallbacks;
  for (const BasketRef& ref : strategy.fallbacks)
    fallbacks.push_back(resolve_basket(ref, platform));

  PortfolioPlan plan;
  double home_weight = 0.0;
  for (const WeightedBasket& wb : strategy.portfolio) {
    Portion portion{resolve_basket(wb.basket, platform), wb.weight, {}};
    for (const Basket& fallback : fallbacks)
      if (!(fallback == portion.primary))
        portion.fallbacks.push_back(fallback);
    if (at_home(portion.primary))
      home_weight += wb.weight;
    plan.portions.push_back(std::move(portion));
  }

  if (sensitive_share > 0.0) {
    for (Portion& portion : plan.portions) {
      const double weight = portion.demand_share;
      if (home_weight > 0.0)
        portion.demand_share = at_home(portion.primary) ? (1.0 - sensitive_share) * weight +
                                                              sensitive_share * weight / home_weight
                                                        : (1.0 - sensitive_share) * weight;
      else
        portion.demand_share = (1.0 - sensitive_share) * weight;
    }
    if (home_weight <= 0.0)
      plan.stranded_share = sensitive_share;
  }
  return plan;
}

} // namespace baskets
