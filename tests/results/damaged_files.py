#!/usr/bin/env python3
"""Damaged results files never take baskets down: `info` and `merge` give an error naming the
file, however the HDF5 library fails on it (a clean error, a crash, a hang).

Usage: damaged_files.py BASKETS SCENARIO SWEEP WORKDIR

The damaged files are made here, from a run's file and a sweep's file written by BASKETS: each
variable-length string of HDF5's first global heap gets an impossible size (2^64 - 1), one at a
time. That is the damage fuzzing found to crash HDF5 1.10.8 itself (H5HG_read: a memcpy of the
stored size), so some of these files crash the library in the child process that reads them:
the test checks that at least one does, so that the guard is exercised. A FIFO stands for a
file whose reading never ends (opening it blocks), for the time limit of `info --read-timeout`.
"""
import os
import pathlib
import struct
import subprocess
import sys

baskets, scenario, sweep, work = sys.argv[1], sys.argv[2], sys.argv[3], pathlib.Path(sys.argv[4])
work.mkdir(parents=True, exist_ok=True)
VARIANTS = 40  # heap objects damaged per file (the first ones: attributes and dimension lists)


def run(*args, timeout=60):
    return subprocess.run([baskets, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def heap_size_fields(data):
    """Offsets of the size field of each object of the file's first global heap collection."""
    start = data.find(b"GCOL")
    assert start >= 0, "no global heap in the file: nothing to damage"
    collection_size = struct.unpack_from("<Q", data, start + 8)[0]
    offsets, at = [], start + 16  # "GCOL", version, reserved, size; then the objects
    while at + 16 <= start + collection_size:
        index, size = struct.unpack_from("<H", data, at)[0], struct.unpack_from("<Q", data, at + 8)[0]
        if index == 0:  # the free space at the end of the collection
            break
        offsets.append(at + 8)
        at += 16 + (size + 7) // 8 * 8
    return offsets


def damaged(source):
    data = source.read_bytes()
    for k, offset in enumerate(heap_size_fields(data)[:VARIANTS]):
        copy = bytearray(data)
        struct.pack_into("<Q", copy, offset, 2**64 - 1)
        path = work / f"{source.stem}-damaged-{k}.h5"
        path.write_bytes(bytes(copy))
        yield path


def check(result, path, what):
    """Returns whether the library crashed or hung in the child; fails if the program did."""
    assert result.returncode >= 0, f"{what} {path.name}: baskets died of signal {-result.returncode}"
    if result.returncode == 0:
        return False  # this damage happened not to matter to what is read
    errors = [line for line in result.stderr.splitlines() if line.startswith("baskets: ")]
    assert errors and path.name in errors[-1], f"{what} {path.name}: no error naming it: {result.stderr}"
    return "crashed the HDF5 library" in errors[-1] or "did not finish" in errors[-1]


run_file, sweep_file = work / "run.h5", work / "sweep.h5"
assert run("run", scenario, "-n", 2, "-q", "--force", "--out", run_file).returncode == 0
assert run("sweep", sweep, "-n", 2, "-q", "--force", "--out", sweep_file).returncode == 0

isolated = 0
for path in damaged(run_file):
    isolated += check(run("info", path, "--read-timeout", 10), path, "info")
for path in damaged(sweep_file):
    isolated += check(run("info", path, "--read-timeout", 10), path, "info")
    isolated += check(run("merge", work / "merged.h5", path, "--force"), path, "merge")
assert isolated > 0, "no damaged file crashed the HDF5 library: the child-process guard went untested"
print(f"{isolated} readings crashed or hung the HDF5 library in the child; baskets reported each")

fifo = work / "never_ends.h5"
if not fifo.exists():
    os.mkfifo(fifo)
result = run("info", fifo, "--read-timeout", 2, timeout=30)
assert result.returncode == 1 and "did not finish within 2 s" in result.stderr, result.stderr
print("a file whose reading never ends: given up after --read-timeout")
