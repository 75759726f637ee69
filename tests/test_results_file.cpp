// The HDF5 results file: written from known results, read back through the HDF5 C API (via the
// project's RAII layer), value by value. tests/results/check_results_file.py reads the same kind
// of file from Python.
#include "baskets/version.hpp"
#include "outputs/hdf5.hpp"
#include "outputs/results_file.hpp"
#include "tests/sample_results.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

using namespace baskets;
using namespace baskets::testing;
namespace fs = std::filesystem;

namespace {

const std::string scenario_path = BASKETS_SOURCE_DIR "/tests/cli/valid_base.toml";

// A fresh folder, removed with everything in it at the end of the test.
class TemporaryFolder {
public:
  TemporaryFolder() {
    std::string pattern = (fs::temp_directory_path() / "baskets-results-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot create a temporary folder");
    path_ = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

private:
  fs::path path_;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string written(const TemporaryFolder& folder, const ResultsToWrite& results,
                    const std::string& name = "results.h5") {
  const std::string path = folder.file(name);
  write_results(path, results);
  return path;
}

std::vector<double> doubles(const h5::File& file, const std::string& path) {
  return h5::read<double>(h5::open_dataset(file.id(), path));
}

std::vector<std::string> strings(const h5::File& file, const std::string& path) {
  return h5::read_strings(h5::open_dataset(file.id(), path));
}

std::vector<std::string> dims(const h5::File& file, const std::string& path) {
  return h5::dimension_names(h5::open_dataset(file.id(), path));
}

std::string text_attribute(const h5::File& file, const std::string& path, const std::string& name) {
  return h5::read_string_attribute(h5::open_dataset(file.id(), path).id(), name);
}

std::vector<std::string> names(const std::vector<std::string>& strategies_in_scenario) {
  return strategies_in_scenario;
}

} // namespace

TEST_CASE("results: the summary table holds every replica, strategy and metric") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  const h5::File file = h5::open_file(written(folder, sample.view(false)));

  CHECK(h5::read<std::uint64_t>(h5::open_dataset(file.id(), "replica")) == sample_replicas);
  CHECK(strings(file, "strategy") == names({"one basket", second_strategy}));
  CHECK(h5::is_dimension(h5::open_dataset(file.id(), "replica")));
  CHECK(h5::is_dimension(h5::open_dataset(file.id(), "strategy")));
  CHECK(dims(file, "strategy") == names({"strategy"}));

  for (std::size_t m = 0; m < metric_count; ++m) {
    const std::string name(metric_info[m].name);
    INFO(name);
    CHECK(h5::shape(h5::open_dataset(file.id(), name)) == std::vector<hsize_t>{5, 2});
    CHECK(dims(file, name) == names({"replica", "strategy"}));
    const std::vector<double> values = doubles(file, name);
    for (std::size_t i = 0; i < sample_replicas.size(); ++i)
      for (std::size_t s = 0; s < 2; ++s)
        CHECK(values[(i * 2) + s] == sample_value(sample_replicas[i], s, m));
    // A bare "days" would come out of xarray as timedelta64: the file says "day".
    const std::string unit(metric_info[m].unit);
    CHECK(text_attribute(file, name, "units") == (unit == "days" ? "day" : unit));
    CHECK_FALSE(text_attribute(file, name, "long_name").empty());
  }
  CHECK(h5::read<std::uint64_t>(h5::open_dataset(file.id(), "seed")) ==
        std::vector<std::uint64_t>(5, sample_seed));
  CHECK(dims(file, "seed") == names({"replica"}));
}

TEST_CASE("results: the providers table holds every replica, provider and provider metric") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  const h5::File file = h5::open_file(written(folder, sample.view(false)));

