#!/usr/bin/python3
"""Runs the PyTorch reference script (torch_mlp.py) with one of its two pipeline choices changed, to measure how
much each moves the result (docs/study.md, "Side by side with PyTorch"):

  --split stratified   a seeded stratified 70:30 split of the 60,000 training images (per class: shuffle with
                       the run's --seed, 70 % train), like Regula's, instead of the first 42,000 / last 18,000;
  --zca-apply float32  apply the whitening in float32 (centred inputs and the matrix rounded to float32, products
                       accumulated in float32), like Regula's baked-in input transform, instead of float64.

Usage: /usr/bin/python3 torch_variant_split.py REFERENCE_DIR [--split first|stratified] [--zca-apply float64|float32]
       -- <torch_mlp.py arguments, e.g. --variants zca_dropout --seed 42 --out results.jsonl>
Each result line written by torch_mlp.py gets the two choices added as "split" and "zca_apply".
"""
import json
import os
import runpy
import sys

if len(sys.argv) < 2 or "--" not in sys.argv:
    sys.exit(__doc__)
ref = sys.argv[1]
own, rest = sys.argv[2:sys.argv.index("--")], sys.argv[sys.argv.index("--") + 1:]
split, zca_apply = "first", "float64"
for i in range(0, len(own), 2):
    if own[i] == "--split" and own[i + 1] in ("first", "stratified"):
        split = own[i + 1]
    elif own[i] == "--zca-apply" and own[i + 1] in ("float64", "float32"):
        zca_apply = own[i + 1]
    else:
        sys.exit(f"unknown option {own[i:i + 2]}\n{__doc__}")
# torch_mlp.py re-executes itself to load the OpenMP OpenBLAS and sets the thread limits before NumPy loads: do the
# same here, first, since this wrapper imports NumPy before running it.
_OMP_DIR = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
if "--blas" not in rest and _OMP_DIR not in os.environ.get("LD_LIBRARY_PATH", ""):
    env = dict(os.environ, LD_LIBRARY_PATH=_OMP_DIR + ":" + os.environ.get("LD_LIBRARY_PATH", ""))
    os.execve(sys.executable, [sys.executable] + sys.argv, env)
threads = rest[rest.index("--threads") + 1] if "--threads" in rest else "2"
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = threads
sys.path.insert(0, ref)
import numpy as np  # noqa: E402
import fmnist  # noqa: E402

seed = int(rest[rest.index("--seed") + 1]) if "--seed" in rest else 42
original_load = fmnist.load


def load(dtype=np.float32):
    xtr, ytr, xva, yva, xte, yte = original_load(dtype)
    if split == "first":
        return xtr, ytr, xva, yva, xte, yte
    x, y = np.concatenate([xtr, xva]), np.concatenate([ytr, yva])
    rng = np.random.default_rng(seed)
    train = []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        train.append(idx[:int(round(0.7 * len(idx)))])
    train = np.sort(np.concatenate(train))
    val = np.setdiff1d(np.arange(len(y)), train)
    return x[train], y[train], x[val], y[val], xte, yte


def zca_apply_f32(x, mean, pc, dtype=np.float32):
    return (x.astype(np.float32) - mean.astype(np.float32)) @ pc.astype(np.float32)


fmnist.load = load
if zca_apply == "float32":
    fmnist.zca_apply = zca_apply_f32
out = rest[rest.index("--out") + 1] if "--out" in rest else None
before = sum(1 for _ in open(out)) if out and os.path.exists(out) else 0
sys.argv = [os.path.join(ref, "torch_mlp.py")] + rest
runpy.run_path(sys.argv[0], run_name="__main__")
if out:  # label the lines this run appended
    with open(out) as f:
        lines = f.read().splitlines()
    for i in range(before, len(lines)):
        rec = json.loads(lines[i])
        rec.update(split=split, zca_apply=zca_apply)
        lines[i] = json.dumps(rec)
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
