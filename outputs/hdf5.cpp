#include "outputs/hdf5.hpp"

#include <hdf5_hl.h>

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <numeric>

namespace baskets::h5 {

namespace {

// HDF5 prints every error stack to stderr by default; this layer reports them in exceptions
// instead. The setting is per thread in a thread-safe build, so it is made once per thread, on
// the way into any function that opens or creates something.
void silence_error_printing() {
  thread_local const bool silenced = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  static_cast<void>(silenced);
}

std::string error_message(hid_t id) {
  char text[256] = {};
  return H5Eget_msg(id, nullptr, text, sizeof text) > 0 ? std::string(text) : std::string("?");
}

herr_t append_error(unsigned n, const H5E_error2_t* error, void* data) {
  auto& out = *static_cast<std::string*>(data);
  out += fmt::format("\n  #{:03}: {}() ({} line {}): {} [{}: {}]", n, error->func_name,
                     error->file_name, error->line, error->desc ? error->desc : "",
                     error_message(error->maj_num), error_message(error->min_num));
  return 0;
}

// HDF5's error stack of the call that just failed, as H5Eprint orders it: the API call first,
// then its causes, the innermost last. Read before anything else: the next API call clears it.
std::string take_error_stack() {
  const hid_t stack = H5Eget_current_stack();
  if (stack < 0)
    return " (HDF5 error stack unavailable)";
  std::string text;
  H5Ewalk2(stack, H5E_WALK_DOWNWARD, append_error, &text);
  H5Eclose_stack(stack);
  return text.empty() ? std::string(" (HDF5 gave no details)") : "\nHDF5 error stack:" + text;
}

// Throws h5::Error for a failed call. `doing` runs after the stack was taken, so it may call
// HDF5 itself (to name the object, say).
[[noreturn]] void fail(const std::function<std::string()>& doing) {
  const std::string stack = take_error_stack();
  throw Error(doing() + stack);
}

template <class Status> Status check(Status status, const std::function<std::string()>& doing) {
  if (status < 0)
    fail(doing);
  return status;
}

// A property list of the given class, failing loudly.
PropertyList make_property_list(hid_t cls) {
  return PropertyList(
      check(H5Pcreate(cls), [] { return std::string("creating a property list"); }));
}

template <Number T> hid_t memory_type() {
  if constexpr (std::same_as<T, double>)
    return H5T_NATIVE_DOUBLE;
  else if constexpr (std::same_as<T, std::uint64_t>)
    return H5T_NATIVE_UINT64;
  else
    return H5T_NATIVE_INT64;
}

// Fixed little-endian types in the file, so that files are the same on any machine.
template <Number T> hid_t file_type() {
  if constexpr (std::same_as<T, double>)
    return H5T_IEEE_F64LE;
  else if constexpr (std::same_as<T, std::uint64_t>)
    return H5T_STD_U64LE;
  else
    return H5T_STD_I64LE;
}

Datatype utf8_string_type() {
  const auto doing = [] { return std::string("making the UTF-8 string type"); };
  Datatype type(check(H5Tcopy(H5T_C_S1), doing));
  check(H5Tset_size(type.id(), H5T_VARIABLE), doing);
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), doing);
  return type;
}

Dataspace simple_space(const std::vector<hsize_t>& shape) {
  const auto doing = [&] { return fmt::format("making a dataspace of rank {}", shape.size()); };
  if (shape.empty())
    return Dataspace(check(H5Screate(H5S_SCALAR), doing));
  return Dataspace(
      check(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), doing));
}

hsize_t element_count(const std::vector<hsize_t>& shape) {
  return std::accumulate(shape.begin(), shape.end(), hsize_t{1}, std::multiplies<>());
}

Dataspace space_of(const Dataset& dataset) {
  return Dataspace(check(H5Dget_space(dataset.id()), [&] {
    return "reading the shape of " + describe_location(dataset.id());
  }));
}

