package twolayer.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import twolayer.data.NpyArray;
import twolayer.dynamics.MiniBatches;
import twolayer.dynamics.TwoTimescale;

/**
 * Where the random draws of one run come from, and whether they are kept: for each kind of draw, the dynamics'
 * own seeded stream (the default, the same bits as always), or a recorded array given to the run; and, if asked,
 * a copy of every draw made, to be written next to the history. A {@link Schedule} asks for the streams it uses
 * when it starts its dynamics; each stream is asked for once per run. The arrays have one row per step, in the
 * order the step loops draw (baseline chapter, section "Exporting and replaying a run"):
 * <ul>
 *   <li>{@value #NOISE} (steps, P): the standard Gaussian increments xi of MFLD and two-timescale training, one
 *       per noisy coordinate in the order of theta: MFLD a_1..a_m, w (row-major m x d), b_1..b_m;
 *       two-timescale w (row-major), b. Only drawn when lambda &gt; 0.</li>
 *   <li>{@value #BATCHES} (steps, B): the 0-based training rows of each mini-batch step of gd, as float64
 *       holding integers.</li>
 *   <li>{@value #LABEL_NOISE} (steps, n): the label noise eps of each two-timescale step.</li>
 * </ul>
 * A given array must have exactly one row per step and the step's width; a mismatch is an
 * {@link IllegalArgumentException} naming the input, found before the first step.
 */
public final class RandomStreams {

    /** The file name of the Gaussian increments. */
    public static final String NOISE = "noise.npy";

    /** The file name of the mini-batch rows. */
    public static final String BATCHES = "batches.npy";

    /** The file name of the label noise. */
    public static final String LABEL_NOISE = "label_noise.npy";

    /** A recorded array given to a run, with the name messages use for it, e.g. "--noise-in 'noise.npy'". */
    public record Given(String name, NpyArray values) {
        public Given {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(values, "values");
        }
    }

    private final Map<String, Given> given;
    private final boolean[] record = new boolean[3];   // by kind: noise, batches, label noise
    private final Map<String, Long> seedsDrawn = new LinkedHashMap<>();
    private final Map<String, Recording> recordings = new LinkedHashMap<>();

    private RandomStreams(Map<String, Given> given) {
        this.given = given;
    }

    /** Every draw from its seed, nothing kept: the default. */
    public static RandomStreams seeded() {
        return new RandomStreams(Map.of());
    }

    /**
     * Streams with the given arrays (null for a kind drawn from its seed) and the kinds to keep.
     *
     * @param noise          Gaussian increments (steps, P), or null
     * @param batches        mini-batch rows (steps, B), or null
     * @param labelNoise     label noise (steps, n), or null
     * @param keepNoise      keep the Gaussian increments
     * @param keepBatches    keep the mini-batch rows
     * @param keepLabelNoise keep the label noise
     */
    public static RandomStreams of(Given noise, Given batches, Given labelNoise, boolean keepNoise,
                                   boolean keepBatches, boolean keepLabelNoise) {
        Map<String, Given> given = new LinkedHashMap<>();
        if (noise != null) {
            given.put(NOISE, noise);
        }
        if (batches != null) {
            given.put(BATCHES, batches);
        }
        if (labelNoise != null) {
            given.put(LABEL_NOISE, labelNoise);
        }
        RandomStreams s = new RandomStreams(given);
        s.record[0] = keepNoise;
        s.record[1] = keepBatches;
        s.record[2] = keepLabelNoise;
        return s;
    }

    /**
     * The Gaussian increments of a run of {@code steps} steps with {@code width} draws per step.
     *
     * @param seed the dynamics' noise seed, used when no array is given
     */
    public RandomGenerator gaussian(long seed, long steps, int width) {
        Given g = given.get(NOISE);
        if (g == null) {
            seedsDrawn.put("noise", seed);
        }
        RandomGenerator source = g == null ? new SplittableRandom(seed) : new FromArray(checked(g, steps, width,
                "Gaussian increments per step"));
        if (!record[0]) {
            return source;
        }
        Recording r = recording(NOISE, width);
        return new RandomGenerator() {
            @Override public long nextLong() { return source.nextLong(); }

            @Override public double nextGaussian() {
                double v = source.nextGaussian();
                r.add(v);
                return v;
            }
        };
    }

    /** The mini-batch rows of a gd run of {@code steps} steps with B = {@code size} of n rows. */
    public MiniBatches batches(long seed, long steps, int n, int size) {
        Given g = given.get(BATCHES);
        MiniBatches source;
        if (g == null) {
            seedsDrawn.put("sgd", seed);
            source = MiniBatches.seeded(seed, n, size);
        } else {
            NpyArray a = checked(g, steps, size, "rows of the training set per step (the batch size)");
            for (int k = 0; k < a.size(); k++) {
                double v = a.at(k);
                if (v != Math.rint(v) || v < 0 || v >= n) {
                    throw new IllegalArgumentException(g.name() + ": value " + v + " at index "
                            + twolayer.data.Npy.pythonShape(a.index(k)) + " is not a row of the training set;"
                            + " every value must be a whole number in [0, n - 1 = " + (n - 1) + "]");
                }
            }
            int[] rows = new int[size];
            long[] step = {0};
            source = () -> {
                int from = (int) (step[0]++ * size);
                if (from + size > a.size()) {
                    throw new IllegalStateException(g.name() + " has " + a.shape()[0] + " steps; the run needs more");
                }
                for (int i = 0; i < size; i++) {
                    rows[i] = (int) a.at(from + i);
                }
                return rows;
            };
        }
        if (!record[1]) {
            return source;
        }
        Recording r = recording(BATCHES, size);
        return () -> {
            int[] rows = source.next();
            for (int i = 0; i < size; i++) {
                r.add(rows[i]);
            }
            return rows;
        };
    }

