package twolayer.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Generated cases for the property-style claims, in place of a property-testing library: categorical choices crossed
 * so that every pair of levels of every two factors occurs (instead of cycling them by seed modulo, which leaves
 * pairs out), case counts scaled by {@code -Dtwolayer.cases=N} (N times each claim's own count), and a shrink loop that
 * reports the smallest failing size of a failed case with its seed.
 */
public final class Cases {

    private Cases() {}

    /** The scale factor of every case count: {@code -Dtwolayer.cases=N} (default 1). */
    public static int factor() {
        int n = Integer.getInteger("twolayer.cases", 1);
        if (n < 1) {
            throw new IllegalArgumentException("twolayer.cases: must be a whole number >= 1, got " + n);
        }
        return n;
    }

    /**
     * Rows of level indices, one entry per factor with {@code levels[f]} levels, such that every pair of levels of
     * every two factors occurs in at least one row (a covering array of strength 2), repeated {@link #factor()} times
     * with fresh fill-ins. Built greedily: each new row is the one among 50 candidates drawn from {@code seed} that
     * covers the most pairs not yet covered, with the first uncovered pair placed in it, so the construction ends.
     * With two factors the rows are their full cross; with one, its levels in order (as {@link #cross}).
     */
    public static List<int[]> pairwise(long seed, int... levels) {
        if (levels.length < 2) {
            return cross(levels);
        }
        List<int[]> rows = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int round = 0; round < factor(); round++) {
            boolean[][][][] covered = new boolean[levels.length][levels.length][][];
            int uncovered = 0;
            for (int f = 0; f < levels.length; f++) {
                for (int g = f + 1; g < levels.length; g++) {
                    covered[f][g] = new boolean[levels[f]][levels[g]];
                    uncovered += levels[f] * levels[g];
                }
            }
            while (uncovered > 0) {
                int[] first = firstUncovered(covered, levels);
                int[] best = null;
                int bestGain = -1;
                for (int c = 0; c < 50; c++) {
                    int[] row = new int[levels.length];
                    for (int f = 0; f < levels.length; f++) {
                        row[f] = rng.nextInt(levels[f]);
                    }
                    row[first[0]] = first[1];
                    row[first[2]] = first[3];
                    int gain = gain(covered, row);
                    if (gain > bestGain) {
                        best = row;
                        bestGain = gain;
                    }
                }
                for (int f = 0; f < levels.length; f++) {
                    for (int g = f + 1; g < levels.length; g++) {
                        covered[f][g][best[f]][best[g]] = true;
                    }
                }
                uncovered -= bestGain;
                rows.add(best);
            }
        }
        return rows;
    }

    /**
     * Every combination of levels (the full cross, the last factor varying fastest), repeated {@link #factor()} times:
     * for few factors, or where every combination matters. A factor may be a replicate index (its levels then only
     * give the combination more seeded draws).
     */
    public static List<int[]> cross(int... levels) {
        int count = 1;
        for (int l : levels) {
            if (l < 1) {
                throw new IllegalArgumentException("levels: every factor needs at least one level, got "
                        + java.util.Arrays.toString(levels));
            }
            count = Math.multiplyExact(count, l);
        }
        List<int[]> rows = new ArrayList<>();
        for (int round = 0; round < factor(); round++) {
            for (int c = 0; c < count; c++) {
                int[] row = new int[levels.length];
                for (int f = levels.length - 1, rest = c; f >= 0; rest /= levels[f], f--) {
                    row[f] = rest % levels[f];
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static int[] firstUncovered(boolean[][][][] covered, int[] levels) {
        for (int f = 0; f < levels.length; f++) {
            for (int g = f + 1; g < levels.length; g++) {
                for (int a = 0; a < levels[f]; a++) {
                    for (int b = 0; b < levels[g]; b++) {
                        if (!covered[f][g][a][b]) {
                            return new int[] {f, a, g, b};
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("every pair is covered");
    }

    private static int gain(boolean[][][][] covered, int[] row) {
        int gain = 0;
        for (int f = 0; f < row.length; f++) {
            for (int g = f + 1; g < row.length; g++) {
                if (!covered[f][g][row[f]][row[g]]) {
                    gain++;
                }
            }
        }
        return gain;
    }

    /** The sizes of a case that a shrink may halve (each at least its floor). */
    public record Size(int m, int n, int d, int steps) {
        @Override
        public String toString() {
            return "m = " + m + ", n = " + n + ", d = " + d + ", steps = " + steps;
        }
    }

    /**
     * The smallest failing size reachable from {@code failing} by halving m, n, d or steps (one at a time, each not
     * below its floor in {@code floor}) while the case still fails; {@code fails} reruns the case with the same seed.
     */
    public static Size shrink(Size failing, Size floor, Predicate<Size> fails) {
        Size current = failing;
        boolean progress = true;
        while (progress) {
            progress = false;
            List<Size> halves = List.of(
                    new Size(Math.max(floor.m(), current.m() / 2), current.n(), current.d(), current.steps()),
                    new Size(current.m(), Math.max(floor.n(), current.n() / 2), current.d(), current.steps()),
                    new Size(current.m(), current.n(), Math.max(floor.d(), current.d() / 2), current.steps()),
                    new Size(current.m(), current.n(), current.d(), Math.max(floor.steps(), current.steps() / 2)));
            for (Size s : halves) {
                if (!s.equals(current) && fails.test(s)) {
                    current = s;
                    progress = true;
                    break;
                }
            }
        }
        return current;
    }
}
