package twolayer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import twolayer.data.Npy;
import twolayer.data.NpyArray;
import twolayer.model.Group;
import twolayer.run.RandomStreams;

/**
 * {@code train}'s options that make a run replayable from files, in both directions: the initial parameters in
 * ({@code --init-params}) and out ({@code --save-params}), the outputs on test inputs, and every random draw in
 * ({@code --noise-in}, {@code --batches-in}, {@code --label-noise-in}) and out ({@code --save-noise}, ...). Every
 * file is {@code .npy} float64; every problem with one is a single line naming the option and the file: a
 * missing file or a file the options do not call for is invalid input (exit 2), a file that is not a finite
 * array of the right shape a failed run (exit 1). See the baseline chapter, section "Exporting and replaying a
 * run".
 */
final class ExportOptions {

    @Option(names = "--init-params", paramLabel = "DIR",
            description = {"Start from DIR/a.npy (m,), w.npy (m, d), and where the net has them b.npy (m,) and",
                "c.npy () or (1,): raw parameters before the multipliers kA, kW, kB, kC (the layout",
                "--save-params writes; its row 0 is such a start). m comes from the files; --width, if",
                "given, must agree. Replaces the draw of --init-seed."})
    Path initParams;

    @Option(names = "--save-params",
            description = {"With --out: write DIR/params/a.npy (T+1, m), w.npy (T+1, m, d), b.npy, c.npy where",
                "present, and times.npy (T+1,): the raw parameters at the rows of history.csv."})
    boolean saveParams;

    @Option(names = "--test-x", paramLabel = "FILE",
            description = {"With --out: test inputs (.csv or .npy, (n', d) like --x); write DIR/f_test.npy",
                "(T+1, n') and DIR/f_train.npy (T+1, n), the model's outputs at the rows of history.csv."})
    Path testX;

    @Option(names = "--noise-in", paramLabel = "FILE",
            description = {"mfld, two-timescale (lambda > 0): take the Gaussian increments xi from FILE.npy,",
                "shape (steps, P), one row per step in theta's order: mfld a (m), w (m x d row-major),",
                "b (m, with --hidden-bias), P = m + m d [+ m]; two-timescale w, b, P = m d [+ m]."})
    Path noiseIn;

    @Option(names = "--save-noise",
            description = "mfld, two-timescale (lambda > 0), with --out: write the increments to DIR/noise.npy.")
    boolean saveNoise;

    @Option(names = "--batches-in", paramLabel = "FILE",
            description = {"gd with mini-batches: take each step's B training rows (0-based, float64 holding",
                "whole numbers) from FILE.npy, shape (steps, B); B is --batch-size or the file's."})
    Path batchesIn;

    @Option(names = "--save-batches",
            description = "gd with mini-batches, with --out: write the rows to DIR/batches.npy (steps, B).")
    boolean saveBatches;

    @Option(names = "--label-noise-in", paramLabel = "FILE",
            description = {"two-timescale with --label-noise SIGMA: take each step's eps from FILE.npy,",
                "shape (steps, n), every value in [-SIGMA, SIGMA]."})
    Path labelNoiseIn;

    @Option(names = "--save-label-noise",
            description = "two-timescale with --label-noise, with --out: write eps to DIR/label_noise.npy.")
    boolean saveLabelNoise;

    /** What run.json records about the input files: option to {file, sha256} (init-params: one per group file). */
    final Map<String, Object> inputs = new LinkedHashMap<>();

    /** The files a train run may write into --out, relative to it. */
    static boolean isOutputName(String name) {
        return switch (name) {
            case "history.csv", "run.json", "f_train.npy", "f_test.npy", RandomStreams.NOISE, RandomStreams.BATCHES,
                 RandomStreams.LABEL_NOISE, "params/", "params/times.npy", "params/a.npy", "params/w.npy",
                 "params/b.npy", "params/c.npy" -> true;
            default -> name.matches("(params/)?\\..*\\.tmp");   // a staged file an interrupted run left behind
        };
    }

    /** Every name {@link #isOutputName} accepts, for removing what an earlier run left in --out. */
    static final java.util.List<String> OUTPUT_NAMES = java.util.List.of("history.csv", "run.json", "f_train.npy",
            "f_test.npy", RandomStreams.NOISE, RandomStreams.BATCHES, RandomStreams.LABEL_NOISE, "params/times.npy",
            "params/a.npy", "params/w.npy", "params/b.npy", "params/c.npy");