  // Hyperscalers, then the open labs that host an API; not the lab that only publishes weights.
  const std::vector<std::string> providers{"Atlas", hosted_lab};
  CHECK(strings(file, "providers/provider") == providers);
  CHECK(h5::is_dimension(h5::open_dataset(file.id(), "providers/provider")));
  CHECK(h5::read<std::uint64_t>(h5::open_dataset(file.id(), "providers/replica")) ==
        sample_replicas);
  CHECK(h5::is_dimension(h5::open_dataset(file.id(), "providers/replica")));
  for (std::size_t m = 0; m < provider_metric_count; ++m) {
    const std::string name = "providers/provider_" + std::string(provider_metric_info[m].name);
    INFO(name);
    CHECK(h5::shape(h5::open_dataset(file.id(), name)) == std::vector<hsize_t>{5, 2});
    CHECK(dims(file, name) == names({"replica", "provider"}));
    const std::vector<double> values = doubles(file, name);
    for (std::size_t i = 0; i < sample_replicas.size(); ++i)
      for (std::size_t p = 0; p < providers.size(); ++p)
        CHECK(values[(i * 2) + p] == sample_provider_value(sample_replicas[i], p, m));
    CHECK(text_attribute(file, name, "units") == provider_metric_info[m].unit);
    CHECK_FALSE(text_attribute(file, name, "long_name").empty());
  }
  CHECK(text_attribute(file, "providers/provider_revenue", "units") == "currency");
  CHECK(text_attribute(file, "providers/provider_energy", "units") == "kWh");
  // The root group keeps to (replica, strategy): its .to_dataframe() is the summary table.
  CHECK_FALSE(h5::has_member(file.id(), "provider"));
  CHECK_FALSE(h5::has_member(file.id(), "provider_revenue"));
}

TEST_CASE("results: provenance attributes and the scenario text") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  const h5::File file = h5::open_file(written(folder, sample.view()));
  const hid_t root = file.id();
  const auto text = [&](const std::string& name) { return h5::read_string_attribute(root, name); };
  const auto count = [&](const std::string& name) {
    return h5::read_attribute<std::uint64_t>(root, name);
  };

  CHECK(text("program") == "baskets");
  CHECK(text("program_version") == program_version);
  CHECK(text("git_commit") == git_commit);
  CHECK(count("schema_version") == 2);
  CHECK(text("title").find("valid_base") != std::string::npos);
  CHECK(text("status") == "complete");
  CHECK(text("partial_reason").empty());
  CHECK(count("replicas_requested") == 6);
  CHECK(count("replicas_completed") == 5);
  CHECK(count("replicas_failed") == 1);
  CHECK(count("seed") == sample_seed);
  CHECK(text("scenario_name") == "valid_base");
  CHECK(text("scenario_path") == scenario_path);
  CHECK(h5::read_attribute<double>(root, "horizon_days") == 365.0);
  CHECK(h5::read_attribute<double>(root, "long_outage_threshold_days") == 30.0);
  CHECK(text("command_line") == sample.provenance.command_line);
  CHECK(text("started_at") == sample.provenance.started_at);
  CHECK(text("finished_at") == sample.provenance.finished_at);
  CHECK(text("host") == "testhost");
  CHECK(text("simgrid_version").starts_with("3."));
  CHECK(text("boost_version").starts_with("1."));
  CHECK_FALSE(text("random123_version").empty());
  CHECK(text("hdf5_version") == h5::library_version());

  CHECK(h5::read_string(h5::open_dataset(root, "provenance/scenario_text")) ==
        read_text(scenario_path));
  CHECK(h5::read_string(h5::open_dataset(root, "provenance/command_line")) ==
        sample.provenance.command_line);
}

