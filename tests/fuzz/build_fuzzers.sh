#!/bin/sh
# Configures and builds the fuzz targets with clang in a build folder of their own (the ctest
# fixture of tests/fuzz/CMakeLists.txt). Usage:
#   build_fuzzers.sh SOURCE_DIR BUILD_DIR CC CXX GENERATOR
set -eu
source_dir=$1 build_dir=$2 cc=$3 cxx=$4 generator=$5

# Debug: assertions stay on, which is what a fuzzer wants; -O1 (BASKETS_FUZZ) keeps it quick.
# MPI is left out: no fuzz target needs it, and finding it costs the configure step time.
cmake -S "$source_dir" -B "$build_dir" -G "$generator" --log-level=WARNING \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DBASKETS_FUZZ=ON -DCMAKE_DISABLE_FIND_PACKAGE_MPI=ON

# Only the fuzz targets (and the library): the rest of the fuzz build is never used.
cmake --build "$build_dir" --parallel 2 --target fuzz_targets
