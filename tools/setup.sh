#!/usr/bin/env bash
# Installs the Debian packages the project builds and tests with (idempotent).
# Usage: tools/setup.sh            (build and run dependencies)
#        tools/setup.sh --tests    (the same, and Open MPI: the suite runs sweeps under mpirun)
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libsimgrid-dev
  libboost-random-dev libboost-math-dev libboost-dev
  librandom123-dev
  libtbb-dev
  libhdf5-dev
  catch2
  libtomlplusplus-dev libcli11-dev libfmt-dev
  hdf5-tools
  python3-simpy
  python3-h5py python3-h5netcdf python3-xarray python3-pandas python3-matplotlib
  jupyter-nbconvert python3-nbformat python3-ipykernel
)

# Open MPI is optional for the program (without it, `baskets sweep` runs on one machine or in
# Slurm shards); the test suite checks that a sweep under mpirun gives the same file. Clang and its
# sanitizer runtimes (libFuzzer among them) build the fuzz targets of tests/fuzz.
if [[ ${1:-} == --tests ]]; then
  packages+=(libopenmpi-dev openmpi-bin)
  packages+=(clang libclang-rt-14-dev llvm-14) # llvm-14: llvm-symbolizer, for readable stacks
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