TEST_CASE("results: statistics and tail risk are those of assess_risk") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  const h5::File file = h5::open_file(written(folder, sample.view(false)));
  const std::vector<StrategyRisk>& risk = sample.risk;

  CHECK(strings(file, "statistics/strategy") == names({"one basket", second_strategy}));
  std::vector<std::string> metrics;
  std::vector<std::string> units;
  for (const MetricInfo& info : metric_info) {
    metrics.emplace_back(info.name);
    units.emplace_back(info.unit == "days" ? "day" : info.unit);
  }
  CHECK(strings(file, "statistics/metric") == metrics);
  CHECK(strings(file, "statistics/unit") == units);
  CHECK(dims(file, "statistics/unit") == names({"metric"}));

  const std::vector<double> mean = doubles(file, "statistics/mean");
  const std::vector<double> p95 = doubles(file, "statistics/p95");
  const std::vector<double> ci95_low = doubles(file, "statistics/ci95_low");
  const std::vector<double> paired = doubles(file, "statistics/paired_difference");
  const std::vector<double> paired_high = doubles(file, "statistics/paired_ci95_high");
  const std::vector<double> better = doubles(file, "statistics/probability_better");
  REQUIRE(mean.size() == 2 * metric_count);
  for (std::size_t s = 0; s < 2; ++s)
    for (std::size_t m = 0; m < metric_count; ++m) {
      const std::size_t i = (s * metric_count) + m;
      CHECK(mean[i] == risk[s].metrics[m].estimate.mean);
      CHECK(p95[i] == risk[s].metrics[m].p95);
      CHECK(ci95_low[i] == risk[s].metrics[m].ci95.low);
      CHECK(paired[i] == risk[s].paired[m].difference.mean);
      CHECK(paired_high[i] == risk[s].paired[m].ci95.high);
      CHECK(better[i] == risk[s].paired[m].probability_better);
    }
  // The second strategy's values are 10 above the first's in every replica.
  CHECK(paired[metric_count] == Approx(10.0));
  CHECK(dims(file, "statistics/mean") == names({"strategy", "metric"}));
  CHECK(text_attribute(file, "statistics/mean", "coordinates") == "unit");
  CHECK(text_attribute(file, "statistics/probability_better", "units") == "1");

  CHECK(strings(file, "tail_risk/loss") == names({"unserved_share", "cost_total"}));
  CHECK(strings(file, "tail_risk/unit") == names({"share", "currency/buyer"}));
  const std::vector<double> var95 = doubles(file, "tail_risk/var95");
  const std::vector<double> cvar99 = doubles(file, "tail_risk/cvar99");
  for (std::size_t s = 0; s < 2; ++s) {
    CHECK(var95[2 * s] == risk[s].unserved_share_loss.var95);
    CHECK(var95[(2 * s) + 1] == risk[s].cost_loss.var95);
    CHECK(cvar99[2 * s] == risk[s].unserved_share_loss.cvar99);
    CHECK(cvar99[(2 * s) + 1] == risk[s].cost_loss.cvar99);
  }
  CHECK(dims(file, "tail_risk/cvar95") == names({"strategy", "loss"}));
  CHECK(doubles(file, "tail_risk/probability_long_outage") ==
        std::vector<double>{risk[0].probability_long_outage, risk[1].probability_long_outage});
  CHECK(dims(file, "tail_risk/probability_long_outage") == names({"strategy"}));
  CHECK(h5::read_attribute<double>(
            h5::open_dataset(file.id(), "tail_risk/probability_long_outage").id(),
            "threshold_days") == 30.0);
}

