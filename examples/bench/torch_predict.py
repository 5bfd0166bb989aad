#!/usr/bin/python3
"""Batched inference throughput of the reference network (784 -> 5x500 ReLU -> 10) in PyTorch eval() mode, the
peer of `regula bench`'s predict_examples_per_second. Weights are random: only speed is measured.

Usage: /usr/bin/python3 examples/bench/torch_predict.py [--threads 2] [--batch 1000] [--reps 5]
Needs Debian's python3-torch; run with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp for torch's
best 2-thread speed (see ../shared/bench/README.md). Prints one JSON line.
"""
import argparse
import json
import os
import time

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--batch", type=int, default=1000)
ap.add_argument("--examples", type=int, default=10000)
ap.add_argument("--reps", type=int, default=5)
args = ap.parse_args()
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = str(args.threads)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

torch.set_num_threads(args.threads)
torch.set_flush_denormal(True)
layers, d = [], 784
for _ in range(5):
    layers += [nn.Linear(d, 500), nn.ReLU()]
    d = 500
model = nn.Sequential(*layers, nn.Linear(500, 10), nn.Softmax(dim=1)).eval()
x = torch.rand(args.examples, 784)
times = []
with torch.no_grad():
    for rep in range(args.reps + 1):
        t0 = time.perf_counter()
        for i in range(0, args.examples, args.batch):
            model(x[i:i + args.batch])
        if rep > 0:
            times.append(time.perf_counter() - t0)
times.sort()
median = times[len(times) // 2]
print(json.dumps({"tool": "torch", "threads": args.threads, "batch": args.batch,
                  "predict_examples_per_second": round(args.examples / median, 1), "seconds_median": round(median, 4)}))
