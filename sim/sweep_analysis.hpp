// What a sweep's results say beyond each point: the risk statistics of every point, and how much
// each swept parameter moves the headline metrics (rank correlation over the points; main effects
// on a grid; variance-based indices on a Saltelli design).
#pragma once

#include "sim/metrics.hpp"
#include "sim/risk.hpp"
#include "sim/sweep_spec.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baskets {

struct SweepPoint {
  bool complete = false;               // every replica ran (completed or failed)
  std::vector<ReplicaResult> replicas; // the completed ones, in replica order; none until complete
  std::vector<std::uint64_t> failed;   // the replicas whose worker failed
};

// The points listed in `which`, as bytes (to rank 0 of an MPI job, or from a child process), and
// back into their places in `points`. decode_points throws std::runtime_error on bad data.
std::string encode_points(const std::vector<SweepPoint>& points,
                          const std::vector<std::size_t>& which);
void decode_points(const std::string& bytes, std::vector<SweepPoint>& points);

// The risk of each strategy at each point; none for a point that is not complete or has no
// completed replica.
using PointRisks = std::vector<std::optional<std::vector<StrategyRisk>>>;
PointRisks assess_points(const std::vector<SweepPoint>& points, std::size_t strategies,
                         double long_outage_days);

// The headline metrics whose sensitivity is measured, and the two responses of each: the point's
// mean, and its paired difference against the first strategy (what a second basket changes).
inline constexpr std::array<Metric, 5> sensitivity_metrics{
    Metric::served_share, Metric::outage_days, Metric::cost_total, Metric::quality_gap,
    Metric::quality_adjusted_output};
inline constexpr std::array<std::string_view, 2> sensitivity_responses{"mean", "paired_difference"};

struct Sensitivity {
  double spearman = 0.0;    // rank correlation of the parameter with the response over points
  double main_effect = 0.0; // grid: largest minus smallest mean response over its values; NaN
  double sobol_first = 0.0; // saltelli: first-order index; NaN otherwise
  double sobol_total = 0.0; // saltelli: total index; NaN otherwise
};

class SensitivityTable {
public:
  SensitivityTable(std::size_t parameters, std::size_t strategies);
  Sensitivity& at(std::size_t parameter, std::size_t strategy, std::size_t metric,
                  std::size_t response);
  const Sensitivity& at(std::size_t parameter, std::size_t strategy, std::size_t metric,
                        std::size_t response) const;
  std::size_t parameters() const { return parameters_; }
  std::size_t strategies() const { return strategies_; }

private:
  std::size_t index(std::size_t parameter, std::size_t strategy, std::size_t metric,
                    std::size_t response) const;
  std::size_t parameters_, strategies_;
  std::vector<Sensitivity> entries_;
};

// Over the points whose risk is known; the variance-based indices need every point of a
// Saltelli design.
SensitivityTable assess_sensitivity(const Sweep& sweep, const PointRisks& risks);

} // namespace baskets