TEST_CASE("results: time series are laid out replica x entity x time, one chunk per replica") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  const h5::File file = h5::open_file(written(folder, sample.view()));
  const std::size_t n = sample.layout.samples();
  REQUIRE(n == 12); // 30, 60, ..., 360 days

  const h5::Group group = h5::open_group(file.id(), "timeseries");
  CHECK(h5::read_attribute<double>(group.id(), "step_days") == sample_step_days);
  CHECK(doubles(file, "timeseries/time") == sample.layout.times);
  CHECK(text_attribute(file, "timeseries/time", "units") == "day");
  CHECK(h5::read<std::uint64_t>(h5::open_dataset(file.id(), "timeseries/replica")) ==
        sample_replicas);
  CHECK(strings(file, "timeseries/strategy") == sample.layout.strategies);
  CHECK(strings(file, "timeseries/provider") == names({"Atlas", hosted_lab}));
  CHECK(strings(file, "timeseries/government") == names({"US government"}));

  struct Expected {
    std::string name;
    std::string entity;
    std::size_t entities;
  };
  // In ReplicaTimeSeries::all() order, which sample_series_value's index follows.
  const std::array<Expected, 10> expected{{{"served_share", "strategy", 2},
                                           {"outage_share", "strategy", 2},
                                           {"quality_gap", "strategy", 2},
                                           {"utilisation", "provider", 2},
                                           {"price", "provider", 2},
                                           {"market_share", "provider", 2},
                                           {"capacity", "provider", 2},
                                           {"energy", "provider", 2},
                                           {"providers_cut_off", "", 1},
                                           {"tension", "government", 1}}};
  REQUIRE(ReplicaTimeSeries{}.all().size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Expected& e = expected[i];
    INFO(e.name);
    const std::string path = "timeseries/" + e.name;
    const h5::Dataset dataset = h5::open_dataset(file.id(), path);
    const h5::StorageInfo storage = h5::storage_info(dataset);
    if (e.entity.empty()) {
      CHECK(h5::shape(dataset) == std::vector<hsize_t>{5, n});
      CHECK(h5::dimension_names(dataset) == names({"replica", "time"}));
      CHECK(storage.chunk == std::vector<hsize_t>{1, n});
    } else {
      CHECK(h5::shape(dataset) == std::vector<hsize_t>{5, e.entities, n});
      CHECK(h5::dimension_names(dataset) == names({"replica", e.entity, "time"}));
      CHECK(storage.chunk == std::vector<hsize_t>{1, e.entities, n});
    }
    CHECK(storage.gzip_level == 4);
    CHECK(storage.shuffled);
    const std::vector<double> values = h5::read<double>(dataset);
    for (std::size_t r = 0; r < sample_replicas.size(); ++r)
      for (std::size_t entity = 0; entity < e.entities; ++entity)
        for (std::size_t k = 0; k < n; ++k)
          CHECK(values[(((r * e.entities) + entity) * n) + k] ==
                sample_series_value(i, sample_replicas[r], entity, k));
  }
  CHECK(text_attribute(file, "timeseries/tension", "flag_meanings") == "calm tense crisis");
  CHECK(text_attribute(file, "timeseries/market_share", "units") == "share");
  CHECK(text_attribute(file, "timeseries/capacity", "units") == "work units/day");
  CHECK(text_attribute(file, "timeseries/energy", "units") == "kWh");
}

TEST_CASE("results: time series without providers or governments have empty dimensions") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path, false, false);
  const h5::File file = h5::open_file(written(folder, sample.view()));
  const std::size_t n = sample.layout.samples();
  CHECK(h5::shape(h5::open_dataset(file.id(), "timeseries/provider")) == std::vector<hsize_t>{0});
  CHECK(h5::shape(h5::open_dataset(file.id(), "timeseries/government")) == std::vector<hsize_t>{0});
  for (const std::string name : {"utilisation", "price", "market_share", "capacity", "energy"}) {
    const h5::Dataset dataset = h5::open_dataset(file.id(), "timeseries/" + name);
    CHECK(h5::shape(dataset) == std::vector<hsize_t>{5, 0, n});
    CHECK(h5::dimension_names(dataset) == names({"replica", "provider", "time"}));
    CHECK(h5::storage_info(dataset).chunk.empty()); // HDF5 cannot chunk an empty dimension
  }
  CHECK(h5::shape(h5::open_dataset(file.id(), "timeseries/tension")) ==
        std::vector<hsize_t>{5, 0, n});
  CHECK(h5::shape(h5::open_dataset(file.id(), "timeseries/served_share")) ==
        std::vector<hsize_t>{5, 2, n});
}

