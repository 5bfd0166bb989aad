#!/bin/sh
# The study's six shared variants on full Fashion-MNIST, in Regula and in the PyTorch reference script, over the
# same seeds; prints the side-by-side table of docs/study.md. Needs (Debian): dataset-fashion-mnist python3-torch
# libopenblas0-openmp, the built CLI (mvn -B -ntp -q install -DskipTests) and the reference script.
# Usage: examples/scripts/pytorch-side-by-side.sh [REFERENCE_DIR (default ../shared/bench)] [SEEDS (default 3)] [OUT]
set -eu
REF=${1:-../shared/bench}
SEEDS=${2:-3}
OUT=${3:-side-by-side}
DATA=/usr/share/datasets/fashion-mnist
HERE=$(dirname "$0")
[ -f "$REF/torch_mlp.py" ] || { echo "no $REF/torch_mlp.py: pass the folder of the PyTorch reference script" >&2; exit 1; }
[ -d "$DATA" ] || { echo "no $DATA: apt-get install dataset-fashion-mnist" >&2; exit 1; }
[ ! -e "$OUT" ] || { echo "$OUT exists: choose another output folder" >&2; exit 1; }
mkdir -p "$OUT"
s=0
while [ "$s" -lt "$SEEDS" ]; do
  /usr/bin/python3 "$REF/torch_mlp.py" --threads 2 --epochs 10 --seed $((42 + s)) \
    --variants baseline,l2,l1,dropout,zca_dropout,early --out "$OUT/torch.jsonl" > "$OUT/torch-seed-$((42 + s)).log"
  s=$((s + 1))
done
# ZCA epsilon 1e-6 as in the reference script (the study's own default is 0.1, see docs/study.md)
java -jar "$HERE/../target/regula.jar" study --data "$DATA" --seeds "$SEEDS" --seed 42 --epochs 10 --threads 2 \
  --zca-epsilon 1e-6 --variants baseline,l2,l1,dropout,zca_dropout,early_stopping --out "$OUT/regula" > "$OUT/regula.log"
/usr/bin/python3 "$HERE/side_by_side.py" "$OUT/torch.jsonl" "$OUT/regula/runs.csv" | tee "$OUT/side-by-side.md"
