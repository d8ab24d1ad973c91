package twolayer.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.model.Parallelism;

/**
 * {@code twolayer kernel}: the NNGP or NTK matrix k(a_i, b_j) between the rows of two CSV files, analytic
 * (infinite width) or empirical (one random net), as CSV with one row per row of the first file. The conventions
 * are those of the conformance vectors and of the baseline chapter.
 */
@Command(name = "kernel",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "NNGP or NTK matrix of the ntk-preset net between the rows of CSV files.",
        abbreviateSynopsis = true,
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "Print (or write with --out) the kernel matrix k(a_i, b_j) between the rows a_i of --x and b_j of --x2",
            "(default: --x itself), for the network of neural-tangents' 'ntk' parameterisation,",
            "  f(x) = sigma_v/sqrt(m) sum_j a_j sigma(k_w <w_j,x> + sigma_b b_j) + sigma_b c,  all parameters N(0,1),",
            "as m -> infinity (default) or at finite width m (--empirical).",
            "Fan-in scaling is on by default: k_w = sigma_w/sqrt(d); --no-fan-in-scaling makes k_w = sigma_w.",
            "Without --sigma-b there are no biases."},
        footer = {
            "",
            "Conventions (analytic kernels):",
            "  q(x,x')     = k_w^2 <x,x'> + sigma_b^2,  (u,v) ~ N(0, [[q(x,x), q(x,x')], [q(x,x'), q(x',x')]])",
            "  Sigma       = E sigma(u) sigma(v),   SigmaDot = E sigma'(u) sigma'(v)",
            "  NNGP(x,x')  = sigma_v^2 Sigma + sigma_b^2",
            "  NTK(x,x')   = NNGP(x,x') + sigma_v^2 SigmaDot q(x,x')",
            "  relu: arc-cosine kernels (Cho-Saul), erf: arcsine kernel (Williams), both in closed form;",
            "  tanh, sigmoid, softplus: 2-D Gauss-Hermite quadrature. relu(z) = max(z,0) with no factor 2; erf is the",
            "  plain error function. Same as neural-tangents' stax.serial(Dense(m, W_std=sigma_w, b_std=sigma_b),",
            "  Relu()|Erf(), Dense(1, W_std=sigma_v, b_std=sigma_b)) kernel_fn(x1, x2, 'nngp'|'ntk').",
            "",
            "Files: CSV (one point per row, d comma-separated numbers, no header) or NumPy .npy (float64 or float32,",
            "shape (n, d)), by extension. The output has one row per row of --x",
            "and one column per row of --x2, numbers as Java's Double.toString, which parses back to the same double.",
            "",
            "Exit codes: 0 done, 1 unreadable or inconsistent data, or a failed write; 2 invalid options or missing files.",
            "",
            "Examples:",
            "  twolayer kernel --activation relu --kernel ntk --sigma-w 1 --sigma-v 1 --sigma-b 0.1 --x X.csv --out K.csv",
            "  twolayer kernel --activation erf --kernel nngp --sigma-w 2 --sigma-v 1 --x X.csv --x2 T.csv",
            "  twolayer kernel --empirical --width 4096 --seed 3 --activation relu --kernel ntk --sigma-w 1 --sigma-v 1 \\",
            "      --x X.csv"})
final class KernelCommand extends Subcommand {

    @ArgGroup(validate = false, heading = "%nKernel:%n", order = 1)
    KernelOptions kernel = new KernelOptions();

    @ArgGroup(validate = false, heading = "%nFiles:%n", order = 2)
    FileOptions files = new FileOptions();

    /** Inputs and output. */
    static final class FileOptions {
        @Option(names = "--x", paramLabel = "A.csv",
                description = "Inputs a_i (required): n1 rows of d numbers.")
        Path x;

        @Option(names = "--x2", paramLabel = "B.csv",
                description = {"Inputs b_j: n2 rows of d numbers (default: --x; the Gram is then",
                    "exactly symmetric)."})
        Path x2;

        @Option(names = "--out", paramLabel = "K.csv",
                description = {"Write the matrix to this file (its directory must exist), atomically:",
                    "a failed run leaves no file. Without --out it is printed to stdout."})
        Path out;
    }