std::vector<hsize_t> extent(hid_t space, const std::function<std::string()>& doing) {
  const int rank = check(H5Sget_simple_extent_ndims(space), doing);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  check(H5Sget_simple_extent_dims(space, dims.data(), nullptr), doing);
  return dims;
}

// Creation properties shared by the file's root group and every group: links and attributes
// keep their creation order (netCDF-4 relies on it, and listings follow it).
void track_creation_order(hid_t plist, bool links) {
  const auto doing = [] { return std::string("setting creation order tracking"); };
  const unsigned flags = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  if (links)
    check(H5Pset_link_creation_order(plist, flags), doing);
  check(H5Pset_attr_creation_order(plist, flags), doing);
}

// Owns the buffers HDF5 allocates when it reads variable-length strings.
class VlenStrings {
public:
  VlenStrings(hid_t memory_type, hid_t space, std::size_t count)
      : type_(memory_type), space_(space), pointers_(count, nullptr) {}
  VlenStrings(const VlenStrings&) = delete;
  VlenStrings& operator=(const VlenStrings&) = delete;
  ~VlenStrings() {
    if (!pointers_.empty())
      H5Dvlen_reclaim(type_, space_, H5P_DEFAULT, pointers_.data());
  }
  char** data() { return pointers_.data(); }
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    out.reserve(pointers_.size());
    for (const char* p : pointers_)
      out.emplace_back(p ? p : "");
    return out;
  }

private:
  hid_t type_;
  hid_t space_;
  std::vector<char*> pointers_;
};

// Reads the strings of a dataset or an attribute (`read` is H5Dread or H5Aread bound to it),
// whether stored variable- or fixed-length.
std::vector<std::string> read_string_values(hid_t stored_type, hid_t space, std::size_t count,
                                            const std::function<herr_t(hid_t, void*)>& read,
                                            const std::function<std::string()>& doing) {
  if (check(H5Tget_class(stored_type), doing) != H5T_STRING)
    throw Error(doing() + ": not a string");
  // Read as stored: HDF5 does not convert between ASCII and UTF-8 strings, and other writers
  // (h5py with an explicit ASCII type, say) may use ASCII.
  const Datatype type(check(H5Tcopy(stored_type), doing));
  if (check(H5Tis_variable_str(stored_type), doing) > 0) {
    VlenStrings buffer(type.id(), space, count);
    check(read(type.id(), buffer.data()), doing);
    return buffer.strings();
  }
  const std::size_t size = H5Tget_size(stored_type);
  std::vector<char> buffer(size * count);
  if (count > 0)
    check(read(type.id(), buffer.data()), doing);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) {
    const char* begin = buffer.data() + (i * size);
    // Fixed-length strings are padded with NULs or spaces, and may fill the whole slot.
    std::string value(begin, std::find(begin, begin + size, '\0'));
    if (H5Tget_strpad(stored_type) == H5T_STR_SPACEPAD)
      value.erase(value.find_last_not_of(' ') + 1);
    out.push_back(std::move(value));
  }
  return out;
}

Attribute open_attribute(hid_t object, const std::string& name) {
  silence_error_printing();
  return Attribute(check(H5Aopen(object, name.c_str(), H5P_DEFAULT), [&] {
    return fmt::format("opening attribute \"{}\" of {}", name, describe_location(object));
  }));
}

template <class Write>
void replace_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t space,
                       Write&& write) {
  silence_error_printing();
  const auto doing = [&] {
    return fmt::format("writing attribute \"{}\" of {}", name, describe_location(object));
  };
  if (check(H5Aexists(object, name.c_str()), doing) > 0)
    check(H5Adelete(object, name.c_str()), doing);
  const Attribute attribute(
      check(H5Acreate2(object, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), doing));
  check(write(attribute.id()), doing);
}

std::string last_component(std::string path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string object_path(hid_t object) {
  const ssize_t length = H5Iget_name(object, nullptr, 0);
  if (length <= 0)
    return "?";
  std::string name(static_cast<std::size_t>(length) + 1, '\0');
  H5Iget_name(object, name.data(), name.size());
  name.resize(static_cast<std::size_t>(length));
  return name;
}

} // namespace