TEST_CASE("results: without a time series layout there is no timeseries group") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  const h5::File file = h5::open_file(written(folder, sample.view(false)));
  CHECK_FALSE(h5::has_member(file.id(), "timeseries"));
  CHECK(h5::has_member(file.id(), "statistics"));
  CHECK(h5::has_member(file.id(), "provenance"));
}

TEST_CASE("results: a partial run says so") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  ResultsToWrite results = sample.view(false);
  results.provenance.complete = false;
  results.provenance.partial_reason = "interrupted by SIGINT";
  const std::string path = written(folder, results);
  const h5::File file = h5::open_file(path);
  CHECK(h5::read_string_attribute(file.id(), "status") == "partial");
  CHECK(h5::read_string_attribute(file.id(), "partial_reason") == "interrupted by SIGINT");
  CHECK_THAT(describe_results(path),
             Catch::Contains("partial (interrupted by SIGINT): 5 of 6 replicas completed"));
}

TEST_CASE("results: with no completed replica the statistics are NaN") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  const std::vector<ReplicaResult> none;
  const std::vector<StrategyRisk> no_risk;
  ResultsToWrite results = sample.view(false);
  results.replicas = &none;
  results.risk = &no_risk;
  const h5::File file = h5::open_file(written(folder, results));
  CHECK(h5::shape(h5::open_dataset(file.id(), "served_share")) == std::vector<hsize_t>{0, 2});
  const std::vector<double> mean = doubles(file, "statistics/mean");
  REQUIRE(mean.size() == 2 * metric_count);
  CHECK(std::ranges::all_of(mean, [](double x) { return std::isnan(x); }));
  CHECK(std::isnan(doubles(file, "tail_risk/var95").front()));
}

TEST_CASE("results: inconsistent input is refused before anything is written") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  SECTION("a time series missing") {
    std::vector<ReplicaTimeSeries> fewer = sample.series;
    fewer.pop_back();
    ResultsToWrite results = sample.view();
    results.series = &fewer;
    CHECK_THROWS_AS(write_results(folder.file("x.h5"), results), std::invalid_argument);
  }
  SECTION("a series of the wrong length") {
    std::vector<ReplicaTimeSeries> shorter = sample.series;
    shorter[2].tension.pop_back();
    ResultsToWrite results = sample.view();
    results.series = &shorter;
    CHECK_THROWS_WITH(write_results(folder.file("x.h5"), results),
                      Catch::Contains("replica 2") && Catch::Contains("11 values"));
  }
  SECTION("a replica with a provider missing") {
    std::vector<ReplicaResult> replicas = sample.replicas;
    replicas[3].providers.pop_back();
    ResultsToWrite results = sample.view(false);
    results.replicas = &replicas;
    CHECK_THROWS_WITH(write_results(folder.file("x.h5"), results),
                      Catch::Contains("replica 4") && Catch::Contains("1 providers") &&
                          Catch::Contains("scenario has 2"));
  }
  SECTION("a replica without providers among replicas with them") {
    std::vector<ReplicaResult> replicas = sample.replicas;
    replicas[0].providers.clear();
    ResultsToWrite results = sample.view(false);
    results.replicas = &replicas;
    CHECK_THROWS_WITH(write_results(folder.file("x.h5"), results),
                      Catch::Contains("replica 0") && Catch::Contains("0 providers"));
  }
  SECTION("every replica with a provider too many") {
    std::vector<ReplicaResult> replicas = sample.replicas;
    for (ReplicaResult& replica : replicas)
      replica.providers.emplace_back();
    ResultsToWrite results = sample.view(false);
    results.replicas = &replicas;
    CHECK_THROWS_WITH(write_results(folder.file("x.h5"), results),
                      Catch::Contains("3 providers") && Catch::Contains("scenario has 2"));
  }
  SECTION("a provider series of the wrong length") {
    std::vector<ReplicaTimeSeries> shorter = sample.series;
    shorter[4].market_share.pop_back();
    ResultsToWrite results = sample.view();
    results.series = &shorter;
    CHECK_THROWS_WITH(write_results(folder.file("x.h5"), results),
                      Catch::Contains("replica 5") && Catch::Contains("market_share") &&
                          Catch::Contains("23 values"));
  }
  SECTION("a replica with a strategy missing") {
    std::vector<ReplicaResult> replicas = sample.replicas;
    replicas[1].strategies.pop_back();
    ResultsToWrite results = sample.view(false);
    results.replicas = &replicas;
    CHECK_THROWS_AS(write_results(folder.file("x.h5"), results), std::invalid_argument);
  }
  CHECK_FALSE(fs::exists(folder.file("x.h5")));
}