    /** The number of neurons in --init-params DIR/a.npy, read before the net is built. */
    int initWidth() {
        requireDirectory();
        NpyArray a = read("--init-params", initParams.resolve("a.npy"), true);
        if (a.ndim() != 1 || a.size() < 1) {
            throw CliException.runtime("--init-params: '" + initParams.resolve("a.npy") + "' has shape "
                    + Npy.pythonShape(a.shape()) + "; expected (m,) with m >= 1: one output weight per neuron");
        }
        return a.size();
    }

    private void requireDirectory() {
        if (!Files.exists(initParams)) {
            throw CliException.usage("--init-params: no such directory '" + initParams + "'");
        }
        if (!Files.isDirectory(initParams)) {
            throw CliException.usage("--init-params: '" + initParams + "' is not a directory; give the directory"
                    + " holding a.npy, w.npy (and b.npy, c.npy)");
        }
    }

    /**
     * theta0 from --init-params, laid out as the net's theta: a (m), w (m x d row-major), b (m), c.
     *
     * @param m      the width
     * @param d      the input dimension of the data
     * @param groups whether the net has each group, by {@link Group} ordinal
     * @param how    how to give the net hidden biases and an output bias, for messages
     */
    double[] initialParameters(int m, int d, boolean[] groups, String how) {
        requireDirectory();
        Map<String, Object> files = new LinkedHashMap<>();
        double[] theta = new double[m + m * d + (groups[Group.B.ordinal()] ? m : 0) + (groups[Group.C.ordinal()] ? 1 : 0)];
        int offset = 0;
        for (Group g : Group.values()) {
            Path file = initParams.resolve(g.symbol() + ".npy");
            boolean has = groups[g.ordinal()];
            if (!has) {
                if (Files.exists(file)) {
                    throw CliException.usage("--init-params: '" + file + "' is given but the net has no "
                            + (g == Group.B ? "hidden biases b" : "output bias c") + "; remove the file, or " + how);
                }
                continue;
            }
            if (!Files.exists(file)) {
                throw CliException.usage("--init-params: '" + file + "' is missing; the net has "
                        + (g == Group.B ? "hidden biases b: give b.npy of shape (" + m + ",)"
                        : "an output bias c: give c.npy of shape () or (1,)"));
            }
            NpyArray a = read("--init-params", file, false);
            int[] shape = a.shape();
            boolean fits = switch (g) {
                case A, B -> shape.length == 1 && shape[0] == m;
                case W -> shape.length == 2 && shape[0] == m && shape[1] == d;
                case C -> shape.length == 0 || (shape.length == 1 && shape[0] == 1);
            };
            if (!fits) {
                String expected = switch (g) {
                    case A -> "(" + m + ",)";
                    case W -> "(" + m + ", " + d + ") = (m, d), m from a.npy and d of the data";
                    case B -> "(" + m + ",) = (m,), m from a.npy";
                    case C -> "() or (1,)";
                };
                throw CliException.runtime("--init-params: '" + file + "' has shape " + Npy.pythonShape(shape)
                        + "; expected " + expected);
            }
            System.arraycopy(a.data(), 0, theta, offset, a.size());
            offset += a.size();
            files.put(g.symbol() + ".npy", sha256(file));
        }
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("dir", initParams.toString());
        about.put("sha256", files);
        inputs.put("init-params", about);
        return theta;
    }

    /** The array of a draws option ({@code --noise-in} etc.), checked finite; recorded in {@link #inputs}. */
    RandomStreams.Given given(String option, Path file) {
        if (file == null) {
            return null;
        }
        NpyArray a = read(option, file, true);
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("file", file.toString());
        about.put("shape", a.shape());
        about.put("sha256", sha256(file));
        inputs.put(option.substring(2), about);
        return new RandomStreams.Given(option + " '" + file + "'", a);
    }

    /**
     * Reads a .npy file given to an option: a missing file or another extension is a usage error, a file that is
     * not a finite float array a failed run, each in one line naming the option and the file.
     */
    static NpyArray read(String option, Path file, boolean checkExtension) {
        if (!Files.exists(file)) {
            throw CliException.usage(option + ": no such file '" + file + "'");
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.usage(option + ": '" + file + "' is not a regular file");
        }
        String name = String.valueOf(file.getFileName());
        if (checkExtension && !name.toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw CliException.usage(option + ": '" + file + "' is not a .npy file; give a NumPy array (numpy.save)");
        }
        try {
            return Npy.requireFinite(file, Npy.read(file));
        } catch (IOException e) {
            // Npy.FormatException names the file and the problem in one line
            throw CliException.runtime(option + ": " + e.getMessage());
        }
    }

    private static String sha256(Path file) {
        try {
            return TableOption.sha256(file);
        } catch (IOException e) {
            throw CliException.runtime(e.getMessage());
        }
    }
}