namespace detail {
void close_or_throw(hid_t id, herr_t (*close)(hid_t)) {
  if (id < 0)
    return;
  // Named before closing: afterwards the identifier means nothing.
  const std::string where = describe_location(id);
  check(close(id), [&] { return "closing " + where; });
}
} // namespace detail

std::string describe_location(hid_t object, std::string_view child) {
  std::string path = object_path(object);
  if (!child.empty()) {
    if (!path.ends_with('/'))
      path += '/';
    path += child;
  }
  const ssize_t length = H5Fget_name(object, nullptr, 0);
  if (length <= 0)
    return path;
  std::string file(static_cast<std::size_t>(length) + 1, '\0');
  H5Fget_name(object, file.data(), file.size());
  file.resize(static_cast<std::size_t>(length));
  return path + " in " + file;
}

File create_file(const std::string& path) {
  silence_error_printing();
  const auto doing = [&] { return "creating HDF5 file " + path; };
  const PropertyList creation = make_property_list(H5P_FILE_CREATE);
  track_creation_order(creation.id(), true);
  return File(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, creation.id(), H5P_DEFAULT), doing));
}

File open_file(const std::string& path) {
  silence_error_printing();
  return File(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                    [&] { return "opening HDF5 file " + path; }));
}

bool is_hdf5_file(const std::string& path) {
  silence_error_printing();
  return check(H5Fis_hdf5(path.c_str()), [&] { return "reading " + path; }) > 0;
}

Group create_group(hid_t parent, const std::string& name) {
  silence_error_printing();
  const PropertyList creation = make_property_list(H5P_GROUP_CREATE);
  track_creation_order(creation.id(), true);
  return Group(check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, creation.id(), H5P_DEFAULT),
                     [&] { return "creating group " + describe_location(parent, name); }));
}

Group open_group(hid_t parent, const std::string& name) {
  silence_error_printing();
  return Group(check(H5Gopen2(parent, name.c_str(), H5P_DEFAULT),
                     [&] { return "opening group " + describe_location(parent, name); }));
}

Dataset open_dataset(hid_t parent, const std::string& name) {
  silence_error_printing();
  return Dataset(check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT),
                       [&] { return "opening dataset " + describe_location(parent, name); }));
}

bool has_member(hid_t group, const std::string& name) {
  silence_error_printing();
  return check(H5Lexists(group, name.c_str(), H5P_DEFAULT),
               [&] { return "looking for " + describe_location(group, name); }) > 0;
}

std::vector<Member> members(hid_t location) {
  // A file's identifier stands for its root group in most calls, but not in all: open the group.
  const Group opened = open_group(location, ".");
  const hid_t group = opened.id();
  const auto doing = [&] { return "listing " + describe_location(group); };
  H5G_info_t info{};
  check(H5Gget_info(group, &info), doing);
  const PropertyList creation(check(H5Gget_create_plist(group), doing));
  unsigned order_flags = 0;
  check(H5Pget_link_creation_order(creation.id(), &order_flags), doing);
  const H5_index_t index =
      (order_flags & H5P_CRT_ORDER_INDEXED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;

  std::vector<Member> out;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length = check(
        H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT), doing);
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    check(H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, name.data(), name.size(),
                             H5P_DEFAULT),
          doing);
    name.resize(static_cast<std::size_t>(length));
    Member member{name, MemberKind::other};
    // Soft or external links that lead nowhere are listed as "other", not an error.
    if (const Object object(H5Oopen(group, name.c_str(), H5P_DEFAULT)); object) {
      const H5I_type_t type = H5Iget_type(object.id());
      member.kind = type == H5I_GROUP     ? MemberKind::group
                    : type == H5I_DATASET ? MemberKind::dataset
                                          : MemberKind::other;
    } else {
      H5Eclear2(H5E_DEFAULT);
    }
    out.push_back(std::move(member));
  }
  return out;
}

