// libFuzzer target: the scenario reader on arbitrary text. A scenario file is the program's main
// input, so every byte sequence must end in a Scenario or a ScenarioLoadError listing what is
// wrong; any other exception, a crash, a hang or a sanitizer report is a bug.
#include "sim/scenario_parser.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const baskets::Scenario scenario = baskets::parse_scenario(text, "fuzz.toml");
    (void)scenario;
  } catch (const baskets::ScenarioLoadError& error) {
    // Formatting the errors is part of reading a bad file: `baskets check` prints them.
    for (const baskets::ScenarioError& e : error.errors())
      (void)e.format();
  }
  return 0;
}