    @Override
    int run() {
        // Check the options, then the files, then the output, before computing anything
        KernelOptions.Spec spec = kernel.check(this);
        if (files.x == null) {
            throw CliException.usage("--x: required (a .csv or .npy file of inputs, one per row)");
        }
        TableOption a = TableOption.read("--x", files.x);
        TableOption b = files.x2 == null ? null : TableOption.read("--x2", files.x2);
        if (b != null) {
            b.sameColumns(a, "both hold inputs of the same dimension d");
        }
        OutputFile out = files.out == null ? null : OutputFile.prepare(files.out, "--out");

        // Compute k(a_i, b_j), once the sizes are known to fit
        int d = a.columns(), n1 = a.rows(), n2 = b == null ? n1 : b.rows();
        requireSize(spec, d, n1, n2, b == null ? "--x" : "--x, --x2", 1, true);
        KernelOptions.Kernel k = bind(spec, d);
        Parallelism parallelism = Parallelism.available();
        double[] matrix;
        try {
            matrix = b == null ? k.gram(a.values(), n1, parallelism) : k.cross(a.values(), n1, b.values(), n2, parallelism);
        } catch (IllegalArgumentException e) {
            throw CliException.runtime((b == null ? "--x" : "--x, --x2") + ": " + withoutField(e.getMessage()));
        }
        String csv = TableOption.csv(matrix, n1, n2);

        // Print it, or write it atomically
        if (out == null) {
            out().print(csv);
            out().flush();
            return 0;
        }
        out.commit(csv.getBytes(StandardCharsets.UTF_8));
        out().println("wrote " + out.shown() + ": " + n1 + " x " + n2 + " " + spec.describe());
        out().flush();
        return 0;
    }

    /** Characters of one printed matrix entry, at most: "-1.2345678901234567E-123" and a separator. */
    static final double CHARS_PER_ENTRY = 25;

    /**
     * Checks, before anything is computed, that an (n1, n2) kernel of this spec fits: the matrix and its text in
     * one Java array each, the empirical net's arrays (m (d + 2) parameters, the features n m of each input set),
     * and all of it, with {@code copies} further matrices of the caller, in the heap. Refused in one line that says
     * what was asked for and what fits, instead of an OutOfMemoryError after the work (or a negative array size).
     */
    static void requireSize(KernelOptions.Spec spec, int d, int n1, int n2, String inputs, int copies,
                            boolean printed) {
        double entries = (double) n1 * n2;
        Memory.requireArray(inputs, "the " + n1 + " x " + n2 + " kernel", entries, "entries");
        if (printed) {
            Memory.requireArray(inputs, "the text of the " + n1 + " x " + n2 + " kernel", entries * CHARS_PER_ENTRY,
                    "characters (at most)");
        }
        // the matrix, its four NTK blocks (empirical), the text while it is built (a StringBuilder doubles) and
        // its bytes: about 8 (1 + copies) + 4 * 25 bytes per entry
        double bytes = entries * (Memory.DOUBLE * (1 + copies + (spec.empirical() ? 4 : 0))
                + (printed ? 4 * CHARS_PER_ENTRY : 0));
        String what = "the " + n1 + " x " + n2 + " kernel" + (printed ? " and its text" : "");
        if (spec.empirical()) {
            double m = spec.width();
            Memory.requireArray("--width", "the net of width " + spec.width(), m * (d + 2) + 1, "parameters");
            Memory.requireArray("--width", "each feature array of " + Math.max(n1, n2) + " inputs at width "
                    + spec.width(), m * Math.max(n1, n2), "entries");
            // theta_0 and the net's draws (3 copies of m (d + 2)), and the features s, sigma' of both input sets
            bytes += Memory.DOUBLE * (3 * m * (d + 2) + 2 * m * ((double) n1 + n2));
            what += " with the net of width m = " + spec.width();
        }
        Memory.requireFits(spec.empirical() ? "--width" : inputs, what, bytes);
    }

    /** The kernel at dimension d; a net that cannot be built (too many parameters) is invalid input. */
    static KernelOptions.Kernel bind(KernelOptions.Spec spec, int d) {
        try {
            return spec.at(d);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--width: " + e.getMessage());
        }
    }
}