template <Number T>
Dataset create_dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& shape,
                       const Storage& storage) {
  silence_error_printing();
  const auto doing = [&] { return "creating dataset " + describe_location(parent, name); };
  const Dataspace space = simple_space(shape);
  const PropertyList creation = make_property_list(H5P_DATASET_CREATE);
  track_creation_order(creation.id(), false);
  const bool empty = std::ranges::find(shape, hsize_t{0}) != shape.end();
  if (!storage.chunk.empty() && !empty && !shape.empty()) {
    if (storage.chunk.size() != shape.size())
      throw Error(doing() + fmt::format(": a chunk of rank {} for a dataset of rank {}",
                                        storage.chunk.size(), shape.size()));
    std::vector<hsize_t> chunk(shape.size());
    for (std::size_t i = 0; i < shape.size(); ++i)
      chunk[i] = std::clamp(storage.chunk[i], hsize_t{1}, shape[i]);
    check(H5Pset_chunk(creation.id(), static_cast<int>(chunk.size()), chunk.data()), doing);
    if (storage.gzip_level > 0) {
      check(H5Pset_shuffle(creation.id()), doing);
      check(H5Pset_deflate(creation.id(), storage.gzip_level), doing);
    }
  }
  return Dataset(check(H5Dcreate2(parent, name.c_str(), file_type<T>(), space.id(), H5P_DEFAULT,
                                  creation.id(), H5P_DEFAULT),
                       doing));
}

template <Number T> void write(const Dataset& dataset, std::span<const T> values) {
  const auto doing = [&] { return "writing dataset " + describe_location(dataset.id()); };
  const std::vector<hsize_t> dims = shape(dataset);
  if (values.size() != element_count(dims))
    throw Error(doing() +
                fmt::format(": {} values for {} elements", values.size(), element_count(dims)));
  if (values.empty())
    return;
  check(H5Dwrite(dataset.id(), memory_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        doing);
}

template <Number T>
void write_block(const Dataset& dataset, hsize_t index, std::span<const T> values) {
  const auto doing = [&] {
    return fmt::format("writing block {} of dataset {}", index, describe_location(dataset.id()));
  };
  const Dataspace file_space = space_of(dataset);
  const std::vector<hsize_t> dims = extent(file_space.id(), doing);
  if (dims.empty() || index >= dims[0])
    throw Error(doing() + ": no such block");
  std::vector<hsize_t> start(dims.size(), 0);
  std::vector<hsize_t> count = dims;
  start[0] = index;
  count[0] = 1;
  if (values.size() != element_count(count))
    throw Error(doing() +
                fmt::format(": {} values for {} elements", values.size(), element_count(count)));
  if (values.empty())
    return;
  check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                            nullptr),
        doing);
  const Dataspace memory_space = simple_space(count);
  check(H5Dwrite(dataset.id(), memory_type<T>(), memory_space.id(), file_space.id(), H5P_DEFAULT,
                 values.data()),
        doing);
}

template <Number T>
Dataset write_dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& shape,
                      std::span<const T> values, const Storage& storage) {
  Dataset dataset = create_dataset<T>(parent, name, shape, storage);
  write(dataset, values);
  return dataset;
}

Dataset write_strings(hid_t parent, const std::string& name,
                      const std::vector<std::string>& values) {
  silence_error_printing();
  const auto doing = [&] { return "writing dataset " + describe_location(parent, name); };
  const Datatype type = utf8_string_type();
  const Dataspace space = simple_space({values.size()});
  const PropertyList creation = make_property_list(H5P_DATASET_CREATE);
  track_creation_order(creation.id(), false);
  Dataset dataset(check(H5Dcreate2(parent, name.c_str(), type.id(), space.id(), H5P_DEFAULT,
                                   creation.id(), H5P_DEFAULT),
                        doing));
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& value : values)
    pointers.push_back(value.c_str());
  if (!pointers.empty())
    check(H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), doing);
  return dataset;
}

