// Reading an HDF5 file the user hands us (`info`, `merge`, `--resume`) without letting a damaged
// file take the program down. HDF5 1.10 itself crashes or hangs on some damaged files (fuzzing
// found several: tests/fuzz/known_hdf5_crashes/), so the file is first read in a child process:
// a crash or a hang there becomes a clear error naming the file, and only a file the child read
// to the end is read again here.
#pragma once

#include <functional>
#include <string>

namespace baskets {

// Runs `read` (which reads everything of `path` that the caller will read) in a child process.
// Returns when it succeeded; throws std::runtime_error naming the file with the child's error, or
// saying that reading it crashed or did not finish within `seconds`.
void read_untrusted(const std::string& path, const std::function<void()>& read,
                    unsigned seconds = 120);

} // namespace baskets
