#!/usr/bin/env bash
# Sine MAML meta-steps per CPU second on the three workloads (second order 25 tasks x 5 steps,
# first order 25 x 5, second order 1 task x 1 step): JAX's `jit` anchor, then ours on the dynamic
# path and replayed, one after another in each round, so all three see the same load.
#
#   scripts/compare-sine.sh PYTHON [ROUNDS]
#
# PYTHON has jax and numpy; the anchor script is ../shared/anchors/sine_maml_jax.py. Each line
# gives meta-steps per second of wall-clock time and, in brackets, per CPU second of the process
# (which counts every thread the process runs, and varies less when other work shares the cores).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:?usage: scripts/compare-sine.sh PYTHON [ROUNDS]}"
rounds="${2:-2}"
anchor="$(cd .. && pwd)/shared/anchors/sine_maml_jax.py"
[ -f "$anchor" ] || { echo "no anchor script at $anchor" >&2; exit 1; }
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
swift build -c release --product bench >/dev/null
bench="$(pwd)/.build/release/bench"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
field() { grep -o "\"$1\": *[0-9.e-]*" | grep -o '[0-9.e-]*$'; }
for round in $(seq "$rounds"); do
    for workload in "second 25 5" "first 25 5" "second 1 1"; do
        set -- $workload
        order=$1 tasks=$2 steps=$3
        jax_json=$("$python" "$anchor" --variant jit --order "$order" --meta-batch "$tasks" --inner-steps "$steps" --out "$scratch/jax.jsonl")
        jax=$(echo "$jax_json" | field steps_per_s_median | xargs printf '%.1f')
        jax_cpu=$(python3 -c "print(round(1 / $(echo "$jax_json" | field cpu_s_per_step), 1))")
        flags=(--meta-batch "$tasks" --inner-steps "$steps"); [ "$order" = first ] && flags+=(--first-order)
        dynamic_json=$("$bench" sine-maml "${flags[@]}")
        replay_json=$("$bench" sine-maml "${flags[@]}" --replay)
        dynamic=$(echo "$dynamic_json" | field meta_steps_per_second) dynamic_cpu=$(echo "$dynamic_json" | field meta_steps_per_cpu_second)
        replay=$(echo "$replay_json" | field meta_steps_per_second) replay_cpu=$(echo "$replay_json" | field meta_steps_per_cpu_second)
        echo "round $round  $order order, $tasks tasks x $steps steps  load $(cut -d' ' -f1 /proc/loadavg)  JAX jit $jax ($jax_cpu)" \
             " ours $dynamic ($dynamic_cpu)  replayed $replay ($replay_cpu)  replayed/JAX $(python3 -c "print(round($replay / $jax, 2), round($replay_cpu / $jax_cpu, 2))")"
    done
done
