#!/usr/bin/env bash
# Builds the JMH jar, runs the gradient-step benchmark with short settings and the NumPy baseline, and
# prints both with GFLOP/s. Run from anywhere:  benchmarks/run-all.sh [JMH benchmark regex]
# The default regex times the whole step; 'GradientStepBenchmark' also times the forward and
# forward+backward parts. JMH_OPTS overrides the short settings, e.g. JMH_OPTS="-f1 -wi 5 -i 10".
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH="${1:-GradientStepBenchmark.step}"
JMH_OPTS="${JMH_OPTS:--f1 -wi 2 -i 3 -w 1s -r 2s}"
RESULT=target/jmh-result.json

echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average:$(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/ /')"
java -version 2>&1 | head -1

echo "== build: mvn -B -q -Pbench package -DskipTests"
mvn -B -q -Pbench package -DskipTests

echo "== JMH: $BENCH $JMH_OPTS"
# shellcheck disable=SC2086
java -jar target/benchmarks.jar "$BENCH" $JMH_OPTS -rf json -rff "$RESULT"

echo "== NumPy baseline"
python3 benchmarks/numpy_step.py

echo "== Java (JMH, from $RESULT)"
python3 benchmarks/jmh_gflops.py "$RESULT"
echo "== load average at the end:$(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/ /')"
