#!/usr/bin/env bash
# The same small model run by SimPy 2 (one process) and by baskets (-j 1 and -j 2): replicas per
# second, the ratios baskets / SimPy, and both mean served shares (the same model: they should
# agree within their standard errors). See bench/README.md.
#
# Usage: bench/small_model.sh [BUILD_DIR]     (default: build; needs BUILD_DIR/baskets)
# Environment: REPLICAS (default 2000, the same for both), REPEATS (default 3; medians),
#              PYTHON (default /usr/bin/python3, which has Debian's python3-simpy).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-build}
baskets=$build/baskets
python=${PYTHON:-/usr/bin/python3}
replicas=${REPLICAS:-2000}
repeats=${REPEATS:-3}
scenario=$here/small_model/small_model.toml
simpy_model=$here/small_model/simpy_small_model.py

[[ -x $baskets ]] || { echo "small_model.sh: no $baskets (build it first)" >&2; exit 2; }
"$python" -c 'import SimPy.Simulation' 2>/dev/null ||
  { echo "small_model.sh: $python cannot import SimPy (apt-get install python3-simpy)" >&2; exit 2; }

now() { date +%s.%N; }
# The machine is shared: CPU time of other processes while this script ran (/proc/stat's busy
# time less this script's children's).
machine_busy() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { print ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }
own_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15 + $16 + $17) / hz }' "/proc/$$/stat"; }
busy_before=$(machine_busy) own_before=$(own_cpu) wall_before=$(now)
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { print b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Wall time of whole commands (process start, parsing and report included, for both).
simpy_times=() baskets1_times=() baskets2_times=()
simpy_share="" baskets_share=""
for ((r = 0; r < repeats; ++r)); do
  start=$(now)
  out=$("$python" "$simpy_model" -n "$replicas" --seed 1)
  simpy_times+=("$(since "$start")")
  simpy_share=$(awk '/^served_share/ { print $2, $3 }' <<<"$out")

  for threads in 1 2; do
    start=$(now)
    out=$("$baskets" run "$scenario" -n "$replicas" -j "$threads" -q)
    elapsed=$(since "$start")
    if ((threads == 1)); then baskets1_times+=("$elapsed"); else baskets2_times+=("$elapsed"); fi
    baskets_share=$(awk '/^served_share/ { print $3, $5; exit }' <<<"$out")
  done
done

foreign=$(awk -v m0="$busy_before" -v m1="$(machine_busy)" -v o0="$own_before" -v o1="$(own_cpu)" \
  -v w0="$wall_before" -v w1="$(now)" -v cores="$(nproc)" 'BEGIN {
    f = (m1 - m0) - (o1 - o0); if (f < 0) f = 0
    printf "other processes used %.1f CPU-seconds while it ran (%.0f%% of the machine; above a few %% the figures are inflated)", f, 100 * f / ((w1 - w0) * cores) }')

# Paired ratios: each repeat runs SimPy and both baskets runs back to back.
ratios1=() ratios2=()
for ((r = 0; r < repeats; ++r)); do
  ratios1+=("$(awk -v s="${simpy_times[r]}" -v b="${baskets1_times[r]}" 'BEGIN { print s / b }')")
  ratios2+=("$(awk -v s="${simpy_times[r]}" -v b="${baskets2_times[r]}" 'BEGIN { print s / b }')")
done
ratio1=$(printf '%s\n' "${ratios1[@]}" | median)
ratio2=$(printf '%s\n' "${ratios2[@]}" | median)

simpy_s=$(printf '%s\n' "${simpy_times[@]}" | median)
baskets1_s=$(printf '%s\n' "${baskets1_times[@]}" | median)
baskets2_s=$(printf '%s\n' "${baskets2_times[@]}" | median)

awk -v n="$replicas" -v repeats="$repeats" -v s="$simpy_s" -v b1="$baskets1_s" -v b2="$baskets2_s" \
  -v simpy_share="$simpy_share" -v baskets_share="$baskets_share" -v scenario="$scenario" \
  -v r1="$ratio1" -v r2="$ratio2" -v foreign="$foreign" '
BEGIN {
  printf "small model (%s): %d replicas per run, wall time of the whole command, median of %d\n\n",
    scenario, n, repeats
  printf "%-34s  %10s  %12s\n", "", "median s", "replicas/s"
  printf "%-34s  %10.3f  %12.1f\n", "SimPy 2.3.1, one process", s, n / s
  printf "%-34s  %10.3f  %12.1f\n", "baskets run -j 1", b1, n / b1
  printf "%-34s  %10.3f  %12.1f\n", "baskets run -j 2", b2, n / b2
  printf "\nreplicas/s ratios, median of the %d paired repeats (ratio of the medians in brackets):\n", repeats
  printf "baskets -j 1 / SimPy: %.3f  (target >= 1)%s  [%.3f]\n", r1, (r1 >= 1 ? "" : "  MISSED"), s / b1
  printf "baskets -j 2 / SimPy: %.3f  (target >= 1.8)%s  [%.3f]\n", r2, (r2 >= 1.8 ? "" : "  MISSED"), s / b2
  split(simpy_share, a, " "); split(baskets_share, b, " ")
  se = sqrt(a[2] ^ 2 + b[2] ^ 2)
  printf "\nmean served share: SimPy %.5f +- %.5f, baskets %.5f +- %.5f\n", a[1], a[2], b[1], b[2]
  printf "difference %.5f = %.2f combined standard errors\n", b[1] - a[1], (se > 0 ? (b[1] - a[1]) / se : 0)
  printf "\n%s\n", foreign
}'
