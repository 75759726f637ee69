// libFuzzer target: `--shard I/N` as the user types it. parse_shard returns a shard with
// 0 <= I < N or throws std::invalid_argument; a returned shard must also read back from its own
// text, since shard files record it and `merge` compares them.
#include "sim/sweep_command.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  baskets::Shard shard;
  try {
    shard = baskets::parse_shard(text);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  if (shard.count == 0 || shard.index >= shard.count)
    __builtin_trap();
  // The whole sweep (0/1) writes "" as its shard text; every other shard reads back the same.
  if (const std::string again = shard.text(); !again.empty()) {
    const baskets::Shard read = baskets::parse_shard(again);
    if (read.index != shard.index || read.count != shard.count)
      __builtin_trap();
  }
  return 0;
}
