package twolayer.chapter.phasediagram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import twolayer.data.AtomicFiles;
import twolayer.measure.Condensation;
import twolayer.measure.Particles;
import twolayer.measure.RdSlope;
import twolayer.model.Parameterization;

/**
 * The phase-diagram sweep: every point (gamma, gamma') of a grid, at every width m and seed, one
 * {@link PhaseRun} of Luo et al.'s net ({@link Parameterization#luo}) trained to the loss threshold; then, per
 * point, the exponent of RD(theta_w) in m ({@link RdSlope}).
 *
 * <p>The unit of work is one run (gamma, gamma', m, seed). Runs are independent and each runs on one thread, so
 * running them in parallel changes nothing in any result: the same configuration gives the same bits for any
 * number of threads. On disk each run is one small CSV file whose name is its key, written atomically
 * ({@link AtomicFiles}) when the run ends, with the run settings it was made with. A directory belongs to one
 * setting: a sweep started again on it skips the runs whose file holds the same run under the same settings (it
 * resumes), and refuses, before it writes anything, a directory whose files were made under other settings
 * ({@link SettingsConflict}; the only change it accepts is a larger step cap, see {@link #run}), and
 * {@code shard k/N} keeps only the runs whose index in the fixed run order is
 * k - 1 modulo N, so N jobs of a cluster's job array together do every run exactly once and their files merge
 * by being in one directory. {@link #summarise} turns whatever run files a directory holds into the slope table.
 */
public final class PhaseDiagramSweep {

    /** One grid point (gamma, gamma'); -0 is stored as 0, so both name one point and one file. */
    public record Point(double gamma, double gammaPrime) {
        public Point {
            if (!Double.isFinite(gamma) || !Double.isFinite(gammaPrime)) {
                throw new IllegalArgumentException("grid point: gamma and gamma' must be finite, got " + gamma
                        + ", " + gammaPrime);
            }
            gamma += 0.0;           // -0.0 + 0.0 = +0.0
            gammaPrime += 0.0;
        }

        @Override
        public String toString() {
            return "(" + gamma + ", " + gammaPrime + ")";
        }
    }

    /**
     * The settings a run is made with besides its key; a run file stores them, and a run counts as done only
     * under the settings it was made with.
     */
    public record Settings(double lossThreshold, long maxSteps, double stepFactor) {
        @Override
        public String toString() {
            return "loss threshold " + lossThreshold + ", max steps " + maxSteps + ", step factor " + stepFactor;
        }
    }

    /**
     * A directory holds runs made under other settings than the sweep asks for, found before any file is written.
     *
     * @param setting  which setting differs: "loss threshold", "step factor" or "max steps"
     * @param old      its value in the directory
     * @param asked    its value in the sweep
     * @param example  a run file that has the old value
     * @param files    how many run files have it
     */
    public static final class SettingsConflict extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final String setting;
        private final String old;
        private final String asked;

        SettingsConflict(String setting, Object old, Object asked, String example, int files, String why) {
            super("run files: " + files + " run file" + (files == 1 ? "" : "s") + " (e.g. '" + example + "') were made with "
                    + setting + " " + old + ", this sweep asks for " + asked + why);
            this.setting = setting;
            this.old = String.valueOf(old);
            this.asked = String.valueOf(asked);
        }

        /** Which setting differs. */
        public String setting() {
            return setting;
        }

        /** Its value in the directory. */
        public String old() {
            return old;
        }

