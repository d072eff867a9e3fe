#!/usr/bin/env bash
# Every figure of bench/RESULTS.md, one after the other: run it on a quiet machine (nothing else busy), from the
# repository root, with the venv active. About 30 minutes on 2 CPU cores. Each command is printed before its output.
set -u
export PLAYGROUND_DATA_DIR="${PLAYGROUND_DATA_DIR:-$(cd ../shared/data && pwd)}"
export PLAYGROUND_RUNS_DIR="${PLAYGROUND_RUNS_DIR:-$(mktemp -d)}"
X=(xvfb-run -a -s "-screen 0 1600x1000x24")
run() { echo; echo "\$ $*"; "$@" 2>&1 | grep -v propagateSizeHints; }
cd "$(dirname "$0")/.."

run python bench/compare_reference.py --repeats 3 --batch-sizes 64 256 --cpu-amp
run python bench/levers.py --kinds
run /usr/bin/time -v playground train --preset mnist-in-a-minute --quiet
run /usr/bin/time -v playground train --preset mnist-best --quiet
run /usr/bin/time -v playground train --arch seed-cnn --dataset mnist --epochs 1 --quiet
run "${X[@]}" python bench/app_memory.py
run /usr/bin/time -v playground train --arch lstm --dataset mnist --epochs 3 --quiet
run /usr/bin/time -v playground train --arch vae --dataset mnist --epochs 5 --quiet
run /usr/bin/time -v playground train --arch gan --dataset mnist --quiet --out "$PLAYGROUND_RUNS_DIR/gan"
run python bench/gan_check.py "$PLAYGROUND_RUNS_DIR/gan/model.pt"
run "${X[@]}" python bench/gui_responsiveness.py --all-views --p99-limit 16 --max-limit 50
run "${X[@]}" python bench/knobs_latency.py
run "${X[@]}" python bench/startup_time.py
run "${X[@]}" python bench/under_load.py
run python bench/ddp_scaling.py
run python bench/handwriting_check.py --writers 40 --per-digit 3
run python bench/handwriting_check.py --writers 0 --per-style 50
