// libFuzzer target: the readers of results files, which `baskets info`, `merge` and
// `sweep --resume` run on files the user names (a shard copied from a cluster may be truncated or
// damaged). describe_results and read_sweep return or throw a std::exception naming the file; a
// crash, another exception or a sanitizer report is a bug.
//
// HDF5 opens files by name, so each input is written to a file of this process first. LeakSanitizer
// ignores HDF5's own leaks on damaged files (lsan.supp); the project's handles are counted here.
#include "outputs/results_file.hpp"
#include "outputs/sweep_file.hpp"

#include <hdf5.h>

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace {

// The file each input is written to, removed when the fuzzer exits normally (after a crash it
// stays, and holds the input that crashed).
struct InputFile {
  std::string path;
  InputFile() {
    const char* tmp = std::getenv("TMPDIR");
    const std::filesystem::path folder = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    path = (folder / ("baskets-fuzz-results-" + std::to_string(getpid()) + ".h5")).string();
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const InputFile file;
  const std::string& path = file.path;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out)
      __builtin_trap(); // the harness cannot write its file: nothing below would mean anything
  }
  try {
    (void)baskets::describe_results(path);
  } catch (const std::exception&) {
  }
  try {
    (void)baskets::read_sweep(path);
  } catch (const std::exception&) {
  }
  // The readers hold HDF5 handles in RAII wrappers: after they return or throw, no file, group,
  // dataset or attribute may stay open (a leaked handle would also keep the file locked).
  if (H5Fget_obj_count(static_cast<hid_t>(H5F_OBJ_ALL), H5F_OBJ_ALL) != 0)
    __builtin_trap();
  return 0;
}
