// Writes the sample results of tests/sample_results.hpp for tests/results/check_results_file.py,
// which reads them from Python as a notebook user would:
//   FOLDER/sample.h5              with time series
//   FOLDER/sample_no_entities.h5  time series without providers and governments (empty dims)
//   FOLDER/sample_no_series.h5    without time series
// Usage: write_sample_results SCENARIO FOLDER
#include "outputs/results_file.hpp"
#include "tests/sample_results.hpp"

#include <exception>
#include <iostream>
#include <string>

namespace {

void write(const std::string& path, const baskets::testing::SampleResults& sample,
           bool with_series) {
  baskets::OutputFile output(path, true);
  baskets::write_results(output.temporary_path(), sample.view(with_series));
  output.commit();
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: write_sample_results SCENARIO FOLDER\n";
    return 2;
  }
  try {
    const std::string scenario = argv[1];
    const std::string folder = argv[2];
    const baskets::testing::SampleResults sample(scenario);
    write(folder + "/sample.h5", sample, true);
    write(folder + "/sample_no_series.h5", sample, false);
    const baskets::testing::SampleResults no_entities(scenario, false, false);
    write(folder + "/sample_no_entities.h5", no_entities, true);
  } catch (const std::exception& error) {
    std::cerr << "write_sample_results: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
