#!/usr/bin/env bash
# Runs the Java (JMH) and NumPy sides of every benchmark in one go and writes target/bench/summary.csv
#   benchmark,threads,m,java_ms,numpy_ms,ratio        (ratio = java_ms / numpy_ms)
# with target/bench/meta.json (date, CPU, JDK, NumPy and OpenBLAS, load average), then prints the table.
#   BENCH_QUICK=1   short settings (JMH -f1 -wi 1 -i 2 -w 1s -r 1s, NumPy the same): a few minutes
#   BENCH_ONLY=re   only the benchmarks whose table name matches the regular expression (both sides)
#   BENCH_RECORD=1  also copy both files to benchmarks/results/summary-<date>.{csv,json} (for the chapter)
#   BENCH_NOTE=...  a note recorded in meta.json (e.g. that the machine was shared)
# See benchmarks/README.adoc and the performance chapter (docs/performance.adoc).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
mkdir -p "$OUT"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  JMH_OPTS=(-f1 -wi 1 -i 2 -w 1s -r 1s); NP_OPTS=(--warmup 1 --iterations 2 --seconds 1); QUICK=(--quick)
else
  JMH_OPTS=(-f1 -wi 3 -i 5 -w 2s -r 2s); NP_OPTS=(--warmup 3 --iterations 5 --seconds 2); QUICK=()
fi
ONLY="${BENCH_ONLY:-.}"
# JMH selects by its own names; the table's names are derived from them in summary.py
JMH_RE='GradientStepBenchmark\.step$|NtkGramBenchmark|MfldStepBenchmark|TwoTimescaleStepBenchmark'
case "$ONLY" in
  .) ;;
  *gd-step*) JMH_RE='GradientStepBenchmark\.step$' ;;
  *ntk-gram*) JMH_RE='NtkGramBenchmark' ;;
  *mfld*) JMH_RE='MfldStepBenchmark' ;;
  *two-timescale*) JMH_RE='TwoTimescaleStepBenchmark' ;;
esac

echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average: $LOAD_START"
java -version 2>&1 | head -1
echo "== build: mvn -B -q -Pbench package -DskipTests"
mvn -B -q -Pbench package -DskipTests

echo "== Java (JMH): $JMH_RE ${JMH_OPTS[*]}"
java -jar target/benchmarks.jar "$JMH_RE" "${JMH_OPTS[@]}" -rf json -rff "$OUT/jmh.json"

echo "== NumPy: ${NP_OPTS[*]}"
python3 benchmarks/numpy_bench.py --threads 1,2 --only "$ONLY" "${NP_OPTS[@]}" \
  --out "$OUT/numpy.csv" --describe-json "$OUT/numpy-blas.json"

python3 benchmarks/summary.py "$OUT/jmh.json" "$OUT/numpy.csv" "$OUT/numpy-blas.json" \
  "$OUT/summary.csv" "$OUT/meta.json" --load-start "$LOAD_START" "${QUICK[@]}"
echo "== $OUT/summary.csv (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
column -s, -t < "$OUT/summary.csv" 2>/dev/null || cat "$OUT/summary.csv"

if [[ "${BENCH_RECORD:-0}" == 1 ]]; then
  day="$(date -u +%Y-%m-%d)"
  mkdir -p benchmarks/results
  cp "$OUT/summary.csv" "benchmarks/results/summary-$day.csv"
  cp "$OUT/meta.json" "benchmarks/results/summary-$day.json"
  echo "== recorded benchmarks/results/summary-$day.{csv,json}"
fi