TEST_CASE("results: no units attribute that xarray would decode as dates or durations") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  const h5::File file = h5::open_file(written(folder, sample.view()));
  const std::array<std::string, 7> time_units{
      "days", "hours", "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds"};
  std::size_t checked = 0;
  const auto check_group = [&](hid_t group) {
    for (const h5::Member& member : h5::members(group)) {
      if (member.kind != h5::MemberKind::dataset)
        continue;
      const h5::Dataset dataset = h5::open_dataset(group, member.name);
      if (!h5::has_attribute(dataset.id(), "units"))
        continue;
      const std::string units = h5::read_string_attribute(dataset.id(), "units");
      INFO(member.name << ": " << units);
      CHECK(units.find("since") == std::string::npos);
      CHECK(std::ranges::find(time_units, units) == time_units.end());
      ++checked;
    }
  };
  check_group(file.id());
  for (const std::string group : {"statistics", "tail_risk", "providers", "timeseries"})
    check_group(h5::open_group(file.id(), group).id());
  CHECK(checked > metric_count);
}

TEST_CASE("results: OutputFile writes under a temporary name and renames on commit") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  const std::string path = folder.file("run.h5");

  SECTION("the temporary file is hidden in the same folder, and gone after commit") {
    {
      OutputFile output(path, false);
      const fs::path temporary(output.temporary_path());
      CHECK(temporary.parent_path() == folder.path());
      CHECK(temporary.filename().string().starts_with(".run.h5.partial-"));
      CHECK(fs::exists(temporary)); // created up front: the folder is writable
      CHECK(output.final_path() == path);
      write_results(output.temporary_path(), sample.view(false));
      CHECK_FALSE(fs::exists(path));
      output.commit();
      CHECK_FALSE(fs::exists(temporary));
    }
    CHECK(h5::is_hdf5_file(path));
    CHECK(std::distance(fs::directory_iterator(folder.path()), fs::directory_iterator()) == 1);
  }
  SECTION("without commit, the temporary file is removed and nothing else appears") {
    std::string temporary;
    {
      const OutputFile output(path, false);
      temporary = output.temporary_path();
      write_results(temporary, sample.view(false));
    }
    CHECK_FALSE(fs::exists(temporary));
    CHECK_FALSE(fs::exists(path));
  }
  SECTION("an existing file is refused without overwrite, and left untouched") {
    write_text(path, "earlier results");
    CHECK_THROWS_WITH(OutputFile(path, false), Catch::Contains(path) && Catch::Contains("exists"));
    CHECK(read_text(path) == "earlier results");
    CHECK(std::distance(fs::directory_iterator(folder.path()), fs::directory_iterator()) == 1);
  }
  SECTION("with overwrite, an existing file stays until commit, then is replaced") {
    write_text(path, "earlier results");
    OutputFile output(path, true);
    write_results(output.temporary_path(), sample.view(false));
    CHECK(read_text(path) == "earlier results");
    output.commit();
    CHECK(h5::is_hdf5_file(path));
  }
  SECTION("a file that appeared during the run is left alone, and the results kept") {
    std::string temporary;
    {
      OutputFile output(path, false);
      temporary = output.temporary_path();
      write_results(temporary, sample.view(false));
      write_text(path, "someone else's");
      CHECK_THROWS_WITH(output.commit(), Catch::Contains(path) && Catch::Contains(temporary));
    }
    CHECK(read_text(path) == "someone else's");
    CHECK(h5::is_hdf5_file(temporary));
  }
  SECTION("a missing folder is refused, naming the path") {
    const std::string missing = folder.file("no/such/folder/run.h5");
    CHECK_THROWS_WITH(OutputFile(missing, false),
                      Catch::Contains(missing) && Catch::Contains("does not exist"));
  }
  SECTION("an unwritable folder is refused, naming the path") {
    // Nobody may create files in /proc, root included.
    CHECK_THROWS_WITH(OutputFile("/proc/baskets-run.h5", true),
                      Catch::Contains("/proc/baskets-run.h5") && Catch::Contains("cannot write"));
    if (::geteuid() != 0) { // permissions do not stop root
      const fs::path locked = folder.path() / "locked";
      fs::create_directory(locked);
      fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
      CHECK_THROWS_WITH(OutputFile((locked / "run.h5").string(), true),
                        Catch::Contains("cannot write"));
      fs::permissions(locked, fs::perms::owner_all);
    }
  }
  SECTION("a folder is not a file name") {
    CHECK_THROWS_WITH(OutputFile(folder.path().string(), true), Catch::Contains("folder"));
  }
}

