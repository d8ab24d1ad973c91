package twolayer.chapter.twotimescale;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.data.AtomicFiles;
import twolayer.plot.Charts;
import twolayer.run.ResultsFolder;

/**
 * Takakura and Suzuki's x1 x2 experiment at their scale (m = 2000, 10^4 steps, 5 seeds), from the unit files of
 * {@code twolayer experiment kernel-learning} under {@code results/kernel-learning-d15} (intrinsic noise levels with
 * the kernel baselines), {@code results/kernel-learning-label-noise-d15} (the label-noise procedure) and, when present,
 * {@code results/kernel-learning-d30} and the sample-size checks {@code results/kernel-learning-d15-n100} and
 * {@code -n400} (replications chapter, section "Takakura and Suzuki").
 * <ul>
 *   <li>{@code replication-kernel-learning-alignment.svg}, {@code -df.svg}, {@code -test-error.svg}: the seed mean of
 *       the intrinsic kernel's alignment with the labels, its degrees of freedom and the test error against the
 *       step, one curve per noise level and one for the label-noise procedure (their Fig. 1 and 2);</li>
 *   <li>{@code replication-kernel-learning.adoc} (generated docs): per folder and noise level, the final values as
 *       seed mean +- standard error, the kernel ridge baselines' test errors, and the net's paired difference to the
 *       best of them (mean +- standard error over the seeds, each seed's net against the same seed's kernels).</li>
 * </ul>
 * The standard error of a seed mean is s / sqrt(k) with s the sample standard deviation of the k seeds.
 */
public final class KernelLearningReplication {

    /** The folders under results/, in the order the table lists them; the first one is required for the figures. */
    static final List<String> NAMES = List.of("kernel-learning-d15", "kernel-learning-label-noise-d15",
            "kernel-learning-d30", "kernel-learning-d15-n100", "kernel-learning-d15-n400");
    static final String TABLE = "replication-kernel-learning.adoc";
    static final String PREFIX = "replication-kernel-learning-";
    /** The series every unit records along training, with the figure each one goes to. */
    static final Map<String, String> SERIES = new LinkedHashMap<>();

    static {
        SERIES.put("alignment", "alignment of the intrinsic kernel with the labels");
        SERIES.put("df", "degrees of freedom of the intrinsic kernel");
        SERIES.put("test_error", "test error (MSE against x1 x2)");
    }

    private static final Map<String, String> SHORT = Map.of("alignment", "alignment", "df", "degrees of freedom",
            "test_error", "test error");

    /** The kernel ridge baselines a unit made with --baselines records, with their table headings. */
    static final Map<String, String> BASELINES = new LinkedHashMap<>();

    static {
        BASELINES.put("krr_intrinsic_init_test_error", "intrinsic kernel at init");
        BASELINES.put("krr_ntk_init_test_error", "tangent kernel at init");
        BASELINES.put("krr_relu_ntk_test_error", "relu NTK");
        BASELINES.put("krr_gaussian_test_error", "Gaussian kernel");
    }

