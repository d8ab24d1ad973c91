package twolayer.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import twolayer.data.Dataset;
import twolayer.data.Link;
import twolayer.data.SyntheticData;
import twolayer.model.Activation;

/**
 * The data-set options, shared by every subcommand that needs a training set (an {@code @ArgGroup} with a
 * heading of its own). The synthetic sets are those of {@link SyntheticData}; {@code files} ({@code csv} is a
 * synonym, and {@code --x} without {@code --data} means it) reads the inputs and targets from a {@code .csv} or
 * {@code .npy} file each ({@link TableOption}), and the run record names each file with its SHA-256 checksum. An
 * option that does not apply to the chosen {@code --data} is an error, never silently ignored. See the baseline
 * chapter, section "Data as .npy files".
 */
final class DataOptions {

    @Option(names = "--data", paramLabel = "KIND", defaultValue = "teacher",
            description = {"sphere | gaussian | single-index | teacher | mixture | files (default: ${DEFAULT-VALUE},",
                "or files when --x is given):",
                "sphere: x uniform on the unit sphere S^(d-1), random labels y ~ N(0,1);",
                "gaussian: x ~ N(0, I_d), random labels y ~ N(0,1);",
                "single-index: x ~ N(0, I_d), y = g(<u,x>) + noise, u uniform on S^(d-1);",
                "teacher: x ~ N(0, I_d), y = (1/k) sum_r a_r s(<w_r,x>) + noise,",
                "  a_r ~ N(0,1), w_r uniform on S^(d-1);",
                "mixture: y = +1 or -1 equally likely, x ~ N(y mu, I_d), |mu| = --mixture-mean;",
                "files (or csv): --x and --y, each .csv (no header, one point per row) or .npy."})
    String data;

    @Option(names = "--n", paramLabel = "n", defaultValue = "100",
            description = "Number of training points n >= 1 (default: ${DEFAULT-VALUE}; not with files).")
    int n;

    @Option(names = "--d", paramLabel = "d", defaultValue = "5",
            description = "Input dimension d >= 1 (default: ${DEFAULT-VALUE}; not with files).")
    int d;

    @Option(names = "--data-seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the data set's draws: teacher, inputs, labels (default: ${DEFAULT-VALUE}).")
    long dataSeed;

    @Option(names = "--noise", paramLabel = "STD", defaultValue = "0",
            description = {"Standard deviation >= 0 of the Gaussian label noise (single-index and teacher)",
                "(default: ${DEFAULT-VALUE})."})
    double noise;

    @Option(names = "--link", paramLabel = "g", defaultValue = "he2",
            description = {"Single-index link g: linear, relu, erf, tanh, sigmoid, softplus, he2 = z^2 - 1,",
                "he3 = z^3 - 3z (default: ${DEFAULT-VALUE})."})
    String link;

    @Option(names = "--teacher-width", paramLabel = "k", defaultValue = "4",
            description = "Units k >= 1 of the teacher network (default: ${DEFAULT-VALUE}).")
    int teacherWidth;

    @Option(names = "--teacher-activation", paramLabel = "NAME",
            description = "Activation s of the teacher network (default: the student's --activation).")
    String teacherActivation;

    @Option(names = "--mixture-mean", paramLabel = "R", defaultValue = "2",
            description = "Norm |mu| > 0 of the class mean; Bayes error Phi(-|mu|) (default: ${DEFAULT-VALUE}).")
    double mixtureMean;

    @Option(names = "--x", paramLabel = "FILE",
            description = {"Inputs: X.csv, n rows of d comma-separated numbers, or X.npy of shape (n, d),",
                "float64 or float32, any order."})
    Path xFile;

    @Option(names = "--y", paramLabel = "FILE",
            description = "Targets: y.csv, n rows of one number, or y.npy of shape (n,) or (n, 1).")
    Path yFile;

    /** A training set and what the run record says about it. */
    record Loaded(Dataset dataset, Map<String, Object> description) {
    }

    /**
     * Checks the options and draws or reads the data set.
     *
     * @param cmd     the command (for which options were given)
     * @param student the student's activation, the default of --teacher-activation
     */
    Loaded load(Subcommand cmd, Activation student) {
        // --x or --y without --data means files; the default teacher applies only when neither is given
        String named = data.trim().toLowerCase(java.util.Locale.ROOT);
        boolean files = named.equals("files") || named.equals("csv")
                || (!cmd.given("--data") && (xFile != null || yFile != null));
        SyntheticData.Kind kind = null;
        if (!files) {
            try {
                kind = SyntheticData.Kind.parse(data);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--data: unknown '" + data
                        + "'; allowed: sphere, gaussian, single-index, teacher, mixture, files (or its synonym csv)");
            }
        }
        String chosen = "--data " + (files ? "files" : kind.cliName());

