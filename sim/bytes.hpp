// A plain byte encoding of numbers and strings, for results that cross a process boundary (MPI
// ranks, a child process that reads an untrusted file). Both ends are this program on machines
// of one byte order; the reader checks lengths, so a truncated message is an error, not garbage.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace baskets::bytes {

inline void put(std::string& out, std::uint64_t value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}
inline void put(std::string& out, double value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}
inline void put(std::string& out, std::string_view text) {
  put(out, static_cast<std::uint64_t>(text.size()));
  out.append(text);
}

class Reader {
public:
  explicit Reader(const std::string& in) : in_(in) {}
  bool done() const { return at_ == in_.size(); }
  std::size_t position() const { return at_; }
  template <class T> T take() {
    if (at_ + sizeof(T) > in_.size())
      throw std::runtime_error("truncated data from another process");
    T value;
    std::memcpy(&value, in_.data() + at_, sizeof value);
    at_ += sizeof value;
    return value;
  }
  std::string take_string() {
    const auto size = take<std::uint64_t>();
    if (size > in_.size() - at_)
      throw std::runtime_error("truncated data from another process");
    std::string text = in_.substr(at_, size);
    at_ += size;
    return text;
  }

private:
  const std::string& in_;
  std::size_t at_ = 0;
};

} // namespace baskets::bytes