Dataset write_string(hid_t parent, const std::string& name, std::string_view value) {
  silence_error_printing();
  const auto doing = [&] { return "writing dataset " + describe_location(parent, name); };
  const Datatype type = utf8_string_type();
  const Dataspace space = simple_space({});
  Dataset dataset(check(H5Dcreate2(parent, name.c_str(), type.id(), space.id(), H5P_DEFAULT,
                                   H5P_DEFAULT, H5P_DEFAULT),
                        doing));
  const std::string text(value); // NUL-terminated
  const char* pointer = text.c_str();
  check(H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer), doing);
  return dataset;
}

std::vector<hsize_t> shape(const Dataset& dataset) {
  const Dataspace space = space_of(dataset);
  return extent(space.id(),
                [&] { return "reading the shape of " + describe_location(dataset.id()); });
}

std::string type_name(const Dataset& dataset) {
  const auto doing = [&] { return "reading the type of " + describe_location(dataset.id()); };
  const Datatype type(check(H5Dget_type(dataset.id()), doing));
  const H5T_class_t cls = check(H5Tget_class(type.id()), doing);
  const std::size_t bits = 8 * H5Tget_size(type.id());
  switch (cls) {
  case H5T_FLOAT:
    return fmt::format("float{}", bits);
  case H5T_INTEGER:
    return fmt::format("{}int{}", H5Tget_sign(type.id()) == H5T_SGN_NONE ? "u" : "", bits);
  case H5T_STRING:
    return "string";
  default:
    return fmt::format("HDF5 type class {}", static_cast<int>(cls));
  }
}