TEST_CASE("results: describe_results gives the provenance, the contents and the loads") {
  const TemporaryFolder folder;
  const SampleResults sample(scenario_path);
  const std::string path = written(folder, sample.view());
  const std::string text = describe_results(path);
  INFO(text);
  const std::string file = "xr.open_dataset(\"" + path + "\", engine=\"h5netcdf\"";
  const std::vector<std::string> expected{
      path + ": baskets results file (schema 2)",
      fmt::format("baskets {} (commit {})", program_version, git_commit),
      "complete: 5 of 6 replicas completed, 1 failed",
      "valid_base (" + scenario_path + ")",
      "seed         7",
      "365 days",
      "testhost",
      "2024-05-01T12:00:09Z",
      sample.provenance.command_line,
      "HDF5 " + h5::library_version(),
      "SimGrid 3.",
      "dimensions: replica = 5, strategy = 2",
      "(replica, strategy): served_share, unserved_work",
      "(replica): seed",
      "/statistics",
      "(strategy, metric): mean, standard_error",
      "metric = 12",
      "/tail_risk",
      "(strategy, loss): var95",
      "/providers  (per-replica provider table: one row per replica x provider)",
      "dimensions: replica = 5, provider = 2",
      "(replica, provider): provider_served_work, provider_revenue",
      "(replica, provider, time): utilisation, price, market_share, capacity, energy",
      "/timeseries",
      "time = 12",
      "(replica, strategy, time): served_share",
      "(replica, time): providers_cut_off",
      "/provenance",
      "scalars: scenario_text (string), command_line (string)",
      file + ").to_dataframe()",
      file + ", group=\"statistics\").to_dataframe()",
      file + ", group=\"tail_risk\").to_dataframe()",
      file + ", group=\"providers\").to_dataframe()",
      file + ", group=\"timeseries\")",
  };
  for (const std::string& e : expected)
    CHECK_THAT(text, Catch::Contains(e));
}

TEST_CASE("results: describe_results refuses what is not a results file, naming it") {
  const TemporaryFolder folder;
  SECTION("a missing file") {
    const std::string path = folder.file("missing.h5");
    CHECK_THROWS_WITH(describe_results(path),
                      Catch::Contains(path) && Catch::Contains("no such file"));
  }
  SECTION("a file that is not HDF5") {
    const std::string path = folder.file("garbage.h5");
    write_text(path, "this is not an HDF5 file\n");
    CHECK_THROWS_WITH(describe_results(path),
                      Catch::Contains(path) && Catch::Contains("not an HDF5 file"));
  }
  SECTION("an HDF5 file that baskets did not write") {
    const std::string path = folder.file("other.h5");
    {
      h5::File file = h5::create_file(path);
      h5::set_attribute(file.id(), "program", "something else");
      file.close();
    }
    CHECK_THROWS_WITH(describe_results(path),
                      Catch::Contains(path) && Catch::Contains("not a baskets results file"));
  }
  SECTION("a folder") {
    CHECK_THROWS_WITH(describe_results(folder.path().string()), Catch::Contains("folder"));
  }
}