        /** Its value in the sweep. */
        public String asked() {
            return asked;
        }
    }

    /**
     * @param points        the grid
     * @param widths        the widths (even, >= 2; at least 2 for a slope)
     * @param seeds         the seeds of the initial draws
     * @param lossThreshold training stops once L &lt; lossThreshold
     * @param maxSteps      a run that has not converged after this many steps is recorded as not converged
     * @param stepFactor    c of {@link PhaseRun}'s step rule
     */
    public record Config(List<Point> points, int[] widths, long[] seeds, double lossThreshold, long maxSteps,
            double stepFactor) {
        public Config {
            points = List.copyOf(points);
            widths = widths.clone();
            seeds = seeds.clone();
            if (points.isEmpty()) {
                throw new IllegalArgumentException("grid: needs at least one point");
            }
            if (widths.length < 1 || seeds.length < 1) {
                throw new IllegalArgumentException("widths, seeds: need at least one of each");
            }
            for (int m : widths) {
                if (m < 2 || m % 2 != 0) {
                    throw new IllegalArgumentException("widths: every width must be even and >= 2, got " + m);
                }
            }
            // a repeated key would run twice and leave an empty slot in runAll
            requireDistinct("grid", points);
            requireDistinct("widths", java.util.Arrays.stream(widths).boxed().toList());
            requireDistinct("seeds", java.util.Arrays.stream(seeds).boxed().toList());
        }

        private static void requireDistinct(String field, List<?> values) {
            java.util.Set<Object> seen = new java.util.HashSet<>();
            for (Object v : values) {
                if (!seen.add(v)) {
                    throw new IllegalArgumentException(field + ": every value must be distinct, " + v + " repeats");
                }
            }
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }

        @Override
        public long[] seeds() {
            return seeds.clone();
        }

        /** The settings every run of this sweep is made with. */
        public Settings settings() {
            return new Settings(lossThreshold, maxSteps, stepFactor);
        }

        /** The defaults of the chapter: loss threshold 1e-6, at most 2 million steps, c = 0.3. */
        public static Config of(List<Point> points, int[] widths, long[] seeds) {
            return new Config(points, widths, seeds, 1e-6, 2_000_000L, 0.3);
        }

        /** Every run of the sweep in the fixed order: points, then widths, then seeds. */
        public List<Key> keys() {
            List<Key> keys = new ArrayList<>();
            for (Point p : points) {
                for (int m : widths) {
                    for (long s : seeds) {
                        keys.add(new Key(p, m, s));
                    }
                }
            }
            return keys;
        }
    }

    /** One run of the sweep. */
    public record Key(Point point, int width, long seed) {
        /** The run's file name, e.g. {@code g0.5_gp-0.25_m1024_s3.csv}. */
        public String fileName() {
            return "g" + point.gamma() + "_gp" + point.gammaPrime() + "_m" + width + "_s" + seed + ".csv";
        }
    }

    /**
     * What one run leaves: the settings it was made with, RD of both layers, the final loss, the steps and the
     * time, the restarts, whether it converged (a run that gave up after {@link PhaseRun#MAX_RESTARTS} restarts did
     * not), and the condensation of the final neurons (top-4 share with delta = 0.05 rad; effective orientations in
     * 1-degree bins).
     */
    public record Record(Key key, Settings settings, double rdW, double rdA, double loss, long steps, double time,
            int restarts, boolean converged, double top4Share, double effectiveOrientations) {

        static final String HEADER = "gamma,gamma_prime,width,seed,loss_threshold,max_steps,step_factor,rd_w,rd_a,"
                + "loss,steps,time,restarts,converged,top4_share,effective_orientations";
        private static final int FIELDS = 16;

        String csv() {
            return HEADER + "\n" + key.point().gamma() + "," + key.point().gammaPrime() + "," + key.width() + ","
                    + key.seed() + "," + settings.lossThreshold() + "," + settings.maxSteps() + ","
                    + settings.stepFactor() + "," + rdW + "," + rdA + "," + loss + "," + steps + "," + time + ","
                    + restarts + "," + converged + "," + top4Share + "," + effectiveOrientations + "\n";
        }

        /**
         * Whether this record is the run of its key under {@code s}: made with {@code s}, or with only another
         * step cap when it converged without a restart in at most {@code s.maxSteps()} steps (the loop then
         * follows the same iterates under either cap, so the result is the same bits).
         */
        boolean holdsUnder(Settings s) {
            if (settings.equals(s)) {
                return true;
            }
            return settings.lossThreshold() == s.lossThreshold() && settings.stepFactor() == s.stepFactor()
                    && converged && restarts == 0 && steps <= s.maxSteps();
        }

        Record withSettings(Settings s) {
            return new Record(key, s, rdW, rdA, loss, steps, time, restarts, converged, top4Share,
                    effectiveOrientations);
        }

        static Record parse(String text, Path from) {
            String[] lines = text.split("\n");
            if (lines.length < 2 || !lines[0].equals(HEADER)) {
                throw new IllegalArgumentException("run file '" + from.getFileName() + "': not a phase-diagram run "
                        + "of this version (its header is not '" + HEADER + "'); move it away or use another "
                        + "directory");
            }
            String[] f = lines[1].split(",");
            if (f.length != FIELDS) {
                throw new IllegalArgumentException("run file '" + from.getFileName() + "': expected " + FIELDS
                        + " fields, got " + f.length);
            }
            Record r;
            try {
                Key key = new Key(new Point(Double.parseDouble(f[0]), Double.parseDouble(f[1])),
                        Integer.parseInt(f[2]), Long.parseLong(f[3]));
                Settings settings = new Settings(Double.parseDouble(f[4]), Long.parseLong(f[5]),
                        Double.parseDouble(f[6]));
                if (!f[13].equals("true") && !f[13].equals("false")) {
                    throw new NumberFormatException("converged is '" + f[13] + "', not true or false");
                }
                r = new Record(key, settings, Double.parseDouble(f[7]), Double.parseDouble(f[8]),
                        Double.parseDouble(f[9]), Long.parseLong(f[10]), Double.parseDouble(f[11]),
                        Integer.parseInt(f[12]), f[13].equals("true"), Double.parseDouble(f[14]),
                        Double.parseDouble(f[15]));
            } catch (IllegalArgumentException e) {      // NumberFormatException, or a non-finite grid point
                throw new IllegalArgumentException("run file '" + from.getFileName() + "': not a run record: "
                        + e.getMessage() + "; move it away or use another directory");
            }
            // A file whose contents name another run than its name (edited by hand, or copied) would be read as a
            // second record of that run, or hide the run its name promises: refuse it rather than guess
            if (!r.key().fileName().equals(from.getFileName().toString())) {
                throw new IllegalArgumentException("run file '" + from.getFileName() + "': holds the run '"
                        + r.key().fileName() + "' (gamma " + r.key().point().gamma() + ", gamma' "
                        + r.key().point().gammaPrime() + ", m " + r.key().width() + ", seed " + r.key().seed()
                        + "), not the one its name says; move it away or use another directory");
            }
            return r;
        }
    }

    /** The slope of one grid point and what it rests on. */
    public record PointSlope(Point point, int[] widths, int seeds, int notConverged, RdSlope fit) {
    }

    /**
     * A grid point with run files but no slope, and why: fewer than 2 widths at which every seed present has a
     * converged run (one width in the directory, or the runs at the others did not converge).
     */
    public record NoSlope(Point point, int[] widths, int seeds, int notConverged, String reason) {
    }

    /** Cluster radius and count of the condensation index. */
    public static final double CLUSTER_RADIUS = 0.05;
    public static final int CLUSTERS = 4;

    private PhaseDiagramSweep() {
    }

    /** Runs one key and measures it. */
    public static Record run(Config c, Key k) {
        PhaseRun.Result r = PhaseRun.run(runConfig(c, k));
        Particles final_ = finalParticles(k, r);
        return new Record(k, c.settings(), r.rdW(), r.rdA(), r.loss(), r.steps(), r.time(), r.restarts(),
                r.converged(),
                Condensation.topClusterShare(final_, CLUSTERS, CLUSTER_RADIUS),
                Condensation.effectiveOrientations(final_, 360));
    }

    /** The {@link PhaseRun} configuration of one key. */
    public static PhaseRun.Config runConfig(Config c, Key k) {
        return new PhaseRun.Config(Parameterization.luo(k.point().gamma(), k.point().gammaPrime()), k.width(),
                k.seed(), c.lossThreshold(), c.maxSteps(), c.stepFactor());
    }

    /** The final neurons (a_k, w_k) of a run, w_k = (weight, bias). */
    public static Particles finalParticles(Key k, PhaseRun.Result r) {
        int m = k.width();
        double[] a = java.util.Arrays.copyOfRange(r.theta(), 0, m);
        double[] w = java.util.Arrays.copyOfRange(r.theta(), m, m + m * PhaseTask.D);
        return Particles.of(a, w, PhaseTask.D);
    }

    // tag::experiment-phase-sweep[]
    /**
     * Runs every key of this shard (index i with i mod shards == shard - 1) whose file in
     * {@code dir} does not already hold it under the same settings, on {@code threads} threads,
     * writing each run's file atomically as it finishes; {@code done} hears of each finished run.
     * Returns the number of runs done now.
     *
     * <p>Before anything is written, every run file of the directory is read and checked
     * ({@link #plan}): a directory holds one setting, so files made with another loss threshold or
     * step factor are refused ({@link SettingsConflict}). The one change accepted is another step
     * cap where it changes no result: a run that converged without a restart in k steps follows the
     * same iterates under any cap &gt;= k, so its file is relabelled; a run that did not converge
     * under a smaller cap is redone when it is this shard's; anything else is refused.
     */
    public static int run(Config c, Path dir, int shard, int shards, int threads,
            Consumer<Record> done) throws IOException, InterruptedException {
        if (shards < 1 || shard < 1 || shard > shards) {
            throw new IllegalArgumentException(
                    "shard: must be k/N with 1 <= k <= N, got " + shard + "/" + shards);
        }
        Files.createDirectories(dir);
        Plan plan = plan(c, dir, shard, shards);
        for (Record old : plan.relabel()) {
            AtomicFiles.writeString(dir.resolve(old.key().fileName()), old.withSettings(c.settings()).csv());
        }
        return forEach(c, plan.todo(), threads, r -> {
            try {
                AtomicFiles.writeString(dir.resolve(r.key().fileName()), r.csv());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            done.accept(r);
        });
    }
    // end::experiment-phase-sweep[]

    /** What {@link #run} will do: the runs to do now and the files to relabel with the new step cap. */
    record Plan(List<Key> todo, List<Record> relabel) {
    }

    /**
     * Reads every run file of {@code dir} and decides, without writing, what {@link #run} does; throws
     * {@link SettingsConflict} (a directory of other settings) or IllegalArgumentException (a file that is not a
     * run record of its name) before anything is touched.
     */
    static Plan plan(Config c, Path dir, int shard, int shards) throws IOException {
        Settings asked = c.settings();
        java.util.Set<Key> mine = new java.util.LinkedHashSet<>();
        List<Key> all = c.keys();
        for (int i = 0; i < all.size(); i++) {
            if (i % shards == shard - 1) {
                mine.add(all.get(i));
            }
        }
        Map<Key, Record> existing = new java.util.HashMap<>();
        List<Record> relabel = new ArrayList<>();
        List<Key> redo = new ArrayList<>();
        for (Record old : read(dir)) {
            existing.put(old.key(), old);
            Settings had = old.settings();
            if (had.equals(asked)) {
                continue;
            }
            if (had.lossThreshold() != asked.lossThreshold()) {
                throw conflict(dir, "loss threshold", had.lossThreshold(), asked.lossThreshold(), old,
                        r -> r.settings().lossThreshold() != asked.lossThreshold(), "");
            }
            if (had.stepFactor() != asked.stepFactor()) {
                throw conflict(dir, "step factor", had.stepFactor(), asked.stepFactor(), old,
                        r -> r.settings().stepFactor() != asked.stepFactor(), "");
            }
            if (old.holdsUnder(asked)) {
                relabel.add(old);                   // the same bits under the new cap
            } else if (had.maxSteps() < asked.maxSteps() && mine.contains(old.key())) {
                redo.add(old.key());                // not converged under a smaller cap: continue under the larger
            } else {
                String why = had.maxSteps() > asked.maxSteps()
                        ? " (a smaller cap would replace it by a run cut shorter)"
                        : " (it did not converge under the smaller cap and is not among this sweep's runs to redo)";
                throw conflict(dir, "max steps", had.maxSteps(), asked.maxSteps(), old,
                        r -> !r.settings().equals(asked) && !r.holdsUnder(asked), why);
            }
        }
        List<Key> todo = new ArrayList<>();
        for (Key k : mine) {
            if (!existing.containsKey(k) || redo.contains(k)) {
                todo.add(k);
            }
        }
        return new Plan(todo, relabel);
    }

    private static SettingsConflict conflict(Path dir, String setting, Object old, Object asked, Record example,
            java.util.function.Predicate<Record> differs, String why) throws IOException {
        int count = 0;
        for (Record r : read(dir)) {
            if (differs.test(r)) {
                count++;
            }
        }
        return new SettingsConflict(setting, old, asked, example.key().fileName(), count, why);
    }

    /** Runs every key of the configuration in memory (no files) and returns the records in key order. */
    public static List<Record> runAll(Config c, int threads) throws InterruptedException {
        List<Record> out = new ArrayList<>();
        List<Key> keys = c.keys();
        Record[] slots = new Record[keys.size()];
        Map<Key, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            index.put(keys.get(i), i);
        }
        forEach(c, keys, threads, r -> slots[index.get(r.key())] = r);
        for (Record r : slots) {
            out.add(r);
        }
        return out;
    }

    private static int forEach(Config c, List<Key> keys, int threads, Consumer<Record> sink)
            throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be >= 1, got " + threads);
        }
        // widest runs first, so the pool does not end waiting for one long run started last
        List<Key> order = new ArrayList<>(keys);
        order.sort((x, y) -> Integer.compare(y.width(), x.width()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "phase-diagram");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Key k : order) {
                futures.add(pool.submit(() -> {
                    Record r = run(c, k);
                    synchronized (sink) {
                        sink.accept(r);
                    }
                }));
            }
            // wait for every run before reporting a failure, so one failure does not drop the finished work
            RuntimeException first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    RuntimeException re = cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
                    if (first == null) {
                        first = re;
                    } else {
                        first.addSuppressed(re);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
            return keys.size();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Parses a grid: a list of points {@code g:g'} separated by commas ({@code 0.5:0,1:0,2:0}), or a rectangle
     * {@code GLO..GHI/GSTEP x PLO..PHI/PSTEP} of gamma by gamma' ({@code 0.5..2/0.25x-1..1/0.25}, ends included).
     */
    public static List<Point> parseGrid(String text) {
        String t = text.replace(" ", "");
        List<Point> points = new ArrayList<>();
        try {
            if (t.contains("..")) {
                String[] axes = t.split("x");
                if (axes.length != 2) {
                    throw new IllegalArgumentException("grid: a rectangle is GLO..GHI/STEPxPLO..PHI/STEP, got '" + text + "'");
                }
                for (double g : range(axes[0])) {
                    for (double gp : range(axes[1])) {
                        points.add(new Point(g, gp));
                    }
                }
            } else {
                for (String item : t.split(",")) {
                    String[] f = item.split(":");
                    if (f.length != 2) {
                        throw new IllegalArgumentException("grid: expected points gamma:gamma' separated by commas, got '"
                                + item + "'");
                    }
                    points.add(new Point(Double.parseDouble(f[0]), Double.parseDouble(f[1])));
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("grid: not a number in '" + text + "'");
        }
        return points;
    }

    /** lo..hi/step, ends included, values rounded to 12 digits so 0.1 steps give 0.3 and not 0.30000000000000004. */
    private static double[] range(String axis) {
        String[] f = axis.split("\\.\\.|/");
        if (f.length != 3) {
            throw new IllegalArgumentException("grid: an axis is LO..HI/STEP, got '" + axis + "'");
        }
        double lo = Double.parseDouble(f[0]), hi = Double.parseDouble(f[1]), step = Double.parseDouble(f[2]);
        if (!(step > 0) || !(hi >= lo) || (hi - lo) / step > 10_000) {
            throw new IllegalArgumentException("grid: axis '" + axis + "' needs LO <= HI, STEP > 0, at most 10000 values");
        }
        int count = (int) Math.floor((hi - lo) / step + 1e-9) + 1;
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = Math.round((lo + i * step) * 1e12) / 1e12;
        }
        return v;
    }

    /**
     * Parses widths: a list {@code 256,1024,4096} or {@code LO..HIxK}, K widths spaced evenly in log m from LO to
     * HI, each rounded to the nearest even integer ({@code 256..16384x5} = 256, 724, 2048, 5792, 16384).
     */
    public static int[] parseWidths(String text) {
        String t = text.replace(" ", "");
        try {
            if (t.contains("..")) {
                String[] f = t.split("\\.\\.|x");
                if (f.length != 3) {
                    throw new IllegalArgumentException("widths: expected LO..HIxK, got '" + text + "'");
                }
                int lo = Integer.parseInt(f[0]), hi = Integer.parseInt(f[1]), k = Integer.parseInt(f[2]);
                if (lo < 2 || hi < lo || k < 2 || k > 1000) {
                    throw new IllegalArgumentException("widths: LO..HIxK needs 2 <= LO <= HI and 2 <= K <= 1000, got '"
                            + text + "'");
                }
                int[] w = new int[k];
                for (int i = 0; i < k; i++) {
                    double m = lo * Math.pow((double) hi / lo, (double) i / (k - 1));
                    w[i] = (int) (2 * Math.round(m / 2));
                    if (i > 0 && w[i] == w[i - 1]) {
                        throw new IllegalArgumentException("widths: '" + text + "' rounds to the even width " + w[i]
                                + " twice; use fewer widths K or a wider range");
                    }
                }
                return w;
            }
            return java.util.Arrays.stream(t.split(",")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("widths: not an integer in '" + text + "'");
        }
    }

    /** Parses seeds: a list {@code 1,2,3} or a range {@code 1..4} (ends included). */
    public static long[] parseSeeds(String text) {
        String t = text.replace(" ", "");
        try {
            if (t.contains("..")) {
                String[] f = t.split("\\.\\.");
                if (f.length != 2) {
                    throw new IllegalArgumentException("seeds: expected LO..HI, got '" + text + "'");
                }
                long lo = Long.parseLong(f[0]), hi = Long.parseLong(f[1]);
                if (hi < lo || hi - lo > 100_000) {
                    throw new IllegalArgumentException("seeds: expected LO..HI with LO <= HI, got '" + text + "'");
                }
                return java.util.stream.LongStream.rangeClosed(lo, hi).toArray();
            }
            return java.util.Arrays.stream(t.split(",")).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seeds: not an integer in '" + text + "'");
        }
    }

    /** Reads every run file of {@code dir} (in file-name order). */
    public static List<Record> read(Path dir) throws IOException {
        List<Record> out = new ArrayList<>();
        for (Path p : runFiles(dir)) {
            out.add(Record.parse(Files.readString(p, StandardCharsets.UTF_8), p));
        }
        return out;
    }

    /**
     * The slope of each grid point over the widths at which every seed present has a converged run, fitted by
     * {@link RdSlope}; points with fewer than 2 such widths are left out. Points come out sorted. Records made under
     * different {@link Settings} are refused (IllegalStateException naming two such run files): a slope over runs
     * trained to different thresholds would mean nothing.
     */
    public static List<PointSlope> summarise(List<Record> records) {
        List<PointSlope> out = new ArrayList<>();
        summarise(records, out, new ArrayList<>());
        return out;
    }

    /** The grid points of {@code records} without a slope, sorted, each with its reason (see {@link NoSlope}). */
    public static List<NoSlope> withoutSlope(List<Record> records) {
        List<NoSlope> out = new ArrayList<>();
        summarise(records, new ArrayList<>(), out);
        return out;
    }

    private static void summarise(List<Record> records, List<PointSlope> out, List<NoSlope> none) {
        for (Record r : records) {
            Record first = records.get(0);      // every record must share the first one's settings
            if (!r.settings().equals(first.settings())) {
                throw new IllegalStateException("run files: mixed run settings, '" + first.key().fileName() + "' has "
                        + first.settings() + " but '" + r.key().fileName() + "' has " + r.settings()
                        + "; keep one setting per directory (rerun with the settings to keep, or move files away)");
            }
        }
        Map<Point, Map<Integer, Map<Long, Record>>> byPoint = new TreeMap<>((p, q) -> p.gamma() != q.gamma()
                ? Double.compare(p.gamma(), q.gamma()) : Double.compare(p.gammaPrime(), q.gammaPrime()));
        for (Record r : records) {
            byPoint.computeIfAbsent(r.key().point(), p -> new TreeMap<>())
                    .computeIfAbsent(r.key().width(), w -> new TreeMap<>()).put(r.key().seed(), r);
        }
        for (Map.Entry<Point, Map<Integer, Map<Long, Record>>> e : byPoint.entrySet()) {
            java.util.Set<Long> seeds = new java.util.TreeSet<>();
            e.getValue().values().forEach(m -> seeds.addAll(m.keySet()));
            List<Integer> widths = new ArrayList<>();
            int notConverged = 0;
            for (Map.Entry<Integer, Map<Long, Record>> w : e.getValue().entrySet()) {
                boolean complete = w.getValue().keySet().containsAll(seeds);
                for (Record r : w.getValue().values()) {
                    if (!r.converged()) {
                        notConverged++;
                        complete = false;
                    }
                }
                if (complete) {
                    widths.add(w.getKey());
                }
            }
            if (widths.size() < 2) {
                int[] present = e.getValue().keySet().stream().mapToInt(Integer::intValue).toArray();
                String reason = present.length < 2
                        ? "one width (m = " + present[0] + "); a slope needs 2"
                        : widths.isEmpty() ? "no width at which every seed converged"
                        : "one width at which every seed converged (m = " + widths.get(0) + "); a slope needs 2";
                none.add(new NoSlope(e.getKey(), widths.stream().mapToInt(Integer::intValue).toArray(), seeds.size(),
                        notConverged, reason));
                continue;
            }
            int[] ws = widths.stream().mapToInt(Integer::intValue).toArray();
            double[][] rd = new double[ws.length][seeds.size()];
            String noLog = null;
            for (int i = 0; i < ws.length; i++) {
                int s = 0;
                for (long seed : seeds) {
                    rd[i][s++] = e.getValue().get(ws[i]).get(seed).rdW();
                    if (!(rd[i][s - 1] > 0) || !Double.isFinite(rd[i][s - 1])) {
                        // RD = 0: the run met the loss threshold before its first step; log RD is undefined
                        noLog = "RD_w = " + rd[i][s - 1] + " at m = " + ws[i] + ", seed " + seed
                                + " (no step taken: the loss threshold is met at initialisation); no log-log slope";
                    }
                }
            }
            if (noLog != null) {
                none.add(new NoSlope(e.getKey(), ws, seeds.size(), notConverged, noLog));
                continue;
            }
            out.add(new PointSlope(e.getKey(), ws, seeds.size(), notConverged, RdSlope.fit(ws, rd)));
        }
    }

    /** The slope table as CSV: one row per grid point; every point has a slope (an empty reason). */
    public static String slopesCsv(List<PointSlope> slopes) {
        return slopesCsv(slopes, List.of());
    }

    /**
     * The slope table as CSV: one row per grid point with run files, sorted; a point without a slope has empty
     * slope and error cells and says why in the last column, {@code reason} (empty for a point with a slope).
     */
    public static String slopesCsv(List<PointSlope> slopes, List<NoSlope> none) {
        Map<Point, String> rows = new TreeMap<>((p, q) -> p.gamma() != q.gamma()
                ? Double.compare(p.gamma(), q.gamma()) : Double.compare(p.gammaPrime(), q.gammaPrime()));
        for (PointSlope p : slopes) {
            rows.put(p.point(), p.fit().slope() + "," + p.fit().sw() + "," + p.fit().stdError() + ","
                    + p.fit().seedStdError() + "," + widthList(p.widths()) + "," + p.seeds() + "," + p.notConverged()
                    + ",");
        }
        for (NoSlope p : none) {
            rows.put(p.point(), ",,,," + widthList(p.widths()) + "," + p.seeds() + "," + p.notConverged() + ","
                    + p.reason().replace(',', ';'));
        }
        StringBuilder s = new StringBuilder("gamma,gamma_prime,regime,slope,s_w,std_error,seed_std_error,widths,"
                + "seeds,not_converged,reason\n");
        for (Map.Entry<Point, String> r : rows.entrySet()) {
            Point p = r.getKey();
            s.append(p.gamma()).append(',').append(p.gammaPrime()).append(',')
                    .append(new twolayer.model.LuoCoordinates(p.gamma(), p.gammaPrime()).regime()
                            .name().toLowerCase(Locale.ROOT)).append(',').append(r.getValue()).append('\n');
        }
        return s.toString();
    }

    private static String widthList(int[] widths) {
        return java.util.Arrays.toString(widths).replace(", ", " ").replaceAll("[\\[\\]]", "");
    }

    /** Writes {@code slopes.csv} into {@code dir} atomically from every run file there; returns the slopes. */
    public static List<PointSlope> summarise(Path dir) throws IOException {
        List<Record> records = read(dir);
        List<PointSlope> slopes = new ArrayList<>();
        List<NoSlope> none = new ArrayList<>();
        summarise(records, slopes, none);
        AtomicFiles.writeString(dir.resolve("slopes.csv"), slopesCsv(slopes, none));
        return slopes;
    }

    /** The run files of {@code dir} (by name), which {@code --restart} removes. */
    public static List<Path> runFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> RUN_FILE.matcher(f.getFileName().toString()).matches()).sorted().toList();
        }
    }

    private static final java.util.regex.Pattern RUN_FILE = java.util.regex.Pattern.compile("g.*_gp.*_m\\d+_s-?\\d+\\.csv");

}