    /** The label noise of a two-timescale run of {@code steps} steps on n points, half-width sigma. */
    public TwoTimescale.LabelNoise labelNoise(double sigma, long seed, long steps, int n) {
        Given g = given.get(LABEL_NOISE);
        TwoTimescale.LabelNoise source;
        if (g == null) {
            seedsDrawn.put("label_noise", seed);
            source = TwoTimescale.LabelNoise.uniform(sigma, seed);
        } else {
            NpyArray a = checked(g, steps, n, "label-noise values per step (one per training point)");
            for (int k = 0; k < a.size(); k++) {
                if (!(Math.abs(a.at(k)) <= sigma)) {
                    throw new IllegalArgumentException(g.name() + ": value " + a.at(k) + " at index "
                            + twolayer.data.Npy.pythonShape(a.index(k)) + " lies outside [-sigma, sigma] = [-" + sigma
                            + ", " + sigma + "] of --label-noise");
                }
            }
            long[] step = {0};
            source = eps -> {
                int from = (int) (step[0]++ * n);
                if (from + n > a.size()) {
                    throw new IllegalStateException(g.name() + " has " + a.shape()[0] + " steps; the run needs more");
                }
                for (int i = 0; i < n; i++) {
                    eps[i] = a.at(from + i);
                }
            };
        }
        if (!record[2]) {
            return source;
        }
        Recording r = recording(LABEL_NOISE, n);
        return eps -> {
            source.draw(eps);
            for (double v : eps) {
                r.add(v);
            }
        };
    }

    /**
     * The seeds the run actually drew from, by stream ("noise", "sgd", "label_noise"), in the order the streams
     * were asked for: a stream fed a given array, or never asked for (no noise at lambda = 0, no mini-batches at
     * B = n), has none, so run.json records only the seeds that shaped the run.
     */
    public Map<String, Long> seedsDrawn() {
        return java.util.Collections.unmodifiableMap(seedsDrawn);
    }

    /** The given arrays no stream asked for: a run that was given draws it does not make (an error). */
    public List<String> unused() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Given> e : given.entrySet()) {
            if (!asked.contains(e.getKey())) {
                names.add(e.getValue().name());
            }
        }
        return names;
    }

    private final java.util.Set<String> asked = new java.util.HashSet<>();

    /** The kept draws, file name to (steps, width) array, in the order the streams were asked for. */
    public Map<String, NpyArray> recorded() {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Recording> e : recordings.entrySet()) {
            out.put(e.getKey(), e.getValue().array());
        }
        return out;
    }

    private NpyArray checked(Given g, long steps, int width, String what) {
        asked.add(g == given.get(NOISE) ? NOISE : g == given.get(BATCHES) ? BATCHES : LABEL_NOISE);
        int[] shape = g.values().shape();
        if (shape.length != 2 || shape[0] != steps || shape[1] != width) {
            String found = "has shape " + twolayer.data.Npy.pythonShape(shape);
            if (shape.length == 2 && shape[1] == width && shape[0] < steps) {
                found = "has " + shape[0] + " steps, the run needs " + steps;
            } else if (shape.length == 2 && shape[1] == width) {
                found = "has " + shape[0] + " steps, the run takes " + steps;
            }
            throw new IllegalArgumentException(g.name() + ": " + found + "; expected (" + steps + ", " + width
                    + "): one row per step, " + width + " " + what);
        }
        return g.values();
    }

    private Recording recording(String file, int width) {
        asked.add(file);
        if (recordings.containsKey(file)) {
            throw new IllegalStateException(file + ": the stream was asked for twice in one run");
        }
        Recording r = new Recording(width);
        recordings.put(file, r);
        return r;
    }

    /** A Gaussian source that hands out a given array's values in C order, and nothing else. */
    private static final class FromArray implements RandomGenerator {
        private final NpyArray values;
        private int next;

        FromArray(NpyArray values) {
            this.values = values;
        }

        @Override public double nextGaussian() {
            if (next >= values.size()) {
                throw new IllegalStateException("the given noise has " + values.shape()[0]
                        + " steps; the run needs more");
            }
            return values.at(next++);
        }

        /** The dynamics draw only Gaussians: any other draw would silently leave the recorded path. */
        @Override public long nextLong() {
            throw new UnsupportedOperationException("given noise supplies Gaussian increments only");
        }
    }

    /** A growing (rows, width) table of draws. */
    private static final class Recording {
        private final int width;
        private double[] values = new double[1024];
        private int size;

        Recording(int width) {
            this.width = width;
        }

        void add(double v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, Math.max(16, values.length * 2));
            }
            values[size++] = v;
        }

        NpyArray array() {
            return NpyArray.matrix(java.util.Arrays.copyOf(values, size), width == 0 ? 0 : size / width, width);
        }
    }
}
