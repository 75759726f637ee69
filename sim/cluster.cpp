#include "sim/cluster.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string_view>

#if BASKETS_WITH_MPI
// The C API only: Open MPI's deprecated C++ bindings would need their own library.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <dlfcn.h>
#endif

namespace baskets {

namespace {

// The ranks an MPI launcher says this job has (Open MPI, PMIx, PMI, Slurm's srun with MPI), or 1.
int launched_ranks() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"})
    if (const char* value = std::getenv(variable))
      return std::max(1, std::atoi(value));
  return 1;
}

} // namespace

bool Cluster::built_with_mpi() {
  return BASKETS_WITH_MPI != 0;
}

#if BASKETS_WITH_MPI

Cluster::Cluster(int& argc, char**& argv) {
  if (launched_ranks() <= 1 && std::getenv("OMPI_COMM_WORLD_RANK") == nullptr)
    return; // not started by a launcher: no MPI at all (and no wait for a runtime)
  // SimGrid's library defines MPI_Init too (for SMPI); the build links Open MPI first, and this
  // says so plainly should a different link order ever pick SimGrid's.
  Dl_info where{};
  if (::dladdr(reinterpret_cast<void*>(&MPI_Init), &where) != 0 && where.dli_fname != nullptr &&
      std::string_view(where.dli_fname).find("simgrid") != std::string_view::npos)
    throw std::runtime_error(fmt::format("MPI_Init comes from {}, not from Open MPI: relink with "
                                         "Open MPI's library before SimGrid's",
                                         where.dli_fname));
  MPI_Init(&argc, &argv);
  initialised_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Cluster::~Cluster() {
  if (initialised_)
    MPI_Finalize();
}

std::vector<std::string> Cluster::gather(const std::string& bytes) const {
  if (size_ == 1)
    return {bytes};
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::runtime_error("a rank's results exceed 2 GiB: run the sweep in Slurm shards");
  const int length = static_cast<int>(bytes.size());
  std::vector<int> lengths(static_cast<std::size_t>(size_));
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> offsets(lengths.size(), 0);
  std::int64_t total = 0;
  for (std::size_t r = 0; r < lengths.size(); ++r) {
    offsets[r] = static_cast<int>(total);
    total += lengths[r];
  }
  if (rank_ == 0 && total > std::numeric_limits<int>::max())
    throw std::runtime_error("the ranks' results exceed 2 GiB: run the sweep in Slurm shards");
  std::string all(rank_ == 0 ? static_cast<std::size_t>(total) : 0, '\0');
  MPI_Gatherv(bytes.data(), length, MPI_BYTE, all.data(), lengths.data(), offsets.data(), MPI_BYTE,
              0, MPI_COMM_WORLD);
  if (rank_ != 0)
    return {};
  std::vector<std::string> parts;
  for (std::size_t r = 0; r < lengths.size(); ++r)
    parts.push_back(
        all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r])));
  return parts;
}

bool Cluster::all(bool ok) const {
  if (size_ == 1)
    return ok;
  int mine = ok ? 1 : 0, every = 0;
  MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
  return every != 0;
}

std::string Cluster::broadcast(const std::string& text) const {
  if (size_ == 1)
    return text;
  auto length = static_cast<std::uint64_t>(text.size());
  MPI_Bcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  std::string out = rank_ == 0 ? text : std::string(length, '\0');
  MPI_Bcast(out.data(), static_cast<int>(length), MPI_BYTE, 0, MPI_COMM_WORLD);
  return out;
}

#else

Cluster::Cluster(int& /*argc*/, char**& /*argv*/) {
  if (const int ranks = launched_ranks(); ranks > 1)
    throw std::runtime_error(fmt::format(
        "started as one of {} MPI ranks, but this baskets was built without MPI: every rank "
        "would run the whole sweep. Install libopenmpi-dev and rebuild (tools/setup.sh --tests "
        "does), or run shards with --shard I/N",
        ranks));
}

Cluster::~Cluster() = default;

std::vector<std::string> Cluster::gather(const std::string& bytes) const {
  return {bytes};
}
bool Cluster::all(bool ok) const {
  return ok;
}
std::string Cluster::broadcast(const std::string& text) const {
  return text;
}

#endif

} // namespace baskets
