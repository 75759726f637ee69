// The output path of a results file, written so that a reader never sees half a file.
#pragma once

#include <string>

namespace baskets {

// The output path of a run or a sweep. The file is written under a temporary name in the same
// folder and renamed to the final name only once complete, so that a run killed at any moment never
// leaves a half-written file under the final name, and an earlier file there stays untouched until
// then.
class OutputFile {
public:
  // Throws std::runtime_error (naming the path) if the file exists and `overwrite` is false, or
  // if the folder is not writable: before anything is computed.
  OutputFile(std::string final_path, bool overwrite);
  ~OutputFile(); // removes the temporary file unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::string& temporary_path() const { return temporary_path_; }
  const std::string& final_path() const { return final_path_; }
  // Renames the temporary file to the final name. Without `overwrite`, a file that appeared
  // under the final name during the run is left alone: commit throws, naming the temporary file,
  // which is then kept.
  void commit();
  // Renames the temporary file (a whole file) to the final name, like commit(), and leaves the
  // temporary name free for the next checkpoint: the final name holds the latest checkpoint.
  void checkpoint();

private:
  // The temporary file to the final name, refusing (without `overwrite`) a file that appeared
  // there meanwhile unless it is a checkpoint of ours.
  void rename_to_final();

  std::string final_path_;
  std::string temporary_path_;
  bool overwrite_ = false;
  bool committed_ = false;
  bool published_ = false; // the final name holds a checkpoint of ours
  bool keep_temporary_ = false;
};

} // namespace baskets
