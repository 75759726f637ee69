#include "sim/provenance.hpp"

#include <fmt/chrono.h>
#include <fmt/core.h>

#include <unistd.h>

#include <array>
#include <csignal>
#include <ctime>

namespace baskets {

std::string utc_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
}

std::string host_name() {
  std::array<char, 256> name{};
  return ::gethostname(name.data(), name.size() - 1) == 0 ? std::string(name.data()) : "unknown";
}

std::string signal_name(int code) {
  switch (code) {
  case SIGINT:
    return "SIGINT";
  case SIGTERM:
    return "SIGTERM";
  default:
    return fmt::format("signal {}", code);
  }
}

} // namespace baskets
