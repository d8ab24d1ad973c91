package twolayer.cli;

import java.util.Locale;
import picocli.CommandLine.Option;
import twolayer.kernel.AnalyticKernels;
import twolayer.kernel.AnalyticKernels.Kind;
import twolayer.kernel.EmpiricalNtk;
import twolayer.model.Activation;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.Scale;
import twolayer.model.TwoLayerNet;

/**
 * The kernel options shared by {@code kernel} and {@code predict} (an {@code @ArgGroup} with a heading of its own):
 * which kernel of the ntk preset, analytic (infinite width, {@link AnalyticKernels}) or empirical (one random net of
 * finite width, {@link EmpiricalNtk}).
 */
final class KernelOptions {

    @Option(names = "--activation", paramLabel = "NAME",
            description = "Activation sigma (required): relu, erf, tanh, sigmoid, softplus.")
    String activation;

    @Option(names = "--kernel", paramLabel = "ntk|nngp",
            description = {"Which kernel (required):",
                "ntk:  the neural tangent kernel, NTK = NNGP + sigma_v^2 SigmaDot q;",
                "nngp: the output covariance at initialisation, NNGP = sigma_v^2 Sigma + sigma_b^2."})
    String kernel;

    @Option(names = "--sigma-w", paramLabel = "SW",
            description = "Input-weight scale sigma_w > 0 (required).")
    Double sigmaW;

    @Option(names = "--sigma-v", paramLabel = "SV",
            description = "Output-weight scale sigma_v > 0 (required).")
    Double sigmaV;

    @Option(names = "--sigma-b", paramLabel = "SB",
            description = {"Bias scale sigma_b >= 0: the net has hidden biases b and an output bias c.",
                "Without --sigma-b the net has no biases (the analytic kernels equal",
                "those at sigma_b = 0)."})
    Double sigmaB;

    @Option(names = "--fan-in-scaling",
            description = "k_w = sigma_w / sqrt(d), as neural-tangents' Dense (the default).")
    boolean fanInScaling;

    @Option(names = "--no-fan-in-scaling",
            description = "k_w = sigma_w: no 1/sqrt(d) on the inputs.")
    boolean noFanInScaling;

    @Option(names = "--empirical",
            description = {"The kernel of one random net of the ntk preset at finite width",
                "(--width, --seed) instead of the m -> infinity limit. ntk: its",
                "empirical NTK, the Gram of the gradients, Theta_a + Theta_w + Theta_b",
                "+ Theta_c; nngp: its readout block Theta_a + Theta_c, the kernel of",
                "training a and c only, whose m -> infinity limit is the NNGP."})
    boolean empirical;

