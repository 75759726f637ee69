// The ranks of an MPI job, or a job of one. A sweep started by `mpirun -np K baskets sweep ...`
// spreads its points over the K ranks and gathers them on rank 0, which alone writes the file;
// started any other way, the program is the only rank. Built without MPI, a program started by
// mpirun with more than one rank refuses to run: every rank would run the whole sweep and write
// the same file.
#pragma once

#include <string>
#include <vector>

namespace baskets {

class Cluster {
public:
  // Joins the MPI job if the program was started by an MPI launcher; otherwise a job of one.
  // Throws std::runtime_error when started with several ranks by a build without MPI.
  Cluster(int& argc, char**& argv);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }

  // Rank 0 receives every rank's bytes, in rank order; the other ranks receive nothing.
  std::vector<std::string> gather(const std::string& bytes) const;
  // Whether `ok` holds on every rank (each rank must call it).
  bool all(bool ok) const;
  // Rank 0's text, on every rank.
  std::string broadcast(const std::string& text) const;

  static bool built_with_mpi();

private:
  int rank_ = 0;
  int size_ = 1;
  bool initialised_ = false;
};

} // namespace baskets
