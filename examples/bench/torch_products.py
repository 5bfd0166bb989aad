#!/usr/bin/python3
"""The 17 matrix products of one training step of the reference network (784 -> 5x500 ReLU -> 10, batch 128) in
PyTorch, back to back without autograd: forward X.W for each layer, then per layer the kernel gradient X^T.D and,
except for the first layer, the input gradient D.W^T. The peer of the products inside `regula bench`'s step.

Usage: /usr/bin/python3 examples/bench/torch_products.py [--threads 2] [--rounds 12] [--steps 200]
Prints the time per step of each round in milliseconds.
"""
import argparse
import time

import torch

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--rounds", type=int, default=12)
ap.add_argument("--steps", type=int, default=200)
args = ap.parse_args()
torch.set_num_threads(args.threads)

batch = 128
sizes = [784, 500, 500, 500, 500, 500, 10]
kernels = [torch.randn(sizes[l], sizes[l + 1]) * 0.05 for l in range(6)]
outputs = [torch.rand(batch, sizes[0])] + [torch.randn(batch, sizes[l + 1]) for l in range(6)]
deltas = [torch.randn(batch, sizes[l + 1]) for l in range(6)]
kernel_grads = [torch.empty(sizes[l], sizes[l + 1]) for l in range(6)]
input_grads = [torch.empty(batch, sizes[l]) for l in range(6)]


def step():
    for l in range(6):
        torch.mm(outputs[l], kernels[l], out=outputs[l + 1])
    for l in range(5, -1, -1):
        torch.mm(outputs[l].t(), deltas[l], out=kernel_grads[l])
        if l > 0:
            torch.mm(deltas[l], kernels[l].t(), out=input_grads[l])


with torch.no_grad():
    for _ in range(args.rounds):
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        print("products per step %.3f ms" % ((time.perf_counter() - start) / args.steps * 1e3))
