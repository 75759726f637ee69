// Whole reads and writes on a pipe between a worker process and its parent: write(2) and read(2)
// may move fewer bytes than asked, or be interrupted by a signal.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace baskets {

// Writes all `size` bytes; false if the other end is gone (or another error).
inline bool write_all(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, bytes, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Reads exactly `size` bytes; false at end of file or on an error.
inline bool read_all(int fd, void* data, std::size_t size) {
  auto* bytes = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, bytes, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

} // namespace baskets
