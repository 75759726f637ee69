// Closed forms for an alternating up/down process: up periods Exp(rate lambda), down periods
// Exp(rate mu), starting up. They are what the simulated model must reproduce.
#pragma once

#include <cmath>
#include <functional>

namespace baskets::testing {

// Probability of being down at time t.
inline double down_probability(double lambda, double mu, double t) {
  return lambda / (lambda + mu) * (1.0 - std::exp(-(lambda + mu) * t));
}

// Expected downtime over [0, T].
inline double expected_downtime(double lambda, double mu, double horizon) {
  const double s = lambda + mu;
  return lambda / s * (horizon - (1.0 - std::exp(-s * horizon)) / s);
}

// Composite Simpson's rule; the integrands here are smooth, so 20,000 panels are exact to far
// below any Monte Carlo standard error.
inline double integrate(const std::function<double(double)>& f, double a, double b) {
  const int panels = 20'000;
  const double h = (b - a) / panels;
  double sum = f(a) + f(b);
  for (int i = 1; i < panels; ++i)
    sum += f(a + i * h) * (i % 2 == 1 ? 4.0 : 2.0);
  return sum * h / 3.0;
}

// E[min(d, D)] for D ~ Exp(mu): the unserved time of one cutoff when the buyer fails over after
// a delay d.
inline double expected_unserved_per_cutoff(double mu, double delay) {
  return (1.0 - std::exp(-mu * delay)) / mu;
}

} // namespace baskets::testing
