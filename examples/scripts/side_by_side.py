#!/usr/bin/python3
"""Regula against the PyTorch reference, per variant: mean test accuracy over seeds with 95 % t intervals, and the
Regula − PyTorch difference with a Welch interval (the two frameworks' runs are independent, so not paired).

Usage: side_by_side.py TORCH_JSONL REGULA_RUNS_CSV   (written by pytorch-side-by-side.sh)
Prints a Markdown table.
"""
import csv
import json
import math
import sys



def t_cdf(x, df):
    """Student t CDF for x >= 0 by Simpson's rule on the density (no SciPy needed; error < 1e-9 here)."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    f = lambda u: c * (1 + u * u / df) ** (-(df + 1) / 2)
    n = 4000
    h = x / n
    return 0.5 + h / 3 * (f(0) + f(x) + sum((4 if i % 2 else 2) * f(i * h) for i in range(1, n)))


def t_quantile(p, df):
    """The p-quantile (p > 0.5) of Student's t with df (real) degrees of freedom, by bisection."""
    lo, hi = 0.0, 1000.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if t_cdf(mid, df) < p else (lo, mid)
    return (lo + hi) / 2

NAMES = {"early": "early_stopping"}  # the reference script's name -> Regula's


def mean_sd(xs):
    m = sum(xs) / len(xs)
    return m, math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else float("nan")


def main(torch_file, runs_file):
    torch_runs = [json.loads(line) for line in open(torch_file) if line.strip()]
    regula = {}
    for row in csv.DictReader(open(runs_file)):
        regula.setdefault(row["variant"], []).append(float(row["test_accuracy"]))
    print("| variant | seeds | PyTorch mean | 95 % interval | Regula mean | 95 % interval | Regula − PyTorch | Welch 95 % |")
    print("|---|---:|---:|---|---:|---|---:|---|")
    for variant in dict.fromkeys(r["variant"] for r in torch_runs):
        a = [r["test_acc"] for r in torch_runs if r["variant"] == variant]
        b = regula.get(NAMES.get(variant, variant), [])
        if len(a) < 2 or len(b) < 2:
            sys.exit(f"{variant}: need at least 2 seeds on each side, found {len(a)} and {len(b)}")
        (ma, sa), (mb, sb) = mean_sd(a), mean_sd(b)
        ha = t_quantile(0.975, len(a) - 1) * sa / math.sqrt(len(a))
        hb = t_quantile(0.975, len(b) - 1) * sb / math.sqrt(len(b))
        va, vb = sa ** 2 / len(a), sb ** 2 / len(b)
        se = math.sqrt(va + vb)
        df = se ** 4 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
        h = t_quantile(0.975, df) * se
        print(f"| {NAMES.get(variant, variant)} | {len(a)} / {len(b)} | {ma:.4f} | {ma - ha:.4f} – {ma + ha:.4f} | {mb:.4f} | "
              f"{mb - hb:.4f} – {mb + hb:.4f} | {100 * (mb - ma):+.2f} pt | {100 * (mb - ma - h):+.2f} – "
              f"{100 * (mb - ma + h):+.2f} pt |")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--check":  # the t tables: t(0.975, 2) = 4.3027, t(0.975, 9) = 2.2622
        print(round(t_quantile(0.975, 2), 4), round(t_quantile(0.975, 9), 4))
        sys.exit(0)
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
