#!/usr/bin/env bash
# Runs one replication of the replications chapter at the papers' scale into results/NAME, resumably: run the same
# line again after an interruption and the finished units are kept. Each invocation appends one line to
# results/NAME/invocations.jsonl (commit, date, machine, JDK, wall time), which the site shows with the results.
#
#   results/replicate.sh NAME [extra experiment options, e.g. --shard 1/4 --threads 2]
#
# NAME: teacher-student-study | kernel-learning-d15 | kernel-learning-d30 | kernel-learning-label-noise-d15 |
#       kernel-learning-d15-n100 | kernel-learning-d15-n400 | phase-diagram | lazy-width-study |
#       lazy-scale-study | lazy-breakdown-study | lazy-breakdown-study-long | lazy-breakdown-study-large-steps
# Needs target/twolayer.jar (mvn -B package -DskipTests). The results do not depend on --threads or --shard.
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: results/replicate.sh NAME [options]; NAME is one of teacher-student-study, kernel-learning-d15,"
usage+=" kernel-learning-d30, kernel-learning-label-noise-d15, kernel-learning-d15-n100, kernel-learning-d15-n400,"
usage+=" phase-diagram, lazy-width-study, lazy-scale-study, lazy-breakdown-study, lazy-breakdown-study-long,"
usage+=" lazy-breakdown-study-large-steps"
name=${1:-}
[ -n "$name" ] || { echo "$usage" >&2; exit 2; }
shift
case "$name" in
  teacher-student-study)
    # the study's settings: widths 4, 8, 40; batches of 10^4; 10^4 steps at torch lr 10 (eta = 20/m); 4 seeds
    args=(experiment teacher-student --widths 4,8,40 --seeds 1..4 --eta study --steps 10000 --decayed-steps 0
          --batch 10000 --observations 50) ;;
  kernel-learning-d15|kernel-learning-d30)
    # Takakura-Suzuki's scale: m = 2000, 10^4 steps, 5 seeds; the chapter's intrinsic noise levels 0, 1, 2
    args=(experiment kernel-learning --d "${name##*-d}" --width 2000 --steps 10000 --seeds 1..5 --sigmas 0,1,2 --baselines
          --observations 50) ;;
  kernel-learning-d15-n100|kernel-learning-d15-n400)
    # the sensitivity of the net-against-kernels comparison to the sample size (the paper's n is not known):
    # clean labels only, with the baselines
    args=(experiment kernel-learning --d 15 --n "${name##*-n}" --width 2000 --steps 10000 --seeds 1..5 --sigmas 0
          --baselines --observations 50) ;;
  kernel-learning-label-noise-d15)
    # the label-noise procedure (fresh U[-1, 1] noise every step) on clean labels, at the same scale
    args=(experiment kernel-learning --d 15 --width 2000 --steps 10000 --seeds 1..5 --sigmas 0 --label-noise 1
          --observations 50) ;;
  phase-diagram)
    # Luo et al.'s plane at steps of 1/2 (12 points: gamma 0.5 ... 2, gamma' -0.5 ... 0.5), widths 256 ... 8192
    # (1.5 decades), 3 seeds per point; a finer grid (e.g. steps of 1/4) can be run into the same folder later
    args=(experiment phase-diagram --grid 0.5..2/0.5x-0.5..0.5/0.5 --widths 256..8192x4 --seeds 1..3) ;;
  lazy-width-study)
    # the NTK-and-MF study's width sweep (m = 10^2, 10^3, 10^4, with the half decades between) on the lazy chapter's
    # synthetic task and clock (eta = 4, 8 steps); the ntk preset (alpha = sqrt m) and the mean-field contrast,
    # 10 initialisations per width
    args=(experiment lazy-width --variants ntk,mean-field --widths 100,316,1000,3162,10000 --inits 10) ;;
  lazy-scale-study)
    # the study's output-scale sweep at m = 10^4: alpha = m^p, p in {0, 0.3, 0.5, 0.7}, 10 initialisations, on the
    # chapter's clock (rates m / alpha^2, the same time T = 32 for every alpha)
    args=(experiment lazy-scale --widths 10000 --exponents 0,0.3,0.5,0.7 --inits 10) ;;
  lazy-breakdown-study)
    # the study's three ways to break linearisation at m = 5000: steps in the study's ratios 1 : 10 : 100 ending at
    # the chapter's largest step (16), momenta 0, 0.5, 0.9 at the middle step (as the study's lr 0.1), w ~ N(0, I)
    # against N(0, I/d); a budget of 10 steps (not the chapter's 8) so that the fixed time T = 16 is a whole number
    # of steps at every step size; 10 initialisations shared by every setting
    args=(experiment lazy-breakdown --width 5000 --etas 0.16,1.6,16 --base-eta 1.6 --steps 10 --inits 10) ;;
  lazy-breakdown-study-long)
    # the investigation of the step-size ratios: the same grid trained ten times longer (100 steps), nearer the end
    # of training as the study's 50 epochs were
    args=(experiment lazy-breakdown --width 5000 --etas 0.16,1.6,16 --base-eta 1.6 --steps 100 --no-fixed-time
          --inits 10) ;;
  lazy-breakdown-study-large-steps)
    # the investigation of the largest step: steps 16 to 128 (8 times the chapter's largest) for 10 steps
    args=(experiment lazy-breakdown --width 5000 --etas 16,32,64,128 --base-eta 16 --steps 10 --no-fixed-time
          --inits 10) ;;
  *) echo "results/replicate.sh: unknown NAME '$name'; $usage" >&2; exit 2 ;;
esac
jar=target/twolayer.jar
[ -f "$jar" ] || { echo "results/replicate.sh: $jar is missing: run 'mvn -B package -DskipTests' first" >&2; exit 2; }
out="results/$name"
# JSON string escaping of backslash and double quote (the options and the CPU name are free text)
esc() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
jar_sha=$(sha256sum "$jar" | cut -d' ' -f1)
# --restart deletes the folder's units: the log of the sittings that made them goes with them
case " $* " in *" --restart "*) rm -f "$out/invocations.jsonl" ;; esac
start=$(date +%s)
set +e
java --add-modules jdk.incubator.vector -jar "$jar" "${args[@]}" --out "$out" "$@"
code=$?
set -e
end=$(date +%s)
# the commit of the sources; -1 dirty means "not a git checkout". The jar's checksum says which build ran, since a
# jar older than the checkout would otherwise be logged under the checkout's commit.
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
# The results folders are left out: a rerun into a committed folder rewrites its own files, which says nothing about
# the sources that made them.
dirty=$( (git status --porcelain --untracked-files=no 2>/dev/null || echo "not a checkout") \
  | { grep -v '^.. results/[^/]*/' || true; } | wc -l | tr -d ' ')
git rev-parse HEAD >/dev/null 2>&1 || dirty=-1
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
java_version=$(java -version 2>&1 | head -1)
mkdir -p "$out"
printf '{"name":"%s","command":"%s","extra":"%s","exit":%d,"commit":"%s","dirty":%s,"jar_sha256":"%s","date":"%s","cpu":"%s","cores":%s,"java":"%s","wall_seconds":%d}\n' \
  "$name" "$(esc "${args[*]}")" "$(esc "$*")" "$code" "$commit" "$dirty" "$jar_sha" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$(esc "${cpu:-unknown}")" "$(nproc)" "$(esc "$java_version")" $((end - start)) >> "$out/invocations.jsonl"
exit $code
