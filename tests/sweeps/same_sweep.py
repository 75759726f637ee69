#!/usr/bin/env python3
"""Checks that two sweep files hold the same sweep: every dataset of every group equal bit for bit
(NaN equal to NaN), and the same root attributes except those of the writing itself (when, where,
by which command, which shard). Usage: same_sweep.py A.h5 B.h5"""
import sys

import h5py
import numpy as np

# What differs between two runs of the same sweep by design.
WRITING = {"command_line", "started_at", "finished_at", "host", "shard", "partial_reason"}


def datasets(f):
    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and name != "provenance/command_line":
            found[name] = obj[()]

    f.visititems(visit)
    return found


def same(a, b):
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and bool(np.all(a == b))
    return a == b


def main(a_path, b_path):
    problems = []
    with h5py.File(a_path) as a, h5py.File(b_path) as b:
        da, db = datasets(a), datasets(b)
        if sorted(da) != sorted(db):
            problems.append(f"datasets differ: {sorted(set(da) ^ set(db))}")
        for name in sorted(set(da) & set(db)):
            if not same(da[name], db[name]):
                problems.append(f"{name} differs")
        attrs_a = {k: v for k, v in a.attrs.items() if k not in WRITING}
        attrs_b = {k: v for k, v in b.attrs.items() if k not in WRITING}
        for key in sorted(set(attrs_a) | set(attrs_b)):
            if key not in attrs_a or key not in attrs_b or not same(attrs_a[key], attrs_b[key]):
                problems.append(f"root attribute {key}: {attrs_a.get(key)!r} != {attrs_b.get(key)!r}")
        if a.attrs["status"] != "complete":
            problems.append(f"{a_path} is not complete")
        checked = len(da)
    if problems:
        print(f"{a_path} and {b_path} differ:\n  " + "\n  ".join(problems))
        return 1
    print(f"{a_path} and {b_path}: the same sweep ({checked} datasets compared)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
