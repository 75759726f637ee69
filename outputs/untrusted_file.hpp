// Reading an HDF5 file the user hands us (`info`, `merge`, `--resume`) without letting a damaged
// file take the program down. HDF5 1.10 itself crashes or hangs on some damaged files (fuzzing
// found several: tests/fuzz/known_hdf5_crashes/), and not always the same way twice (it reads
// memory it never wrote). So everything is read in a child process, which sends back what it
// read: a crash or a hang there becomes a clear error naming the file, and the program itself
// never opens the file.
#pragma once

#include <functional>
#include <string>

namespace baskets {

// Runs `read` in a child process and returns the bytes it returned. Throws std::runtime_error
// naming the file with the child's error, or saying that reading it crashed or did not finish
// within `seconds`.
std::string read_untrusted(const std::string& path, const std::function<std::string()>& read,
                           unsigned seconds = 120);

} // namespace baskets
