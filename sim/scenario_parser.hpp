// Reading scenario files (TOML, documented in docs/scenario.md) into the typed Scenario.
//
// The reader validates everything it can before a simulation starts: types, ranges, names that
// refer to other entries, and rules that tie entries together. It reports every problem it finds
// at once, each with file:line:column and the key path, so that a user fixes a file in one pass
// rather than one error per run. toml++ stays an implementation detail of the .cpp.
#pragma once

#include "sim/scenario.hpp"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace baskets {

struct ScenarioError {
  std::string file;    // the path as given
  std::string key;     // e.g. "buyers[2].failover.switch_delay_days" (0-based); "" for the file
  int line = 0;        // 1-based; 0 when unknown
  int column = 0;      // 1-based; 0 when unknown
  std::string message; // what was expected and what was found

  // "FILE:LINE:COL: KEY: MESSAGE", without ":LINE:COL" when the line is unknown and without
  // "KEY: " when the error concerns the whole file: the form compilers use, so that editors
  // can jump to the spot.
  std::string format() const;
};

// Thrown when a scenario cannot be loaded; what() lists every error, one formatted per line.
class ScenarioLoadError : public std::runtime_error {
public:
  explicit ScenarioLoadError(std::vector<ScenarioError> errors);
  const std::vector<ScenarioError>& errors() const { return errors_; }

private:
  std::vector<ScenarioError> errors_;
};

// Reads and validates the file at `path`. Throws ScenarioLoadError when the file cannot be read
// ("cannot open file: <reason>") or when it is not a valid scenario.
Scenario load_scenario(const std::string& path);

// Parses and validates `text`; `source_path` names it in errors and gives Scenario::name (its
// stem). Throws ScenarioLoadError listing all errors found.
Scenario parse_scenario(std::string_view text, const std::string& source_path);

} // namespace baskets
