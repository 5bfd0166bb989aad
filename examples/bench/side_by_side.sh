#!/usr/bin/env bash
# Alternates the PyTorch reference script and `regula bench` on the same data, round after round, and prints the
# per-round ratios and their median. The shared host's speed drifts by tens of percent from minute to minute, so
# only ratios of runs taken close together mean anything.
#
#   examples/bench/side_by_side.sh VARIANT ROUNDS [EPOCHS] [OTHER_REGULA_JAR]
#
# VARIANT is baseline, l2 or dropout (the names both tools share); EPOCHS defaults to 3 (both report the median
# over the epochs after the first). OTHER_REGULA_JAR, if given, is run after Regula in every round as a third
# column (e.g. a build of an earlier commit). Needs: apt-get install dataset-fashion-mnist python3-torch
# libopenblas0-openmp, a built examples/target/regula.jar, and ../shared/bench/torch_mlp.py (or TORCH_SCRIPT).
set -euo pipefail
cd "$(dirname "$0")/../.."
variant=${1:?variant}; rounds=${2:?rounds}; epochs=${3:-3}; other=${4:-}
data=${DATA:-/usr/share/datasets/fashion-mnist}
torch_script=${TORCH_SCRIPT:-../shared/bench/torch_mlp.py}
out=$(mktemp -d)
for i in $(seq 1 "$rounds"); do
  /usr/bin/python3 "$torch_script" --threads 2 --variants "$variant" --epochs "$epochs" > "$out/torch-$i.txt" 2>&1
  java -Xmx2g -jar examples/target/regula.jar bench --data "$data" --epochs "$epochs" --variant "$variant" \
    2>/dev/null | tail -1 > "$out/regula-$i.json"
  if [ -n "$other" ]; then
    java -Xmx2g -jar "$other" bench --data "$data" --epochs "$epochs" --variant "$variant" \
      2>/dev/null | tail -1 > "$out/other-$i.json"
  fi
done
python3 - "$out" "$rounds" "$variant" <<'PY'
import json, os, statistics, sys
out, rounds, variant = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def regula(path):
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    return json.load(open(path))["seconds_per_epoch_median"]
ratios, others = [], []
for i in range(1, rounds + 1):
    torch = [json.loads(l[7:])["s_per_epoch_train_median"] for l in open(f"{out}/torch-{i}.txt") if l.startswith("RESULT")]
    r, o = regula(f"{out}/regula-{i}.json"), regula(f"{out}/other-{i}.json")
    if not torch or r is None:
        print(f"round {i}: a run failed, see {out}")
        continue
    ratios.append(r / torch[0])
    line = f"round {i}: pytorch {torch[0]:.3f} s/epoch, regula {r:.3f} s/epoch, regula/pytorch {r / torch[0]:.2f}"
    if o is not None:
        others.append(o / torch[0])
        line += f", other {o:.3f} s/epoch ({o / torch[0]:.2f}), regula/other {r / o:.2f}"
    print(line)
if ratios:
    print(f"{variant}: median regula/pytorch over {len(ratios)} rounds = {statistics.median(ratios):.3f}"
          + (f"; other/pytorch = {statistics.median(others):.3f}" if others else ""))
PY