        // Reject options that do not apply to this data set
        for (String option : new String[] {"--n", "--d", "--data-seed"}) {
            cmd.onlyWhen(!files, option, "synthetic data (with --x and --y, n and d come from the files), not "
                    + chosen);
        }
        cmd.onlyWhen(kind != null && kind.hasLabelNoise(), "--noise", "--data single-index|teacher, not " + chosen);
        cmd.onlyWhen(kind == SyntheticData.Kind.SINGLE_INDEX, "--link", "--data single-index, not " + chosen);
        cmd.onlyWhen(kind == SyntheticData.Kind.TEACHER, "--teacher-width", "--data teacher, not " + chosen);
        cmd.onlyWhen(kind == SyntheticData.Kind.TEACHER, "--teacher-activation", "--data teacher, not " + chosen);
        cmd.onlyWhen(kind == SyntheticData.Kind.MIXTURE, "--mixture-mean", "--data mixture, not " + chosen);
        cmd.onlyWhen(files, "--x", "--data files, not " + chosen);
        cmd.onlyWhen(files, "--y", "--data files, not " + chosen);

        Map<String, Object> about = new LinkedHashMap<>();
        about.put("kind", files ? "files" : kind.cliName());
        Dataset set = files ? readFiles(about) : draw(kind, student, about);
        about.put("n", set.n());
        about.put("d", set.d());
        return new Loaded(set, about);
    }

    private Dataset draw(SyntheticData.Kind kind, Activation student, Map<String, Object> about) {
        Subcommand.require(n >= 1, "--n", "an integer >= 1", n);
        Subcommand.require(d >= 1, "--d", "an integer >= 1", d);
        Subcommand.require((long) n * d <= Integer.MAX_VALUE - 8, "--n * --d", "at most " + (Integer.MAX_VALUE - 8)
                + " values (one Java array)", (long) n * d);
        Subcommand.require(noise >= 0 && Double.isFinite(noise), "--noise", "finite and >= 0", noise);
        Subcommand.require(teacherWidth >= 1, "--teacher-width", "an integer >= 1", teacherWidth);
        Subcommand.require(mixtureMean > 0 && Double.isFinite(mixtureMean), "--mixture-mean", "finite and > 0",
                mixtureMean);
        Link g = Subcommand.parse("--link", () -> Link.parse(link));
        Activation teacher = teacherActivation == null ? student
                : Subcommand.parse("--teacher-activation", () -> Activation.parse(teacherActivation));
        about.put("seed", dataSeed);
        switch (kind) {
            case SINGLE_INDEX -> {
                about.put("link", g.name().toLowerCase(java.util.Locale.ROOT));
                about.put("noise", noise);
            }
            case TEACHER -> {
                about.put("teacher_width", teacherWidth);
                about.put("teacher_activation", teacher.name().toLowerCase(java.util.Locale.ROOT));
                about.put("noise", noise);
            }
            case MIXTURE -> about.put("mixture_mean", mixtureMean);
            default -> { }
        }
        return SyntheticData.generate(new SyntheticData.Spec(kind, n, d, dataSeed, noise, g, teacherWidth, teacher,
                mixtureMean));
    }

    /** Reads --x (n, d) and --y (n values), each .csv or .npy; the record names each file and its SHA-256. */
    private Dataset readFiles(Map<String, Object> about) {
        if (xFile == null || yFile == null) {
            throw CliException.usage((xFile == null ? "--x" : "--y") + ": --data files needs both --x FILE (inputs)"
                    + " and --y FILE (targets), each " + TableOption.ALLOWED_EXTENSIONS);
        }
        TableOption.isNpy("--x", xFile);    // both extensions are checked before either file is read
        TableOption.isNpy("--y", yFile);
        TableOption x = TableOption.read("--x", xFile);
        TableOption y = TableOption.column("--y", yFile, "one target per point");
        y.sameRows(x, "one target per point");
        about.put("x", x.description());
        about.put("y", y.description());
        return new Dataset(x.values(), y.values(), x.rows(), x.columns());
    }
}
