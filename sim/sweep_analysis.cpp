#include "sim/sweep_analysis.hpp"

#include "sim/bytes.hpp"
#include "sim/sensitivity.hpp"

#include <limits>
#include <stdexcept>
#include <string>

namespace baskets {

namespace {

// A replica's strategy or provider metrics: their count, then each one's values.
template <typename Rows> void put_rows(std::string& out, const Rows& rows) {
  bytes::put(out, static_cast<std::uint64_t>(rows.size()));
  for (const auto& row : rows)
    for (const double value : row.values)
      bytes::put(out, value);
}

template <typename Rows> void take_rows(bytes::Reader& reader, Rows& rows, const char* what) {
  const auto count = reader.take<std::uint64_t>();
  if (count > 1'000'000)
    throw std::runtime_error(std::string("results with an impossible number of ") + what);
  rows.resize(count);
  for (auto& row : rows)
    for (double& value : row.values)
      value = reader.take<double>();
}

} // namespace

std::string encode_points(const std::vector<SweepPoint>& points,
                          const std::vector<std::size_t>& which) {
  std::string out;
  for (const std::size_t p : which) {
    const SweepPoint& point = points.at(p);
    bytes::put(out, static_cast<std::uint64_t>(p));
    bytes::put(out, static_cast<std::uint64_t>(point.complete));
    bytes::put(out, static_cast<std::uint64_t>(point.replicas.size()));
    for (const ReplicaResult& replica : point.replicas) {
      bytes::put(out, replica.replica);
      put_rows(out, replica.strategies);
      put_rows(out, replica.providers);
    }
    bytes::put(out, static_cast<std::uint64_t>(point.failed.size()));
    for (const std::uint64_t failed : point.failed)
      bytes::put(out, failed);
  }
  return out;
}

void decode_points(const std::string& in, std::vector<SweepPoint>& points) {
  bytes::Reader reader(in);
  while (!reader.done()) {
    const auto p = reader.take<std::uint64_t>();
    if (p >= points.size())
      throw std::runtime_error("results of a point that the sweep does not have");
    SweepPoint point;
    point.complete = reader.take<std::uint64_t>() != 0;
    const auto replicas = reader.take<std::uint64_t>();
    for (std::uint64_t r = 0; r < replicas; ++r) {
      ReplicaResult replica;
      replica.replica = reader.take<std::uint64_t>();
      take_rows(reader, replica.strategies, "strategies");
      take_rows(reader, replica.providers, "providers");
      point.replicas.push_back(std::move(replica));
    }
    const auto failed = reader.take<std::uint64_t>();
    for (std::uint64_t f = 0; f < failed; ++f)
      point.failed.push_back(reader.take<std::uint64_t>());
    points[p] = std::move(point);
  }
}

PointRisks assess_points(const std::vector<SweepPoint>& points, std::size_t strategies,
                         double long_outage_days) {
  PointRisks risks;
  for (const SweepPoint& point : points) {
    if (point.complete && !point.replicas.empty())
      risks.emplace_back(assess_risk(point.replicas, strategies, long_outage_days));
    else
      risks.emplace_back(std::nullopt);
  }
  return risks;
}

SensitivityTable::SensitivityTable(std::size_t parameters, std::size_t strategies)
    : parameters_(parameters), strategies_(strategies),
      entries_(parameters * strategies * sensitivity_metrics.size() *
               sensitivity_responses.size()) {}

std::size_t SensitivityTable::index(std::size_t parameter, std::size_t strategy, std::size_t metric,
                                    std::size_t response) const {
  return ((parameter * strategies_ + strategy) * sensitivity_metrics.size() + metric) *
             sensitivity_responses.size() +
         response;
}

Sensitivity& SensitivityTable::at(std::size_t parameter, std::size_t strategy, std::size_t metric,
                                  std::size_t response) {
  return entries_.at(index(parameter, strategy, metric, response));
}

const Sensitivity& SensitivityTable::at(std::size_t parameter, std::size_t strategy,
                                        std::size_t metric, std::size_t response) const {
  return entries_.at(index(parameter, strategy, metric, response));
}

namespace {

double response_of(const StrategyRisk& risk, Metric metric, std::size_t response) {
  const auto m = static_cast<std::size_t>(metric);
  return response == 0 ? risk.metrics[m].estimate.mean : risk.paired[m].difference.mean;
}

} // namespace

SensitivityTable assess_sensitivity(const Sweep& sweep, const PointRisks& risks) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t parameters = sweep.parameters.size();
  const std::size_t strategies = sweep.base.strategies.size();
  SensitivityTable table(parameters, strategies);

  std::vector<std::size_t> known; // points with a risk
  for (std::size_t p = 0; p < risks.size(); ++p)
    if (risks[p])
      known.push_back(p);
  const bool all_known = known.size() == risks.size();
  // Each parameter's values at the known points, shared by every response.
  std::vector<std::vector<double>> xs;
  for (std::size_t i = 0; i < parameters; ++i) {
    const std::vector<double> column = sweep.column(i);
    std::vector<double>& x = xs.emplace_back();
    for (const std::size_t p : known)
      x.push_back(column[p]);
  }

  for (std::size_t s = 0; s < strategies; ++s)
    for (std::size_t m = 0; m < sensitivity_metrics.size(); ++m)
      for (std::size_t r = 0; r < sensitivity_responses.size(); ++r) {
        std::vector<double> y;
        for (const std::size_t p : known)
          y.push_back(response_of((*risks[p])[s], sensitivity_metrics[m], r));
        std::vector<SobolIndices> indices;
        if (sweep.design == Design::saltelli && all_known && !risks.empty())
          indices = sobol_indices(y, sweep.saltelli_base, parameters);
        for (std::size_t i = 0; i < parameters; ++i) {
          const std::vector<double>& x = xs[i];
          Sensitivity& entry = table.at(i, s, m, r);
          entry.spearman = spearman_correlation(x, y);
          entry.main_effect = sweep.design == Design::grid ? main_effect_range(x, y) : nan;
          entry.sobol_first = indices.empty() ? nan : indices[i].first_order;
          entry.sobol_total = indices.empty() ? nan : indices[i].total;
        }
      }
  return table;
}

} // namespace baskets
