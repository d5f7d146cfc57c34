#!/usr/bin/env bash
# Compare two builds with the 4-validator benchmark in ABBA rounds: base, candidate, candidate, base.
# A slow drift of the machine cancels inside a round; the round's ratio (candidate's two runs over base's two,
# node CPU per committed rate) is what docs/performance.md quotes ("A measure with less spread: ABBA rounds").
#
#   scripts/bench-abba.sh ROUNDS BASE_DIR CANDIDATE_DIR [extra ./cairn bench bft options]
#
# Each DIR is a clone of the commit to measure (its ./cairn builds the jars on first use). Run it with nothing
# else on the machine; it prints one TSV row per run (also kept in /tmp/abba-HHMM.tsv) and the round ratios.
set -euo pipefail
rounds=$1; base=$2; cand=$3; shift 3
tsv=/tmp/abba-$(date +%H%M).tsv
printf 'start\tbuild\tnode_cpu_mean\tnode_cpu\tcommitted_tx_s\tp50_ms\tp99_ms\tload_start\tother_jvms\n' > "$tsv"
run() {
  local dir=$1 tag wd log
  shift
  tag=$(basename "$dir")-$(date +%H%M%S); wd=/tmp/abba-wd-$tag; log=/tmp/abba-$tag.log
  local others load start
  others=$(pgrep -f 'maven|surefire|failsafe|cairn-node.jar' | wc -l || true)
  load=$(cut -d' ' -f1 /proc/loadavg); start=$(date +%T)
  (cd "$dir" && ./cairn bench bft --validators 4 --duration-s 60 --warmup-s 60 --ramp-s 45 --block-period-ms 250 \
      --rate 3000 --block-txs-max 4000 --work-dir "$wd" --keep "$@") > "$log" 2>&1
  local cpus mean rate lat
  cpus=$(grep -E '^ +node-[0-9]+ ' "$log" | grep -oE 'cpu [0-9.]+%' | grep -oE '[0-9.]+' | paste -sd, - || true)
  mean=$(echo "$cpus" | tr ',' '\n' | awk '{s+=$1; n++} END {if (n) printf "%.2f", s/n}')
  rate=$(grep -oE 'committed tx/s +[0-9.]+' "$log" | grep -oE '[0-9.]+$' || echo '?')
  lat=$(grep -oE 'p50 [0-9.]+ +p95 [0-9.]+ +p99 [0-9.]+' "$log" | awk '{print $2 "\t" $6}' || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$start" "$(basename "$dir")" "$mean" "$cpus" "$rate" "$lat" "$load" "$others" \
    | tee -a "$tsv"
  rm -rf "$wd"; sleep 10
}
for _ in $(seq 1 "$rounds"); do
  run "$base" "$@"; run "$cand" "$@"; run "$cand" "$@"; run "$base" "$@"
done
# Round ratios: rows 4r+1..4r+4 are A B B A.
awk -F'\t' 'NR > 1 { i = NR - 2; r = int(i / 4); k = i % 4; if (k == 0 || k == 3) a[r] += $3; else b[r] += $3 }
  END { for (r in a) printf "round %d: candidate/base node CPU = %.3f\n", r + 1, b[r] / a[r] }' "$tsv"
echo "tsv=$tsv"
