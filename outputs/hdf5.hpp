// A thin RAII layer over the HDF5 C API, just what the results file needs. The official C++ API
// is incomplete (no dimension scales) and HighFive is not packaged in Debian, so this wraps the C
// API directly:
//   - every identifier is owned by a handle that closes it;
//   - HDF5's automatic printing of errors to stderr is off, and a failed call throws h5::Error,
//     whose message says what was being done, on which object of which file, followed by HDF5's
//     own error stack;
//   - strings are always variable-length UTF-8 (fixed-length byte strings break xarray's netcdf4
//     engine), numbers little-endian float64, uint64 or int64;
//   - netCDF-4 dimensions are HDF5 dimension scales (the HL H5DS API), so that xarray's h5netcdf
//     engine sees named dimensions.
// HDF5 in Debian is thread-safe only through one global lock: call this from one thread.
#pragma once

#include <hdf5.h>

#include <concepts>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baskets::h5 {

// An HDF5 call failed. what(): "<what was being done>: <HDF5 error stack>".
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

namespace detail {
// Closes a handle now and throws on failure (closing a file is when HDF5 flushes it).
void close_or_throw(hid_t id, herr_t (*close)(hid_t));
} // namespace detail

// Owns one HDF5 identifier, closed by `Close` (H5Fclose, H5Dclose, ...). Move-only. Each kind of
// object has its own close function, so each kind is a distinct type and a dataset cannot be
// passed where a file is expected.
template <herr_t (*Close)(hid_t)> class Handle {
public:
  Handle() = default;
  explicit Handle(hid_t id) noexcept : id_(id) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  // A destructor cannot report a failure: call close() where one matters.
  ~Handle() { reset(); }

  hid_t id() const noexcept { return id_; }
  explicit operator bool() const noexcept { return id_ >= 0; }

  void close() { detail::close_or_throw(std::exchange(id_, H5I_INVALID_HID), Close); }

private:
  void reset() noexcept {
    if (id_ >= 0)
      Close(id_);
    id_ = H5I_INVALID_HID;
  }
  hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using Attribute = Handle<H5Aclose>;
using PropertyList = Handle<H5Pclose>;
using Object = Handle<H5Oclose>; // any of the above, opened by path

// The numbers the layer stores, each with a fixed little-endian type in the file.
template <class T>
concept Number =
    std::same_as<T, double> || std::same_as<T, std::uint64_t> || std::same_as<T, std::int64_t>;

// "/statistics/mean in results.h5": an object (and optionally a child of it) as messages name it.
std::string describe_location(hid_t object, std::string_view child = {});

// ---- files and groups ----------------------------------------------------------------------

// Creates (or truncates) a file. Links and attributes keep their creation order, as netCDF-4
// files do, so that readers list variables in the order they were written.
File create_file(const std::string& path);
// Opens an existing file read-only.
File open_file(const std::string& path);
// Whether the file is an HDF5 file (false for any other file; throws if it cannot be read).
bool is_hdf5_file(const std::string& path);

Group create_group(hid_t parent, const std::string& name);
Group open_group(hid_t parent, const std::string& name);
Dataset open_dataset(hid_t parent, const std::string& name);
bool has_member(hid_t group, const std::string& name);

enum class MemberKind { group, dataset, other };
struct Member {
  std::string name;
  MemberKind kind = MemberKind::other;
};
// The members of a group, in creation order where the group tracks it, else by name.
std::vector<Member> members(hid_t group);

// ---- datasets ------------------------------------------------------------------------------

// How a dataset is stored. No chunk: contiguous. A chunk (one extent per dimension, each at least
// 1; clamped to the dataset's shape) with gzip_level > 0 also compresses, after the byte shuffle
// that makes float64 compress well. A dataset with an empty dimension cannot be chunked and is
// always stored contiguous.
struct Storage {
  std::vector<hsize_t> chunk;
  unsigned gzip_level = 0;
};

// An uninitialised dataset of T with this shape (rank 0: a scalar); fill it with write() or
// write_block().
template <Number T>
Dataset create_dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& shape,
                       const Storage& storage = {});

// Writes the whole dataset; values.size() must equal its number of elements.
template <Number T> void write(const Dataset& dataset, std::span<const T> values);

// Writes the block at `index` along the first dimension (one replica, say): values.size() must
// equal the product of the other dimensions.
template <Number T>
void write_block(const Dataset& dataset, hsize_t index, std::span<const T> values);

// create_dataset then write.
template <Number T>
Dataset write_dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& shape,
                      std::span<const T> values, const Storage& storage = {});

// A 1-D dataset of variable-length UTF-8 strings.
Dataset write_strings(hid_t parent, const std::string& name,
                      const std::vector<std::string>& values);
// A scalar variable-length UTF-8 string dataset (long text such as a scenario file).
Dataset write_string(hid_t parent, const std::string& name, std::string_view value);

std::vector<hsize_t> shape(const Dataset& dataset);
// "float64", "uint64", "int64", "string", or HDF5's class for anything else.
std::string type_name(const Dataset& dataset);

template <Number T> std::vector<T> read(const Dataset& dataset);
// Variable- or fixed-length strings, any rank, in storage order.
std::vector<std::string> read_strings(const Dataset& dataset);
// A scalar (or one-element) string dataset.
std::string read_string(const Dataset& dataset);

// The storage of a dataset as created: its chunk (empty if not chunked) and its gzip level (0 if
// not compressed); `shuffled` says whether the shuffle filter precedes it.
struct StorageInfo {
  std::vector<hsize_t> chunk;
  unsigned gzip_level = 0;
  bool shuffled = false;
};
StorageInfo storage_info(const Dataset& dataset);

// ---- attributes ----------------------------------------------------------------------------

// Scalar attributes; an existing attribute of that name is replaced. Strings are variable-length
// UTF-8.
void set_attribute(hid_t object, const std::string& name, std::string_view value);
template <Number T> void set_attribute(hid_t object, const std::string& name, T value);
// A 1-D numeric attribute (netCDF allows vectors of numbers as attributes).
template <Number T>
void set_attribute(hid_t object, const std::string& name, std::span<const T> values);

bool has_attribute(hid_t object, const std::string& name);
std::vector<std::string> attribute_names(hid_t object);
// Throws h5::Error if the attribute is missing or not a string.
std::string read_string_attribute(hid_t object, const std::string& name);
// Throws h5::Error if the attribute is missing or not a scalar number; converts like H5Aread.
template <Number T> T read_attribute(hid_t object, const std::string& name);
// Any scalar string or number as text ("" if there is no such attribute): for listings.
std::string attribute_text(hid_t object, const std::string& name);

// ---- netCDF-4 dimensions (HDF5 dimension scales) -------------------------------------------

// Makes a 1-D dataset the coordinate variable of the dimension of the same name.
void make_dimension(const Dataset& coordinate, const std::string& name);
// Attaches one dimension per axis of `variable`, in order.
void attach_dimensions(const Dataset& variable, const std::vector<const Dataset*>& dimensions);
bool is_dimension(const Dataset& dataset);
// The dimension names of a dataset's axes: a dimension's own name for a coordinate variable, the
// attached scales' names (their last path component, as netCDF reads them) otherwise, "" for an
// axis with none.
std::vector<std::string> dimension_names(const Dataset& dataset);

// "1.10.8": the HDF5 library in use, not the headers compiled against.
std::string library_version();

} // namespace baskets::h5
