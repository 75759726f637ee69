// The sweep specification: paths into the scenario, the order and values of a grid's points,
// designs that place their own points, and the errors a bad sweep gets before anything runs.
#include "sim/scenario_parser.hpp"
#include "sim/sweep_spec.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

using namespace baskets;

namespace {

std::string base_text() {
  std::ifstream in(std::string(BASKETS_SOURCE_DIR) + "/tests/cli/valid_base.toml");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Sweep sweep_of(const std::string& table) {
  return parse_sweep(base_text() + "\n" + table, "inline.toml");
}

// The messages of a sweep that must be refused, one per line.
std::string refusal(const std::string& table) {
  try {
    sweep_of(table);
  } catch (const ScenarioLoadError& error) {
    return error.what();
  }
  return "(accepted)";
}

} // namespace

TEST_CASE("sweep: a grid's points, the first parameter varying slowest", "[sweep]") {
  const Sweep sweep = sweep_of(R"(
[sweep]
replicas = 7
[[sweep.parameters]]
name = "rate"
path = "governments[US government].actions[0].rate_per_year"
values = [0.5, 2]
[[sweep.parameters]]
name = "demand"
path = "buyers[0].demand"
range = { from = 1, to = 100, steps = 3, scale = "log" }
)");
  REQUIRE(sweep.replicas == 7);
  REQUIRE(sweep.points.size() == 6);
  REQUIRE(sweep.numbers_at(0) == std::vector<double>{0.5, 1.0});
  REQUIRE(sweep.numbers_at(1)[1] == Approx(10.0).epsilon(1e-12));
  REQUIRE(sweep.numbers_at(2) == std::vector<double>{0.5, 100.0});
  REQUIRE(sweep.numbers_at(3) == std::vector<double>{2.0, 1.0});
  REQUIRE(sweep.describe_point(5) == "rate = 2, demand = 100");

  // Each point is the base scenario with its values, found by name or by index.
  const Scenario point = sweep.scenario_at(4);
  REQUIRE(point.governments[0].actions[0].rate_per_year == 2.0);
  REQUIRE(point.buyers[0].demand == Approx(10.0).epsilon(1e-12));
  REQUIRE(point.hyperscalers[0].price == sweep.base.hyperscalers[0].price);
  REQUIRE(point.source_text == sweep.scenario_text); // provenance: the file as written
}

TEST_CASE("sweep: integer keys stay integers, absent keys are added, lists set every path",
          "[sweep]") {
  const Sweep sweep = sweep_of(R"(
[sweep]
[[sweep.parameters]]
name = "buyers"
path = "buyers[buyers].count"
range = { from = 1, to = 3, steps = 3 }
[[sweep.parameters]]
name = "delay"
path = ["buyers[0].failover.switch_delay_days", "simulation.demand_step_days"]
values = [5]
)");
  REQUIRE(sweep.points.size() == 3);
  REQUIRE(sweep.scenario_at(2).buyers[0].count == 3); // a whole number where an integer is due
  REQUIRE(sweep.scenario_at(0).buyers[0].failover.switch_delay_days == 5.0);
  REQUIRE(sweep.scenario_at(0).simulation.demand_step_days == 5.0);
  // A replicas count defaults to the scenario's.
  REQUIRE(sweep.replicas == static_cast<std::uint64_t>(sweep.base.simulation.replicas));
}

TEST_CASE("sweep: sobol, uniform and saltelli designs place their points in the ranges",
          "[sweep]") {
  for (const std::string design : {"sobol", "uniform", "saltelli"}) {
    const std::string table = R"(
[sweep]
design = ")" + design + R"("
points = 8
design_seed = 5
[[sweep.parameters]]
path = "hyperscalers[0].price"
range = { from = 0.5, to = 2 }
[[sweep.parameters]]
path = "governments[0].actions[0].rate_per_year"
range = { from = 0.01, to = 10, scale = "log" }
)";
    const Sweep sweep = sweep_of(table);
    REQUIRE(sweep.points.size() == (design == "saltelli" ? 8U * 4U : 8U));
    for (std::size_t p = 0; p < sweep.points.size(); ++p) {
      const std::vector<double> x = sweep.numbers_at(p);
      REQUIRE(x[0] >= 0.5);
      REQUIRE(x[0] <= 2.0);
      REQUIRE(x[1] >= 0.01);
      REQUIRE(x[1] <= 10.0);
    }
    // The same file gives the same points; the fingerprint follows the seed of the replicas.
    REQUIRE(sweep_of(table).points == sweep.points);
    REQUIRE(sweep_fingerprint(sweep, 1) == sweep_fingerprint(sweep_of(table), 1));
    REQUIRE(sweep_fingerprint(sweep, 1) != sweep_fingerprint(sweep, 2));
  }
}

TEST_CASE("sweep: bad sweeps are refused with the key and what was expected", "[sweep]") {
  CHECK_THAT(refusal("[sweep]\n[[sweep.parameters]]\npath = \"buyers[3].demand\"\nvalues = [1]"),
             Catch::Contains("sweep.parameters[0].path") &&
                 Catch::Contains("buyers has 1 entries"));
  CHECK_THAT(refusal("[sweep]\n[[sweep.parameters]]\npath = \"buyers[nobody].demand\"\n"
                     "values = [1]"),
             Catch::Contains("no entry named \"nobody\""));
  CHECK_THAT(refusal("[sweep]\n[[sweep.parameters]]\npath = \"buyers..demand\"\nvalues = [1]"),
             Catch::Contains("expected a path"));
  CHECK_THAT(refusal("[sweep]\n[[sweep.parameters]]\npath = \"buyers[0].demand\"\n"
                     "range = { from = 0, to = 5, steps = 2, scale = \"log\" }"),
             Catch::Contains("sweep.parameters[0].range.from") &&
                 Catch::Contains("a log range needs from > 0"));
  CHECK_THAT(refusal("[sweep]\ndesign = \"sobol\"\npoints = 4\n[[sweep.parameters]]\n"
                     "path = \"buyers[0].demand\"\nvalues = [1, 2]"),
             Catch::Contains("sweep.parameters[0].values") &&
                 Catch::Contains("a sobol design samples ranges"));
  CHECK_THAT(refusal("[sweep]\ndesing = \"grid\"\n[[sweep.parameters]]\n"
                     "path = \"buyers[0].demand\"\nvalues = [1]"),
             Catch::Contains("sweep.desing") && Catch::Contains("unknown key"));
  CHECK_THAT(refusal("[sweep]\n[[sweep.parameters]]\nname = \"complete\"\n"
                     "path = \"buyers[0].demand\"\nvalues = [1]"),
             Catch::Contains("used by the results file itself"));
  CHECK_THAT(refusal("[sweep]\n[[sweep.parameters]]\npath = \"buyers[0].count\"\n"
                     "values = [1.5]"),
             Catch::Contains("at sweep point 0") && Catch::Contains("buyers[0].count") &&
                 Catch::Contains("expected an integer"));
  CHECK_THAT(refusal(""), Catch::Contains("no [sweep] table"));
}