    private static final Color[] COLOURS = {new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C),
        new Color(0xD62728), new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x17BECF),
        new Color(0x7F7F7F)};

    private KernelLearningReplication() {}

    /**
     * The units of one folder and noise level, i.e. one curve: {@code series.get(name)[seed][observation]} at the
     * steps {@code steps}.
     */
    record Group(String folder, String label, double sigma, int[] steps, Map<String, List<double[]>> series,
                 List<ResultsFolder.Unit> units) {

        /** Seed mean and standard error of a series at observation i. */
        double[] stats(String name, int i) {
            SummaryStatistics s = new SummaryStatistics();
            for (double[] v : series.get(name)) {
                s.addValue(v[i]);
            }
            return new double[] {s.getMean(), standardError(s)};
        }

        /** Seed mean and standard error of a scalar result field (NaN, NaN when a unit lacks it). */
        double[] scalar(String field) {
            SummaryStatistics s = new SummaryStatistics();
            for (ResultsFolder.Unit u : units) {
                s.addValue(u.number(field));
            }
            return new double[] {s.getMean(), standardError(s)};
        }
    }

    static double standardError(SummaryStatistics s) {
        return s.getN() < 2 ? Double.NaN : s.getStandardDeviation() / Math.sqrt(s.getN());
    }

    /**
     * Writes the figures and the table, or a table partial saying the replication has not been run (and no figure)
     * when {@code results/kernel-learning-d15} is missing.
     *
     * @throws IOException if the results are malformed (the message names the file or folder)
     */
    public static void writeAll(Path resultsRoot, Path figuresDir, Path genDir) throws IOException {
        Map<String, ResultsFolder> folders = new LinkedHashMap<>();
        for (String name : NAMES) {
            ResultsFolder r = ResultsFolder.read(resultsRoot.resolve(name));
            if (r != null && !r.units().isEmpty()) {
                folders.put(name, r);
            }
        }
        if (!folders.containsKey(NAMES.get(0))) {
            AtomicFiles.writeString(genDir.resolve(TABLE), "NOTE: No results in `results/" + NAMES.get(0)
                    + "/` yet: run `results/replicate.sh " + NAMES.get(0) + "` and commit the folder.\n");
            return;
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<String, ResultsFolder> e : folders.entrySet()) {
            groups.addAll(groups(e.getKey(), e.getValue()));
        }
        for (String name : SERIES.keySet()) {
            figure(groups, name, figuresDir.resolve(PREFIX + name.replace('_', '-') + ".svg"));
        }
        AtomicFiles.writeString(genDir.resolve(TABLE), table(folders, groups));
    }

    /** The folder's units grouped by noise level; every unit must record the same steps and full series. */
    static List<Group> groups(String name, ResultsFolder r) throws IOException {
        if (!"kernel-learning".equals(r.experiment())) {
            throw new IOException(r.dir() + ": expected unit files of kernel-learning, found " + r.experiment());
        }
        int[] steps = null;
        TreeMap<Double, List<ResultsFolder.Unit>> bySigma = new TreeMap<>();
        for (ResultsFolder.Unit u : r.units()) {
            int[] s = Arrays.stream(u.numbers("steps")).mapToInt(v -> (int) v).toArray();
            if (s.length < 2) {
                throw new IOException(r.dir() + ": unit " + u.key() + " records fewer than two steps");
            }
            if (steps == null) {
                steps = s;
            } else if (!Arrays.equals(steps, s)) {
                throw new IOException(r.dir() + ": unit " + u.key() + " records other steps than the folder's first");
            }
            for (String series : SERIES.keySet()) {
                if (u.numbers(series).length != s.length) {
                    throw new IOException(r.dir() + ": unit " + u.key() + " has " + u.numbers(series).length + " "
                            + series + " values for " + s.length + " steps");
                }
            }
            if (u.key().get("seed") == null) {
                throw new IOException(r.dir() + ": unit " + u.key() + " has no key seed");
            }
            double sigma;
            try {
                sigma = u.doubleKey("sigma");
            } catch (RuntimeException e) {
                throw new IOException(r.dir() + ": unit " + u.key() + " has no numeric key sigma", e);
            }
            bySigma.computeIfAbsent(sigma, k -> new ArrayList<>()).add(u);
        }
        double labelNoise;
        try {
            labelNoise = Double.parseDouble(r.settings().getOrDefault("--label-noise", "0"));
        } catch (NumberFormatException e) {
            throw new IOException(r.dir() + ": --label-noise must be a number, found "
                    + r.settings().get("--label-noise"), e);
        }
        String d = r.settings().getOrDefault("--d", "?"), n = r.settings().getOrDefault("--n", "?");
        List<Group> out = new ArrayList<>();
        for (Map.Entry<Double, List<ResultsFolder.Unit>> e : bySigma.entrySet()) {
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            for (String s : SERIES.keySet()) {
                List<double[]> rows = new ArrayList<>();
                for (ResultsFolder.Unit u : e.getValue()) {
                    rows.add(u.numbers(s));
                }
                series.put(s, rows);
            }
            String label = String.format(Locale.ROOT, "d = %s, n = %s, sigma = %s%s", d, n, num(e.getKey()),
                    labelNoise > 0 ? ", label noise " + num(labelNoise) : "");
            out.add(new Group(name, label, e.getKey(), steps, series, List.copyOf(e.getValue())));
        }
        return out;
    }

    static void figure(List<Group> groups, String series, Path file) throws IOException {
        XYChart chart = Charts.chart("Takakura-Suzuki's x1 x2: " + SHORT.get(series), "step", SERIES.get(series));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(series.equals("test_error"));
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            int n = group.steps().length;
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = group.steps()[i];
                y[i] = group.stats(series, i)[0];
            }
            // no error bars: at 51 observations of 8 curves they triple the file and hide the curves; the standard
            // errors are in the table
            XYSeries s = chart.addSeries(group.label() + " (" + group.units().size() + " seeds)", x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(COLOURS[g % COLOURS.length]);
            if (!group.folder().equals(NAMES.get(0))) {
                s.setLineStyle(Charts.dashed(1.5f));
            }
        }
        Charts.saveSvg(chart, file);
    }

    static String table(Map<String, ResultsFolder> folders, List<Group> groups) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(".The trained net at the last step and at step 0, seed mean +- standard error\n");
        b.append("[%header,cols=\"3,1,2,2,2,2\"]\n|===\n| run | seeds | alignment 0 -> end | df 0 -> end"
                + " | test error 0 -> end | plane share\n");
        for (Group g : groups) {
            int last = g.steps().length - 1;
            b.append("| ").append(g.label()).append(" | ").append(g.units().size());
            for (String s : SERIES.keySet()) {
                b.append(" | ").append(pm(g.stats(s, 0))).append(" -> ").append(pm(g.stats(s, last)));
            }
            b.append(" | ").append(pm(g.scalar("plane_share"))).append('\n');
        }
        b.append("|===\n\n");
        List<Group> withBaselines = groups.stream()
                .filter(g -> g.units().stream().allMatch(u -> u.result().has(BASELINES.keySet().iterator().next())))
                .toList();
        if (!withBaselines.isEmpty()) {
            b.append(".Test error of the trained net and of kernel ridge regression on the same data (ridge and"
                    + " bandwidth tuned on a hold-out split of the training points), seed mean +- standard error;"
                    + " the last column is the net minus the kernel with the lowest mean over these seeds, paired by seed\n");
            b.append("[%header,cols=\"3,2,2,2,2,2,2\"]\n|===\n| run | net");
            BASELINES.values().forEach(h -> b.append(" | ").append(h));
            b.append(" | net - kernel of lowest mean\n");
            for (Group g : withBaselines) {
                b.append("| ").append(g.label()).append(" | ").append(pm(g.scalar("final_test_error")));
                String best = null;
                double bestMean = Double.POSITIVE_INFINITY;
                for (String field : BASELINES.keySet()) {
                    double[] s = g.scalar(field);
                    b.append(" | ").append(pm(s));
                    if (s[0] < bestMean) {
                        bestMean = s[0];
                        best = field;
                    }
                }
                SummaryStatistics diff = new SummaryStatistics();
                for (ResultsFolder.Unit u : g.units()) {
                    diff.addValue(u.number("final_test_error") - u.number(best));
                }
                b.append(" | ").append(pm(new double[] {diff.getMean(), standardError(diff)})).append(" (")
                        .append(BASELINES.get(best)).append(")\n");
            }
            b.append("|===\n\n");
        }
        labelNoiseTable(folders, groups, b);
        for (Map.Entry<String, ResultsFolder> e : folders.entrySet()) {
            b.append("`results/").append(e.getKey()).append("`: settings ").append(e.getValue().settings())
                    .append("; made by `results/replicate.sh ").append(e.getKey()).append("`: ")
                    .append(e.getValue().provenanceLine()).append(".\n\n");
        }
        return b.toString();
    }

    /**
     * The label-noise procedure against the clean run of the same seed (their Fig. 2): the differences of the final
     * degrees of freedom and test error, seed mean +- standard error, and on how many seeds each is negative. The
     * two runs of a seed share the data, the initialisation and the Brownian noise, so the pairing removes their
     * spread. The two folders must have the same settings but for the label noise and the baselines.
     *
     * @throws IOException when they do not (the message names both folders and the setting)
     */
    static void labelNoiseTable(Map<String, ResultsFolder> folders, List<Group> groups, StringBuilder b)
            throws IOException {
        Group clean = null, noisy = null;
        for (Group g : groups) {
            if (g.folder().equals(NAMES.get(0)) && g.sigma() == 0) {
                clean = g;
            } else if (g.folder().equals(NAMES.get(1)) && g.sigma() == 0) {
                noisy = g;
            }
        }
        if (clean == null || noisy == null) {
            return;
        }
        Map<String, String> here = folders.get(NAMES.get(0)).settings(), there = folders.get(NAMES.get(1)).settings();
        for (String key : here.keySet()) {
            if (!key.equals("--label-noise") && !key.equals("--baselines") && !here.get(key).equals(there.get(key))) {
                throw new IOException("results/" + NAMES.get(1) + " cannot be paired with results/" + NAMES.get(0)
                        + ": " + key + " is " + there.get(key) + " there and " + here.get(key) + " here");
            }
        }
        Map<String, ResultsFolder.Unit> bySeed = new TreeMap<>();
        for (ResultsFolder.Unit u : clean.units()) {
            bySeed.put(u.key().get("seed"), u);
        }
        b.append(".The label-noise procedure minus the clean run of the same seed, at the last step: seed mean +-"
                + " standard error, and the seeds on which it is negative\n");
        b.append("[%header,cols=\"2,1,3,3\"]\n|===\n| run | seeds | df | test error\n");
        String[] fields = {"final_df", "final_test_error"};
        SummaryStatistics[] diff = {new SummaryStatistics(), new SummaryStatistics()};
        int[] negative = new int[2];
        for (ResultsFolder.Unit u : noisy.units()) {
            ResultsFolder.Unit c = bySeed.get(u.key().get("seed"));
            if (c == null) {
                continue;
            }
            for (int f = 0; f < 2; f++) {
                double d = u.number(fields[f]) - c.number(fields[f]);
                diff[f].addValue(d);
                negative[f] += d < 0 ? 1 : 0;
            }
        }
        if (diff[0].getN() == 0) {
            throw new IOException("results/" + NAMES.get(1) + " has no seed in common with results/" + NAMES.get(0));
        }
        b.append("| ").append(noisy.label()).append(" | ").append(diff[0].getN());
        for (int f = 0; f < 2; f++) {
            b.append(" | ").append(pm(new double[] {diff[f].getMean(), standardError(diff[f])})).append(" (negative on ")
                    .append(negative[f]).append(" of ").append(diff[f].getN()).append(')');
        }
        b.append("\n|===\n\n");
    }

    /** mean +- standard error with three significant digits (only the mean when there is one seed). */
    static String pm(double[] s) {
        if (Double.isNaN(s[1])) {
            return String.format(Locale.ROOT, "%.3g", s[0]);
        }
        return String.format(Locale.ROOT, "%.3g +- %.2g", s[0], s[1]);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