    @Option(names = "--width", paramLabel = "M",
            description = "--empirical: hidden units m >= 1 (required with --empirical).")
    Integer width;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = {"--empirical: seed of theta_0 (default: ${DEFAULT-VALUE}); the net that",
                "'twolayer train --parameterization ntk --init-seed S' starts from."})
    long seed;

    /** Checked kernel options; {@link #at} binds them to an input dimension. */
    record Spec(Activation activation, Kind kind, double sigmaW, double sigmaV, Double sigmaB, boolean fanInScaling,
                boolean empirical, int width, long seed) {

        /** The analytic options of this spec. */
        AnalyticKernels.Options analytic() {
            return new AnalyticKernels.Options(activation, kind, sigmaW, sigmaV, sigmaB, fanInScaling);
        }

        /** A short description for messages, e.g. "analytic ntk, relu" or "empirical ntk, relu, m = 512, seed 1". */
        String describe() {
            String what = (empirical ? "empirical " : "analytic ") + kind.name().toLowerCase(Locale.ROOT) + " kernel, "
                    + activation.name().toLowerCase(Locale.ROOT);
            return empirical ? what + ", m = " + width + ", seed " + seed : what;
        }

        /** The kernel on inputs of dimension d. */
        Kernel at(int d) {
            if (!empirical) {
                AnalyticKernels.Options o = analytic();
                return new Kernel() {
                    @Override
                    public double[] gram(double[] x, int n, Parallelism p) {
                        return AnalyticKernels.matrix(o, d, x, n, p);
                    }

                    @Override
                    public double[] cross(double[] x1, int n1, double[] x2, int n2, Parallelism p) {
                        return AnalyticKernels.matrix(o, d, x1, n1, x2, n2, p);
                    }
                };
            }
            TwoLayerNet net = net(d);
            double[] theta = net.initialParameters();
            return new Kernel() {
                @Override
                public double[] gram(double[] x, int n, Parallelism p) {
                    return cross(x, n, x, n, p);
                }

                @Override
                public double[] cross(double[] x1, int n1, double[] x2, int n2, Parallelism p) {
                    EmpiricalNtk.Split split = EmpiricalNtk.gram(net, theta, x1, n1, x2, n2, p);
                    if (kind == Kind.NTK) {
                        return split.total();
                    }
                    // The readout block: training a and c only, whose m -> infinity limit is the NNGP
                    double[] a = split.a(), c = split.c(), k = new double[a.length];
                    for (int i = 0; i < k.length; i++) {
                        k[i] = a[i] + c[i];
                    }
                    return k;
                }
            };
        }

        /**
         * The random net of --empirical on inputs of dimension d: the ntk preset at width m, theta_0 from the seed,
         * the net that 'twolayer train --parameterization ntk --init-seed S' starts from.
         */
        TwoLayerNet net(int d) {
            if (!empirical) {
                throw new IllegalStateException("net: only an --empirical kernel has a finite net");
            }
            return TwoLayerNet.initialize(d, width, activation, parameterization(), seed);
        }

        /** The outputs f(x_i; theta_0) of {@link #net}'s initialisation at the n rows of x, (n, d) row-major. */
        double[] initialOutputs(int d, double[] x, int n, Parallelism p) {
            TwoLayerNet net = net(d);
            double[] f = new double[n];
            net.outputs(net.initialParameters(), net.batch(x, n, p), f);
            return f;
        }

        /** The ntk preset with these constants, with the fan-in factor 1/sqrt(d) or without it. */
        private Parameterization parameterization() {
            Parameterization p = sigmaB == null ? Parameterization.ntk(sigmaW, sigmaV) : Parameterization.ntk(sigmaW, sigmaV, sigmaB);
            if (fanInScaling) {
                return p;
            }
            return new Parameterization(p.name() + "+no-fan-in", p.kA(), Scale.constant(sigmaW), p.kB(), p.kC(),
                    p.sA(), p.sW(), p.sB(), p.sC(), p.rhoA(), p.rhoW(), p.rhoB(), p.rhoC(), p.mRef(), p.hiddenBias(),
                    p.outputBias(), p.antisymmetricInit(), p.offset(), p.reference(), p.lazyScale());
        }
    }

    /** A kernel on inputs of one dimension; matrices are row-major. */
    interface Kernel {
        /** k(x_i, x_k), (n, n), exactly symmetric. */
        double[] gram(double[] x, int n, Parallelism p);

        /** k(x1_i, x2_k), (n1, n2). */
        double[] cross(double[] x1, int n1, double[] x2, int n2, Parallelism p);
    }

    /** Checks the options (before any file is read). */
    Spec check(Subcommand cmd) {
        Activation sigma = Subcommand.parse("--activation", () -> Activation.parse(required("--activation", activation,
                "relu, erf, tanh, sigmoid, softplus")));
        String k = required("--kernel", kernel, "ntk or nngp").trim().toLowerCase(Locale.ROOT);
        Kind kind = switch (k) {
            case "ntk" -> Kind.NTK;
            case "nngp" -> Kind.NNGP;
            default -> throw CliException.usage("--kernel: unknown '" + kernel + "'; allowed: ntk, nngp");
        };
        double sw = required("--sigma-w", sigmaW, "a scale > 0");
        double sv = required("--sigma-v", sigmaV, "a scale > 0");
        // > 0, as in train (ModelOptions): at sigma_w = 0 the net ignores its inputs and at sigma_v = 0 its hidden
        // layer, so every entry of the kernel is the same number, a degenerate net no command builds
        Subcommand.require(sw > 0 && Double.isFinite(sw), "--sigma-w",
                "finite and > 0 (at 0 the net ignores its inputs)", sw);
        Subcommand.require(sv > 0 && Double.isFinite(sv), "--sigma-v",
                "finite and > 0 (at 0 the net ignores its hidden layer)", sv);
        Subcommand.require(sigmaB == null || (sigmaB >= 0 && Double.isFinite(sigmaB)), "--sigma-b", "finite and >= 0",
                sigmaB);
        if (fanInScaling && noFanInScaling) {
            throw CliException.usage("--fan-in-scaling, --no-fan-in-scaling: give at most one of them");
        }
        cmd.onlyWhen(empirical, "--width", "--empirical (the analytic kernels are the m -> infinity limit)");
        cmd.onlyWhen(empirical, "--seed", "--empirical (the analytic kernels are not random)");
        int m = 0;
        if (empirical) {
            if (width == null) {
                throw CliException.usage("--width: required with --empirical (hidden units m >= 1)");
            }
            Subcommand.require(width >= 1, "--width", "an integer >= 1", width);
            m = width;
        }
        return new Spec(sigma, kind, sw, sv, sigmaB, !noFanInScaling, empirical, m, seed);
    }

    private static <T> T required(String option, T value, String allowed) {
        if (value == null) {
            throw CliException.usage(option + ": required (" + allowed + ")");
        }
        return value;
    }
}
