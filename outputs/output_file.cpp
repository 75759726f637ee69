#include "outputs/output_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace baskets {

namespace fs = std::filesystem;

OutputFile::OutputFile(std::string final_path, bool overwrite)
    : final_path_(std::move(final_path)), overwrite_(overwrite) {
  const fs::path target(final_path_);
  if (!target.has_filename())
    throw std::runtime_error(final_path_ + ": not a file name");
  std::error_code error;
  const fs::file_status status = fs::status(target, error);
  if (fs::is_directory(status))
    throw std::runtime_error(final_path_ + ": is a folder");
  if (fs::exists(status) && !overwrite)
    throw std::runtime_error(final_path_ + ": the file exists, and overwriting was not asked for");
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, error))
    throw std::runtime_error(
        fmt::format("{}: the folder {} does not exist", final_path_, folder.string()));
  // Hidden, and named after this process, so that two runs into the same folder never share it.
  temporary_path_ =
      (target.parent_path() /
       fmt::format(".{}.partial-{}", target.filename().string(), static_cast<long>(::getpid())))
          .string();
  // Creating it now proves the folder writable before any replica runs. O_TRUNC: a leftover of
  // an earlier process with the same id is garbage.
  const int fd = ::open(temporary_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int code = errno;
    throw std::runtime_error(fmt::format("{}: cannot write in the folder {}: {}", final_path_,
                                         folder.string(), std::strerror(code)));
  }
  ::close(fd);
}

OutputFile::~OutputFile() {
  if (!committed_ && !keep_temporary_) {
    std::error_code ignored; // a destructor has no one to tell
    fs::remove(temporary_path_, ignored);
  }
}

void OutputFile::checkpoint() {
  rename_to_final();
  published_ = true;
}

void OutputFile::commit() {
  if (committed_)
    return;
  rename_to_final();
  committed_ = true;
}

void OutputFile::rename_to_final() {
  std::error_code error;
  if (!overwrite_ && !published_ && fs::exists(final_path_, error)) {
    keep_temporary_ = true;
    throw std::runtime_error(fmt::format("{}: a file of that name appeared during the run and "
                                         "was left alone; the results are in {}",
                                         final_path_, temporary_path_));
  }
  // rename(2) is atomic within a file system: readers see the old file or the whole new one.
  if (std::rename(temporary_path_.c_str(), final_path_.c_str()) != 0) {
    const int code = errno;
    throw std::runtime_error(fmt::format("{}: cannot rename {} to it: {}", final_path_,
                                         temporary_path_, std::strerror(code)));
  }
}

} // namespace baskets