template <Number T> std::vector<T> read(const Dataset& dataset) {
  const auto doing = [&] { return "reading dataset " + describe_location(dataset.id()); };
  std::vector<T> values(element_count(shape(dataset)));
  if (!values.empty())
    check(H5Dread(dataset.id(), memory_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          doing);
  return values;
}

std::vector<std::string> read_strings(const Dataset& dataset) {
  const auto doing = [&] { return "reading strings of " + describe_location(dataset.id()); };
  const Datatype stored(check(H5Dget_type(dataset.id()), doing));
  const Dataspace space = space_of(dataset);
  const auto count =
      static_cast<std::size_t>(check(H5Sget_simple_extent_npoints(space.id()), doing));
  return read_string_values(
      stored.id(), space.id(), count,
      [&](hid_t type, void* buffer) {
        return H5Dread(dataset.id(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
      },
      doing);
}

std::string read_string(const Dataset& dataset) {
  const std::vector<std::string> values = read_strings(dataset);
  if (values.size() != 1)
    throw Error(fmt::format("reading {}: {} strings where one was expected",
                            describe_location(dataset.id()), values.size()));
  return values.front();
}

StorageInfo storage_info(const Dataset& dataset) {
  const auto doing = [&] { return "reading the storage of " + describe_location(dataset.id()); };
  const PropertyList creation(check(H5Dget_create_plist(dataset.id()), doing));
  StorageInfo info;
  if (check(H5Pget_layout(creation.id()), doing) != H5D_CHUNKED)
    return info;
  info.chunk.resize(32);
  const int rank = check(
      H5Pget_chunk(creation.id(), static_cast<int>(info.chunk.size()), info.chunk.data()), doing);
  info.chunk.resize(static_cast<std::size_t>(rank));
  const int filters = check(H5Pget_nfilters(creation.id()), doing);
  for (int i = 0; i < filters; ++i) {
    unsigned flags = 0;
    std::size_t values = 1;
    unsigned value = 0;
    unsigned config = 0;
    const H5Z_filter_t filter = check(H5Pget_filter2(creation.id(), static_cast<unsigned>(i),
                                                     &flags, &values, &value, 0, nullptr, &config),
                                      doing);
    if (filter == H5Z_FILTER_SHUFFLE && info.gzip_level == 0)
      info.shuffled = true;
    if (filter == H5Z_FILTER_DEFLATE)
      info.gzip_level = values > 0 ? value : 0;
  }
  return info;
}

void set_attribute(hid_t object, const std::string& name, std::string_view value) {
  const Datatype type = utf8_string_type();
  const Dataspace space = simple_space({});
  const std::string text(value); // NUL-terminated
  const char* pointer = text.c_str();
  replace_attribute(object, name, type.id(), space.id(),
                    [&](hid_t attribute) { return H5Awrite(attribute, type.id(), &pointer); });
}

template <Number T> void set_attribute(hid_t object, const std::string& name, T value) {
  const Dataspace space = simple_space({});
  replace_attribute(object, name, file_type<T>(), space.id(),
                    [&](hid_t attribute) { return H5Awrite(attribute, memory_type<T>(), &value); });
}

template <Number T>
void set_attribute(hid_t object, const std::string& name, std::span<const T> values) {
  const Dataspace space = simple_space({values.size()});
  replace_attribute(object, name, file_type<T>(), space.id(), [&](hid_t attribute) {
    return values.empty() ? herr_t{0} : H5Awrite(attribute, memory_type<T>(), values.data());
  });
}

bool has_attribute(hid_t object, const std::string& name) {
  silence_error_printing();
  return check(H5Aexists(object, name.c_str()), [&] {
           return fmt::format("looking for attribute \"{}\" of {}", name,
                              describe_location(object));
         }) > 0;
}

namespace {
herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}
} // namespace

std::vector<std::string> attribute_names(hid_t object) {
  silence_error_printing();
  std::vector<std::string> names;
  // Creation order where the object tracks it (this layer's files), else by name.
  hsize_t position = 0;
  if (H5Aiterate2(object, H5_INDEX_CRT_ORDER, H5_ITER_INC, &position, collect_attribute_name,
                  &names) >= 0)
    return names;
  H5Eclear2(H5E_DEFAULT);
  names.clear();
  position = 0;
  check(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &position, collect_attribute_name, &names),
        [&] { return "listing the attributes of " + describe_location(object); });
  return names;
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  const auto doing = [&] {
    return fmt::format("reading attribute \"{}\" of {}", name, describe_location(object));
  };
  const Attribute attribute = open_attribute(object, name);
  const Datatype stored(check(H5Aget_type(attribute.id()), doing));
  const Dataspace space(check(H5Aget_space(attribute.id()), doing));
  const auto count =
      static_cast<std::size_t>(check(H5Sget_simple_extent_npoints(space.id()), doing));
  const std::vector<std::string> values = read_string_values(
      stored.id(), space.id(), count,
      [&](hid_t type, void* buffer) { return H5Aread(attribute.id(), type, buffer); }, doing);
  if (values.size() != 1)
    throw Error(doing() + fmt::format(": {} strings where one was expected", values.size()));
  return values.front();
}

template <Number T> T read_attribute(hid_t object, const std::string& name) {
  const auto doing = [&] {
    return fmt::format("reading attribute \"{}\" of {}", name, describe_location(object));
  };
  const Attribute attribute = open_attribute(object, name);
  const Datatype stored(check(H5Aget_type(attribute.id()), doing));
  const H5T_class_t cls = check(H5Tget_class(stored.id()), doing);
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    throw Error(doing() + ": not a number");
  const Dataspace space(check(H5Aget_space(attribute.id()), doing));
  if (check(H5Sget_simple_extent_npoints(space.id()), doing) != 1)
    throw Error(doing() + ": not a single value");
  T value{};
  check(H5Aread(attribute.id(), memory_type<T>(), &value), doing);
  return value;
}

std::string attribute_text(hid_t object, const std::string& name) {
  if (!has_attribute(object, name))
    return {};
  const auto doing = [&] {
    return fmt::format("reading attribute \"{}\" of {}", name, describe_location(object));
  };
  H5T_class_t cls = H5T_NO_CLASS;
  bool is_signed = false;
  hssize_t count = 0;
  {
    const Attribute attribute = open_attribute(object, name);
    const Datatype stored(check(H5Aget_type(attribute.id()), doing));
    cls = check(H5Tget_class(stored.id()), doing);
    is_signed = H5Tget_sign(stored.id()) == H5T_SGN_2;
    const Dataspace space(check(H5Aget_space(attribute.id()), doing));
    count = check(H5Sget_simple_extent_npoints(space.id()), doing);
  }
  if (count != 1)
    return fmt::format("[{} values]", count);
  switch (cls) {
  case H5T_STRING:
    return read_string_attribute(object, name);
  case H5T_INTEGER:
    return is_signed ? fmt::format("{}", read_attribute<std::int64_t>(object, name))
                     : fmt::format("{}", read_attribute<std::uint64_t>(object, name));
  case H5T_FLOAT:
    return fmt::format("{}", read_attribute<double>(object, name));
  default:
    return "[?]";
  }
}

void make_dimension(const Dataset& coordinate, const std::string& name) {
  check(H5DSset_scale(coordinate.id(), name.c_str()), [&] {
    return fmt::format("making {} the dimension \"{}\"", describe_location(coordinate.id()), name);
  });
}

void attach_dimensions(const Dataset& variable, const std::vector<const Dataset*>& dimensions) {
  unsigned axis = 0;
  for (const Dataset* dimension : dimensions) {
    check(H5DSattach_scale(variable.id(), dimension->id(), axis), [&] {
      return fmt::format("attaching dimension {} to axis {} of {}",
                         describe_location(dimension->id()), axis,
                         describe_location(variable.id()));
    });
    ++axis;
  }
}

bool is_dimension(const Dataset& dataset) {
  return check(H5DSis_scale(dataset.id()), [&] {
           return "checking whether " + describe_location(dataset.id()) + " is a dimension";
         }) > 0;
}

namespace {
herr_t take_scale_name(hid_t, unsigned, hid_t scale, void* data) {
  *static_cast<std::string*>(data) = last_component(object_path(scale));
  return 1; // the first scale of the axis is enough
}
} // namespace

std::vector<std::string> dimension_names(const Dataset& dataset) {
  const auto doing = [&] { return "reading the dimensions of " + describe_location(dataset.id()); };
  const std::vector<hsize_t> dims = shape(dataset);
  if (is_dimension(dataset))
    return {last_component(object_path(dataset.id()))};
  std::vector<std::string> names(dims.size());
  for (unsigned axis = 0; axis < dims.size(); ++axis) {
    if (check(H5DSget_num_scales(dataset.id(), axis), doing) <= 0)
      continue;
    check(H5DSiterate_scales(dataset.id(), axis, nullptr, take_scale_name, &names[axis]), doing);
  }
  return names;
}

std::string library_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return fmt::format("{}.{}.{}", major, minor, release);
}

#define BASKETS_H5_INSTANTIATE(T)                                                                  \
  template Dataset create_dataset<T>(hid_t, const std::string&, const std::vector<hsize_t>&,       \
                                     const Storage&);                                              \
  template void write<T>(const Dataset&, std::span<const T>);                                      \
  template void write_block<T>(const Dataset&, hsize_t, std::span<const T>);                       \
  template Dataset write_dataset<T>(hid_t, const std::string&, const std::vector<hsize_t>&,        \
                                    std::span<const T>, const Storage&);                           \
  template std::vector<T> read<T>(const Dataset&);                                                 \
  template void set_attribute<T>(hid_t, const std::string&, T);                                    \
  template void set_attribute<T>(hid_t, const std::string&, std::span<const T>);                   \
  template T read_attribute<T>(hid_t, const std::string&);

BASKETS_H5_INSTANTIATE(double)
BASKETS_H5_INSTANTIATE(std::uint64_t)
BASKETS_H5_INSTANTIATE(std::int64_t)

#undef BASKETS_H5_INSTANTIATE

} // namespace baskets::h5
