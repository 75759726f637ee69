#!/usr/bin/env bash
# Sweep throughput (points x replicas per second) in one process and over 1 and 2 MPI ranks, and
# the cost of merging shard files as the number of shards grows. Medians of REPEATS runs, the
# configurations alternating so that a noisy neighbour hits them alike.
# Usage: bench/sweep.sh [BASKETS] [REPLICAS_PER_POINT (10)] [REPEATS (3)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
baskets=${1:-$root/build/baskets}
replicas=${2:-10}
repeats=${3:-3}
sweep=$root/scenarios/where_two_baskets_pay.toml
python=/usr/bin/python3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cores=$(nproc)

seconds() { # runs the command, prints its wall-clock seconds
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {print b - a}'
}
calc() { awk "BEGIN {print $1}"; }
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

points=$("$baskets" sweep "$sweep" -n 1 -q | awk '/grid design/ {for (i = 1; i <= NF; ++i) if ($(i+1) ~ /^points/) print $i}')
work=$((points * replicas))
echo "bench/sweep.sh: $sweep, $points points x $replicas replicas = $work replicas per sweep, median of $repeats, $cores cores"

declare -A runs
configs=("one process -j 1" "one process -j $cores" "mpirun -np 1 -j 1" "mpirun -np 2 -j 1")
have_mpi=1
command -v mpirun > /dev/null || have_mpi=0
for ((r = 0; r < repeats; ++r)); do
  for config in "${configs[@]}"; do
    case $config in
      "one process -j 1") t=$(seconds "$baskets" sweep "$sweep" -n "$replicas" -j 1 -q --out "$dir/a.h5" --force) ;;
      "one process -j $cores") t=$(seconds "$baskets" sweep "$sweep" -n "$replicas" -j "$cores" -q --out "$dir/b.h5" --force) ;;
      mpirun*)
        ((have_mpi)) || continue
        np=${config#mpirun -np }
        np=${np%% *}
        t=$(seconds mpirun --allow-run-as-root --oversubscribe -np "$np" "$baskets" sweep "$sweep" -n "$replicas" -j 1 -q --out "$dir/m$np.h5" --force) ;;
    esac
    runs[$config]="${runs[$config]:-} $t"
  done
done
printf '\n%-24s %10s %22s\n' configuration "median s" "points x replicas / s"
declare -A rate
for config in "${configs[@]}"; do
  [[ -n ${runs[$config]:-} ]] || continue
  m=$(echo "${runs[$config]}" | median)
  rate[$config]=$(calc "$work / $m")
  printf '%-24s %10.3f %22.1f\n' "$config" "$m" "${rate[$config]}"
done
if ((have_mpi)); then
  printf '\n2 MPI ranks / 1 rank: %.2f (parallel efficiency %.2f)\n' \
    "$(calc "${rate[mpirun -np 2 -j 1]} / ${rate[mpirun -np 1 -j 1]}")" \
    "$(calc "${rate[mpirun -np 2 -j 1]} / ${rate[mpirun -np 1 -j 1]} / 2")"
  printf 'mpirun -np 1 / one process, -j 1: %.2f (what the MPI launch costs)\n' \
    "$(calc "${rate[mpirun -np 1 -j 1]} / ${rate[one process -j 1]}")"
fi

# Merging: the same sweep in 1 .. 16 shards; the time of `baskets merge` alone.
echo
printf '%-8s %12s %14s\n' shards "merge s" "merge s/shard"
for shards in 1 2 4 8 16; do
  files=()
  for ((i = 0; i < shards; ++i)); do
    "$baskets" sweep "$sweep" -n "$replicas" -j "$cores" -q --shard "$i/$shards" --out "$dir/s$shards-$i.h5" --force > /dev/null 2>&1 || [[ $shards == 1 ]]
    files+=("$dir/s$shards-$i.h5")
  done
  [[ $shards == 1 ]] && { "$baskets" sweep "$sweep" -n "$replicas" -j "$cores" -q --out "$dir/s1-0.h5" --force > /dev/null 2>&1; }
  times=""
  for ((r = 0; r < repeats; ++r)); do
    times="$times $(seconds "$baskets" merge "$dir/merged.h5" "${files[@]}" --force)"
  done
  m=$(echo "$times" | median)
  printf '%-8s %12.3f %14.4f\n' "$shards" "$m" "$(calc "$m / $shards")"
done