TEST_CASE("results: HDF5 failures are exceptions that say what was done and carry the stack") {
  const TemporaryFolder folder;
  const std::string path = folder.file("layer.h5");
  h5::File file = h5::create_file(path);
  CHECK_THROWS_WITH(h5::open_dataset(file.id(), "no_such"),
                    Catch::Contains("opening dataset /no_such in " + path) &&
                        Catch::Contains("HDF5 error stack") && Catch::Contains("H5Dopen2"));
  CHECK_THROWS_AS(h5::read_string_attribute(file.id(), "missing"), h5::Error);
  const std::string unwritable = folder.file("no/such/folder/x.h5");
  CHECK_THROWS_WITH(h5::create_file(unwritable),
                    Catch::Contains("creating HDF5 file " + unwritable));

  SECTION("numbers and strings round-trip, attributes are replaced") {
    const std::vector<double> values{1.5, -2.0, 3.25, 4.0, 5.0, 6.0};
    h5::write_dataset<double>(file.id(), "matrix", {2, 3}, values);
    CHECK(h5::read<double>(h5::open_dataset(file.id(), "matrix")) == values);
    CHECK(h5::type_name(h5::open_dataset(file.id(), "matrix")) == "float64");
    h5::set_attribute(file.id(), "n", std::uint64_t{3});
    h5::set_attribute(file.id(), "n", std::uint64_t{4});
    CHECK(h5::read_attribute<std::uint64_t>(file.id(), "n") == 4);
    CHECK(h5::attribute_text(file.id(), "n") == "4");
    h5::set_attribute(file.id(), "text", "é ü ✓");
    CHECK(h5::read_string_attribute(file.id(), "text") == "é ü ✓");
    CHECK(h5::attribute_names(file.id()) == names({"n", "text"}));
    CHECK_THROWS_WITH(h5::write_dataset<double>(file.id(), "short", {4}, values),
                      Catch::Contains("6 values for 4 elements"));
  }
  SECTION("strings written by other programs: fixed-length, or ASCII") {
    const h5::Dataspace scalar(H5Screate(H5S_SCALAR));
    const h5::Datatype fixed(H5Tcopy(H5T_C_S1));
    H5Tset_size(fixed.id(), 10);
    H5Tset_strpad(fixed.id(), H5T_STR_NULLPAD);
    const h5::Attribute padded(
        H5Acreate2(file.id(), "fixed", fixed.id(), scalar.id(), H5P_DEFAULT, H5P_DEFAULT));
    const std::array<char, 10> bytes{'b', 'a', 's', 'k', 'e', 't', 's'};
    H5Awrite(padded.id(), fixed.id(), bytes.data());
    CHECK(h5::read_string_attribute(file.id(), "fixed") == "baskets");

    const h5::Datatype ascii(H5Tcopy(H5T_C_S1)); // variable-length, ASCII
    H5Tset_size(ascii.id(), H5T_VARIABLE);
    const h5::Attribute variable(
        H5Acreate2(file.id(), "ascii", ascii.id(), scalar.id(), H5P_DEFAULT, H5P_DEFAULT));
    const char* text = "plain";
    H5Awrite(variable.id(), ascii.id(), &text);
    CHECK(h5::read_string_attribute(file.id(), "ascii") == "plain");
    CHECK(h5::attribute_text(file.id(), "ascii") == "plain");
  }
  file.close();
}
