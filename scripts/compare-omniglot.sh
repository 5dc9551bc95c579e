#!/usr/bin/env bash
# CPU seconds per Omniglot FO-MAML iteration (5-way 5-shot, meta-batch 8, one thread): the
# PyTorch anchor and our bench, alternately, so both see the same load on a shared machine.
#
#   scripts/compare-omniglot.sh OMNIGLOT_DIR PYTHON [ROUNDS]
#
# OMNIGLOT_DIR holds the unzipped images_background_small1/2; PYTHON has torch, numpy and
# pillow; the anchor script is ../shared/anchors/omniglot_fomaml_torch.py. Its own timer is
# switched to process CPU time (time.process_time) so that both sides report CPU seconds, which
# vary far less than wall-clock seconds when other work shares the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: scripts/compare-omniglot.sh OMNIGLOT_DIR PYTHON [ROUNDS]}"
python="${2:?usage: scripts/compare-omniglot.sh OMNIGLOT_DIR PYTHON [ROUNDS]}"
rounds="${3:-2}"
anchor="$(cd .. && pwd)/shared/anchors/omniglot_fomaml_torch.py"
[ -f "$anchor" ] || { echo "no anchor script at $anchor" >&2; exit 1; }
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
swift build -c release --product bench >/dev/null
bench="$(pwd)/.build/release/bench"
scratch="$(mktemp -d)"  # the anchor writes its image cache into the working folder
trap 'rm -rf "$scratch"' EXIT
for _ in $(seq "$rounds"); do
    torch=$(cd "$scratch" && OMNIGLOT_DIR="$data" "$python" -c '
import runpy, sys, time
time.perf_counter = time.process_time
sys.argv = [sys.argv[1], "--meta-batch", "8", "--threads", "1", "--time-only", "3"]
runpy.run_path(sys.argv[0], run_name="__main__")' "$anchor" | grep -o '"sec_per_iter_median": [0-9.]*' | grep -o '[0-9.]*$')
    ours=$(OMNIGLOT_ROOT="$data" "$bench" omniglot-fomaml --iterations 3 | grep -o '"cpu_seconds_per_iteration":[0-9.]*' | grep -o '[0-9.]*$')
    echo "load $(cut -d' ' -f1 /proc/loadavg)  PyTorch ${torch} CPU s/iteration  ours ${ours}  ratio $(python3 -c "print(round($ours / $torch, 2))")"
done
