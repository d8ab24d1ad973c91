package twolayer.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import twolayer.kernel.AnalyticKernels.Kind;
import twolayer.kernel.AnalyticKernels.Options;
import twolayer.kernel.AnalyticKernels;
import twolayer.kernel.KernelRegression;
import twolayer.model.Activation;
import twolayer.model.Parallelism;

/**
 * The conformance vectors ({@code conformance/*.json}): reference values of the infinite-width kernels and of the
 * closed-form gradient-flow predictions, computed by {@link AnalyticKernels} and {@link KernelRegression}, for other
 * implementations (Python, JAX, C++) to load in their tests.
 * <ul>
 *   <li>{@value #KERNELS}: the NNGP and NTK of the ntk preset on small fixed input sets: relu and erf in closed form
 *       and tanh by quadrature; NTK and NNGP; with and without biases; with and without the fan-in factor
 *       1/sqrt(d).</li>
 *   <li>{@value #PREDICTIONS}: f_train(t) and f_test(t) at several times including t = inf on small problems, one of
 *       them with a singular kernel, with the kernel matrices they were computed from.</li>
 *   <li>the finite net and its dynamics ({@link DynamicsVectors}): gradients, the empirical NTK, gradient-descent
 *       trajectories, gradient flow, the linearised model and the coordinates of the scalings.</li>
 * </ul>
 * Each document carries its conventions (formulas, parameterisation, units, number format, the tolerance a
 * conforming implementation should meet and why, the version, and the command that regenerates it). The text
 * depends on nothing but the code: no time stamps, no paths, fixed orders, inputs rounded to three decimals, so
 * generating twice gives the same bytes ({@link ConformanceJson}).
 */
public final class ConformanceVectors {

    /** The kernel vectors' file name. */
    public static final String KERNELS = "ntk-kernels.json";
    /** The prediction vectors' file name. */
    public static final String PREDICTIONS = "ntk-predictions.json";
    /** The command that regenerates both files, run from the repository root. */
    public static final String COMMAND = "twolayer conformance --out conformance";
    /** How to run that command from a fresh checkout. */
    public static final String REGENERATE = "mvn -B -ntp -q package -DskipTests -Dsite.skip=true && "
            + "java -jar target/twolayer.jar conformance --out conformance";

    /** The ntk-preset constants of every case: deliberately not 1, so that a misplaced sigma shows. */
    static final double SIGMA_W = 1.5;
    static final double SIGMA_V = 0.8;
    static final double SIGMA_B = 0.3;

    /** The prediction times; the last is t = inf. */
    static final double[] TIMES = {0.0, 0.5, 5.0, 50.0, 500.0, Double.POSITIVE_INFINITY};

    // tag::experiment-conformance-tolerances[]
    /*
     * relu: the closed form needs the angle theta between the pre-activations. Computed as
     * atan2(sqrt(q11 q22 - q12^2), q12) or arccos(q12 / sqrt(q11 q22)), it loses half of
     * the digits at theta = 0 and pi: the difference cancels to ~eps q^2, so theta is off by
     * up to sqrt(2 eps) = 2.1e-8, and SigmaDot = (pi - theta)/(2 pi) by 3.4e-9 relative, on
     * every diagonal entry and on (anti)parallel pairs. 1e-8 accepts that in double
     * precision and nothing worse. twolayer's angle (from half-angle norms) is good to
     * ~1e-15, so a stable implementation can check at 1e-12.
     */
    static final double RELU_TOLERANCE = 1e-8;
    /*
     * erf: D = (1 + 2 q11)(1 + 2 q22) - 4 q12^2 is at least 1, so the arcsine form has no
     * cancellation, and atan2 or arcsin amplify rounding by at most sqrt(1 + 2 q), below 5
     * here: any double-precision evaluation agrees to ~1e-15. 1e-12 leaves room for another
     * arrangement of the same formula.
     */
    static final double ERF_TOLERANCE = 1e-12;
    /*
     * tanh: quadrature. twolayer's Gauss-Hermite rule (degree 256 q_max, at least 32) is
     * below round-off for these variances (q at most 8). 1e-6 asks for a rule that resolves
     * the integrand, not for a particular rule. The hardest entry is the diagonal at the
     * largest variance, q = 4.5, where tanh's poles z = +-i pi / (2 sqrt q) come closest to
     * the real axis: a tensor Gauss-Hermite rule of degree 300 per dimension
     * (conformance/check_ntk.py) is off by 4.5e-8 relative there, degree 200 by 2.6e-6,
     * degree 100 by 3.9e-4; neural-tangents' ElementwiseNumerical(deg=25) needs the
     * tolerance raised (its own tests allow 2e-3).
     */
    static final double QUADRATURE_TOLERANCE = 1e-6;
    // end::experiment-conformance-tolerances[]

    /** A fixed set of inputs: n rows of dimension d, (n, d) row-major. */
    public record InputSet(String name, String description, int d, double[] x) {
        /** The number of points. */
        public int n() {
            return x.length / d;
        }

        /** The rows, for JSON. */
        double[][] rows() {
            double[][] rows = new double[n()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Arrays.copyOfRange(x, i * d, (i + 1) * d);
            }
            return rows;
        }
    }

    private ConformanceVectors() {
    }

    /** Every document, file name to JSON text, in a fixed order: the two above, then {@link DynamicsVectors}', then {@link NoisyVectors}'. */
    public static Map<String, String> generate(String version) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(KERNELS, ConformanceJson.write(kernels(version)));
        files.put(PREDICTIONS, ConformanceJson.write(predictions(version)));
        DynamicsVectors.generate(version, files);
        NoisyVectors.generate(version, files);
        return files;
    }

    // ------------------------------------------------------------------------------------------ input sets

    /** 7 points in d = 3, coordinates N(0, 1) rounded to three decimals (seed 20240611). */
    static InputSet gaussianD3() {
        return gaussian("gaussian-d3", 20240611L, 7, 3,
                "7 points in d = 3, coordinates drawn N(0, 1) (SplittableRandom seed 20240611) and rounded to 3 decimals");
    }

    /** 3 further points in d = 3, for a kernel between two different sets. */
    static InputSet gaussianD3Test() {
        return gaussian("gaussian-d3-test", 20240612L, 3, 3,
                "3 points in d = 3 drawn like gaussian-d3 (seed 20240612), the second argument of the rectangular cases");
    }

    /**
     * Points of the plane at the angles where the kernels are hardest to evaluate: nearly parallel (1e-6 rad apart),
     * nearly antiparallel (pi - 1e-6), exactly antiparallel, exactly parallel with another norm, and the zero vector.
     */
    static InputSet angles() {
        double c = StrictMath.cos(1e-6), s = StrictMath.sin(1e-6), r3 = StrictMath.sqrt(3.0);
        double[] x = {
            1.0, 0.0,          // angle 0
            c, s,              // angle 1e-6: nearly parallel to the first
            0.0, 1.0,          // pi/2
            -0.5, r3 / 2,      // 2 pi / 3
            -c, s,             // pi - 1e-6: nearly antiparallel to the first
            -1.0, 0.0,         // pi: exactly antiparallel to the first
            0.0, 0.0,          // the zero vector
            -1.0, r3,          // 2 x the point at 2 pi / 3: exactly parallel, another norm
        };
        return new InputSet("angles-d2", "d = 2: the unit vectors at angles 0, 1e-6, pi/2, 2pi/3, pi - 1e-6 and pi, the "
                + "zero vector, and twice the unit vector at 2pi/3 (nearly parallel, nearly and exactly antiparallel, "
                + "exactly parallel with different norms, and zero: where the angle is hard to compute)", 2, x);
    }

    /** n equally spaced unit vectors of the circle, at angles 2 pi i / n. */
    static InputSet circle(String name, int n, double phase) {
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double phi = phase + 2 * Math.PI * i / n;
            x[2 * i] = StrictMath.cos(phi);
            x[2 * i + 1] = StrictMath.sin(phi);
        }
        return new InputSet(name, n + " unit vectors of the circle at angles " + (phase == 0 ? "" : "pi/" + Math.round(Math.PI / phase) + " + ")
                + "2 pi i / " + n + ", i = 0.." + (n - 1), 2, x);
    }

    static InputSet gaussian(String name, long seed, int n, int d, String description) {
        return new InputSet(name, description, d, rounded(new SplittableRandom(seed), n * d, 1.0));
    }

    /** count draws N(0, std^2), rounded to three decimals (exact in the text, so every reader gets the same doubles). */
    static double[] rounded(SplittableRandom rng, int count, double std) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = Math.round(rng.nextGaussian() * std * 1000.0) / 1000.0;
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------ kernels

    /** The kernel document. */
    static Map<String, Object> kernels(String version) {
        InputSet gaussian = gaussianD3(), test = gaussianD3Test(), angles = angles();
        List<Map<String, Object>> cases = new ArrayList<>();
        // relu and erf in closed form: every kind, bias and fan-in mode, on both sets
        for (InputSet set : new InputSet[] {gaussian, angles}) {
            for (Activation sigma : new Activation[] {Activation.RELU, Activation.ERF}) {
                for (Kind kind : Kind.values()) {
                    for (Double sigmaB : new Double[] {SIGMA_B, null}) {
                        for (boolean fanIn : new boolean[] {true, false}) {
                            cases.add(kernelCase(new Options(sigma, kind, SIGMA_W, SIGMA_V, sigmaB, fanIn), set, null));
                        }
                    }
                }
            }
        }
        // tanh by quadrature, with fan-in scaling (the variances stay <= 8, where the rule is below round-off)
        for (InputSet set : new InputSet[] {gaussian, angles}) {
            for (Kind kind : Kind.values()) {
                for (Double sigmaB : new Double[] {SIGMA_B, null}) {
                    cases.add(kernelCase(new Options(Activation.TANH, kind, SIGMA_W, SIGMA_V, sigmaB, true), set, null));
                }
            }
        }
        // Two rectangular kernels, between different sets
        cases.add(kernelCase(new Options(Activation.RELU, Kind.NTK, SIGMA_W, SIGMA_V, SIGMA_B, true), gaussian, test));
        cases.add(kernelCase(new Options(Activation.ERF, Kind.NNGP, SIGMA_W, SIGMA_V, null, true), gaussian, test));

        Map<String, Object> inputs = new LinkedHashMap<>();
        for (InputSet set : new InputSet[] {gaussian, test, angles}) {
            inputs.put(set.name(), inputSet(set));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: infinite-width NNGP and NTK of a two-layer network (ntk preset)");
        doc.put("format", "twolayer-ntk-kernels/1");
        doc.put("conventions", kernelConventions(version));
        doc.put("inputs", inputs);
        doc.put("cases", cases);
        return doc;
    }

    private static Map<String, Object> kernelCase(Options o, InputSet x1, InputSet x2) {
        Parallelism parallelism = Parallelism.available();
        double[] k = x2 == null
                ? AnalyticKernels.matrix(o, x1.d(), x1.x(), x1.n(), parallelism)
                : AnalyticKernels.matrix(o, x1.d(), x1.x(), x1.n(), x2.x(), x2.n(), parallelism);
        InputSet second = x2 == null ? x1 : x2;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", String.join("/", x2 == null ? x1.name() : x1.name() + " x " + x2.name(), name(o.activation()),
                name(o.kind()), o.biases() ? "bias" : "no-bias", o.fanInScaling() ? "fan-in" : "no-fan-in"));
        c.put("x1", x1.name());
        c.put("x2", second.name());
        putOptions(c, o);
        c.put("method", method(o.activation()));
        c.put("tolerance", tolerance(o.activation()));
        c.put("command", "twolayer kernel " + kernelFlags(o) + " --x " + x1.name() + ".csv"
                + (x2 == null ? "" : " --x2 " + x2.name() + ".csv"));
        c.put("k", rows(k, x1.n(), second.n()));
        return c;
    }

    static String method(Activation sigma) {
        return switch (sigma) {
            case RELU -> "closed form: arc-cosine kernels of degree 1 and 0 (Cho and Saul 2009)";
            case ERF -> "closed form: arcsine kernel (Williams 1997)";
            default -> "Gauss-Hermite quadrature in two dimensions, degree = the smallest power of two >= 256 max(q11, q22), "
                    + "within [32, 2048] (no closed form; neural-tangents has none for " + name(sigma) + " either)";
        };
    }

    static double tolerance(Activation sigma) {
        return switch (sigma) {
            case RELU -> RELU_TOLERANCE;
            case ERF -> ERF_TOLERANCE;
            default -> QUADRATURE_TOLERANCE;
        };
    }

    private static Map<String, Object> kernelConventions(String version) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("software", software(version));
        c.put("regenerate", REGENERATE);
        c.put("network", NETWORK);
        c.put("neural_tangents", NEURAL_TANGENTS);
        c.put("activations", activations());
        c.put("kernels", kernelFormulas());
        c.put("cases", "k[i][j] = kernel(inputs[x1].x[i], inputs[x2].x[j]) for the case's activation, kernel, sigma_w, "
                + "sigma_v, sigma_b (null: no biases) and fan_in_scaling; command is the twolayer command that prints "
                + "k, with NAME.csv holding the rows of inputs[NAME].x");
        c.put("numbers", NUMBERS);
        c.put("tolerance", "a case passes if max_ij |k_impl[i][j] - k[i][j]| <= tolerance * max_ij |k[i][j]|, with "
                + "the case's tolerance; the reasons are in tolerances");
        Map<String, Object> why = new LinkedHashMap<>();
        why.put("relu", RELU_TOLERANCE + ": the angle theta between the pre-activations, computed as atan2(sqrt(q11 q22 "
                + "- q12^2), q12) or arccos(q12 / sqrt(q11 q22)), loses half of the digits at theta = 0 and pi: the "
                + "difference cancels to ~eps q^2, so theta is off by up to sqrt(2 eps) = 2.1e-8 and SigmaDot = (pi - "
                + "theta)/(2 pi) by 3.4e-9 relative, on every diagonal entry and on (anti)parallel pairs; the tolerance "
                + "accepts that in double precision and nothing worse. The reference values compute the angle from "
                + "half-angle norms and are good to ~1e-15, so a stable implementation can check at 1e-12");
        why.put("erf", ERF_TOLERANCE + ": D = (1 + 2 q11)(1 + 2 q22) - 4 q12^2 >= 1, so the closed form has no "
                + "cancellation and any double-precision evaluation agrees to ~1e-15; the margin allows another "
                + "arrangement (arcsin instead of atan2)");
        why.put("tanh", QUADRATURE_TOLERANCE + ": quadrature; the reference rule (degree 256 max(q11, q22)) is below "
                + "round-off for these variances (q <= 8). The tolerance asks for a rule that resolves the integrand, "
                + "not for a particular rule. The hardest entry is the diagonal at the largest variance, q = 4.5, where "
                + "tanh's poles z = +-i pi / (2 sqrt q) come closest to the real axis: a tensor Gauss-Hermite rule of "
                + "degree 300 per dimension (conformance/check_ntk.py) is off by 4.5e-8 relative there, degree 200 by "
                + "2.6e-6, degree 100 by 3.9e-4; neural-tangents' ElementwiseNumerical(deg=25) needs the tolerance "
                + "raised (its own tests allow 2e-3)");
        c.put("tolerances", why);
        return c;
    }

    // ------------------------------------------------------------------------------------------ predictions

    /** A prediction problem: a kernel, training inputs and targets, test inputs and the outputs at t = 0. */
    record Problem(String id, String about, Options kernel, InputSet train, double[] y, InputSet test, double[] f0Train,
                   double[] f0Test) {
    }

    static List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        // A full-rank NTK with biases, f0 = 0
        InputSet train = gaussian("train", 20240613L, 6, 3, "");
        InputSet test = gaussian("test", 20240614L, 3, 3, "");
        double[] y = rounded(new SplittableRandom(20240615L), 6, 1.0);
        problems.add(new Problem("gaussian-d3/relu/ntk/bias/f0-zero",
                "relu NTK with biases on 6 training points in d = 3 (full rank), f0 = 0",
                new Options(Activation.RELU, Kind.NTK, SIGMA_W, SIGMA_V, SIGMA_B, true), train, y, test,
                new double[6], new double[3]));
        // A full-rank NNGP without biases, with outputs at t = 0 as a finite net has them
        SplittableRandom f0 = new SplittableRandom(20240616L);
        problems.add(new Problem("gaussian-d3/erf/nngp/no-bias/f0-given",
                "erf NNGP (readout-only training) without biases on the same points, with given outputs f0 at t = 0",
                new Options(Activation.ERF, Kind.NNGP, SIGMA_W, SIGMA_V, null, true), train, y, test,
                rounded(f0, 6, 0.5), rounded(f0, 3, 0.5)));
        // A singular kernel: bias-free relu NTK on 8 equally spaced points of the circle has rank 8/2 + 2 = 6
        InputSet circle = circle("circle-8", 8, 0.0);
        InputSet between = circle("circle-8-shifted", 4, Math.PI / 8);
        double[] target = new double[8];
        for (int i = 0; i < 8; i++) {
            double phi = 2 * Math.PI * i / 8;
            // cos(phi) is in the kernel's range, cos(3 phi) in its null space: t = inf fits the first only
            target[i] = Math.round((StrictMath.cos(phi) + 0.5 * StrictMath.cos(3 * phi)) * 1e12) / 1e12;
        }
        problems.add(new Problem("circle-8/relu/ntk/no-bias/singular",
                "bias-free relu NTK on 8 equally spaced points of the circle: rank 6 of 8 (its range holds the "
                        + "frequencies 0, 1, 2, 4 only), target cos(phi) + cos(3 phi)/2 (rounded to 12 decimals), "
                        + "whose cos(3 phi) part is never learnt; test points halfway between",
                new Options(Activation.RELU, Kind.NTK, SIGMA_W, SIGMA_V, null, true), circle, target, between,
                new double[8], new double[4]));
        return problems;
    }

    /** The prediction document. */
    static Map<String, Object> predictions(String version) {
        List<Map<String, Object>> cases = new ArrayList<>();
        for (Problem p : problems()) {
            cases.add(predictionCase(p));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: closed-form gradient-flow predictions of kernel regression "
                + "(the linearised network trained on the squared loss)");
        doc.put("format", "twolayer-ntk-predictions/1");
        doc.put("conventions", predictionConventions(version));
        doc.put("cases", cases);
        return doc;
    }

    private static Map<String, Object> predictionCase(Problem p) {
        Parallelism parallelism = Parallelism.available();
        Options o = p.kernel();
        int d = p.train().d(), n = p.train().n(), nTest = p.test().n();
        double[] kTrainTrain = AnalyticKernels.matrix(o, d, p.train().x(), n, parallelism);
        double[] kTestTrain = AnalyticKernels.matrix(o, d, p.test().x(), nTest, p.train().x(), n, parallelism);
        KernelRegression regression = new KernelRegression(kTrainTrain, p.y(), p.f0Train());
        KernelRegression.TestSet testSet = regression.testSet(kTestTrain, p.f0Test());

        List<Object> times = new ArrayList<>();
        List<Map<String, Object>> predictions = new ArrayList<>();
        for (double t : TIMES) {
            Object time = timeValue(t);
            times.add(time);
            Map<String, Object> at = new LinkedHashMap<>();
            at.put("time", time);
            at.put("train", regression.fTrainAt(t));
            at.put("test", testSet.fTestAt(t));
            predictions.add(at);
        }
        double[] lambda = regression.eigenvalues();
        double smallestKept = lambda[regression.rank() - 1];
        double kappa = lambda[0] / smallestKept;
        double scale = 1.0;
        for (double[] v : new double[][] {p.y(), p.f0Train(), p.f0Test()}) {
            for (double x : v) {
                scale = Math.max(scale, Math.abs(x));
            }
        }

        Map<String, Object> kernel = new LinkedHashMap<>();
        putOptions(kernel, o);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", p.id());
        c.put("description", p.about());
        c.put("kernel", kernel);
        c.put("train_x", p.train().rows());
        c.put("train_y", p.y());
        c.put("test_x", p.test().rows());
        c.put("f0_train", p.f0Train());
        c.put("f0_test", p.f0Test());
        c.put("k_train_train", rows(kTrainTrain, n, n));
        c.put("k_test_train", rows(kTestTrain, nTest, n));
        c.put("eigenvalues", lambda);
        c.put("rank", regression.rank());
        c.put("condition_number", kappa);
        c.put("tolerance", predictionTolerance(n, kappa));
        c.put("times", times);
        c.put("predictions", predictions);
        boolean zeroF0 = isZero(p.f0Train()) && isZero(p.f0Test());
        c.put("command", "twolayer predict " + kernelFlags(o) + " --train-x train_x.csv --train-y train_y.csv "
                + "--test-x test_x.csv" + (zeroF0 ? "" : " --f0-train f0_train.csv --f0-test f0_test.csv")
                + " --times " + timeList());
        return c;
    }

    // tag::experiment-conformance-prediction-tolerance[]
    /*
     * Given the kernel matrices of the file, an implementation differs from the reference
     * only by its eigendecomposition (or solver): a backward error ~ n eps lambda_max moves
     * the t = inf prediction on the range by ~ n eps kappa relative, with kappa = lambda_max
     * / the smallest kept eigenvalue; finite times by less. 100 times that, at least 1e-10.
     */
    static double predictionTolerance(int n, double kappa) {
        double bound = 100 * n * Math.ulp(1.0) * kappa;
        // Round up to one significant digit: the tolerance is an order of magnitude
        double decade = Math.pow(10, Math.floor(Math.log10(bound)));
        return Math.max(1e-10, Math.ceil(bound / decade) * decade);
    }
    // end::experiment-conformance-prediction-tolerance[]

    private static Map<String, Object> predictionConventions(String version) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("software", software(version));
        c.put("regenerate", REGENERATE);
        c.put("network", NETWORK);
        c.put("neural_tangents", NEURAL_TANGENTS + "; predictions: nt.predict.gradient_descent_mse(k_train_train, "
                + "train_y, learning_rate=eta), then predict_fn(t=steps, fx_train_0=f0_train, fx_test_0=f0_test, "
                + "k_test_train=k_test_train) at time t = eta * steps");
        c.put("kernels", kernelFormulas());
        c.put("loss", "L = 1/(2n) sum_i (f(x_i) - y_i)^2 over the n training points (one output)");
        c.put("time", "t is gradient-flow time, d theta/dt = -grad L: gradient descent with learning rate eta is at "
                + "t = eta * k after k steps (neural-tangents' absolute time learning_rate * t); the string \"inf\" is "
                + "t = infinity, the limit");
        c.put("dynamics", "df_train/dt = -(1/n) Theta (f_train - y) with Theta = k_train_train, and "
                + "df_test/dt = -(1/n) k_test_train (f_train - y)");
        c.put("solution", "Theta = V diag(lambda) V^T: f_train(t) = y + V diag(exp(-t lambda/n)) V^T (f0_train - y); "
                + "f_test(t) = f0_test + k_test_train V diag((1 - exp(-t lambda/n)) / lambda) V^T (train_y - f0_train)");
        c.put("singular", "eigenvalues <= 1e-12 lambda_max count as zero (rank is the number above): on them f_train "
                + "does not move, (1 - exp(-t lambda/n))/lambda is its limit t/n (times k_test_train v, which is zero up "
                + "to rounding for a Gram of features), and t = inf is the pseudo-inverse limit f(x, inf) = f0(x) + "
                + "Theta(x, X) Theta^+ (train_y - f0_train), which fits train_y only on the range of Theta. "
                + "neural-tangents' t=None path solves with a Cholesky factor and returns f_train = train_y, which is "
                + "not this limit on a singular kernel");
        c.put("f0", "f0_train, f0_test: the outputs at t = 0 (in a finite net, its outputs at initialisation; twolayer "
                + "predict takes 0 unless --f0-train and --f0-test are given)");
        c.put("cases", "each case gives the kernel options, the inputs, the targets, f0, the kernel matrices "
                + "(k_train_train[i][j] = kernel(train_x[i], train_x[j]), k_test_train[i][j] = kernel(test_x[i], "
                + "train_x[j]), as in " + KERNELS + "), their eigenvalues (non-increasing), the numerical rank, "
                + "kappa = lambda_max / smallest kept eigenvalue, and the outputs at each time; command is the twolayer "
                + "command that prints them, with NAME.csv holding the field NAME as CSV");
        c.put("numbers", NUMBERS);
        c.put("tolerance", "a case passes if |f_impl - f| <= tolerance * max(1, max|train_y|, max|f0_train|, "
                + "max|f0_test|) for every output at every time, computed from the case's k_train_train and "
                + "k_test_train. Given the same matrices an implementation differs only by its eigendecomposition or "
                + "solver, whose backward error ~ n eps lambda_max moves the t = inf prediction by ~ n eps kappa; the "
                + "tolerance is 100 n eps kappa rounded up to one digit, at least 1e-10. Computing the kernels too, add "
                + "their error (see " + KERNELS + ") times kappa");
        return c;
    }

    // ------------------------------------------------------------------------------------------ shared pieces

    static final String NETWORK = "f(x) = (sigma_v / sqrt(m)) sum_{j=1..m} a_j sigma(k_w <w_j, x> + sigma_b b_j) + "
            + "sigma_b c, every parameter a_j, w_j (d coordinates), b_j, c drawn N(0, 1) and trained at rate 1 (the "
            + "ntk parameterisation); k_w = sigma_w / sqrt(d) with fan_in_scaling, else k_w = sigma_w; sigma_b = null "
            + "means no biases b and c; the kernels are the m -> infinity limits";

    static final String NEURAL_TANGENTS = "neural-tangents: stax.serial(stax.Dense(m, W_std=sigma_w, b_std=sigma_b), "
            + "stax.Relu() | stax.Erf() | tanh by stax.ElementwiseNumerical, stax.Dense(1, W_std=sigma_v, "
            + "b_std=sigma_b)) with parameterization='ntk' (b_std=None when sigma_b is null), kernel_fn(x1, x2, "
            + "'nngp' | 'ntk'); fan_in_scaling false is the first layer's W_std = sigma_w * sqrt(d)";

    static final String NUMBERS = "IEEE-754 double precision throughout; every number is written with Java's "
            + "Double.toString, which parses back to the same double (Python float, numpy.float64, strtod); matrices "
            + "are arrays of rows; inputs and targets are rounded to few decimals so that they read exactly";

    static Map<String, Object> software(String version) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", "twolayer");
        s.put("version", version);
        s.put("command", COMMAND);
        return s;
    }

    private static Map<String, Object> activations() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("relu", "relu(z) = max(z, 0), relu'(0) = 0 (neural-tangents stax.Relu(); no factor 2: E relu(u)^2 = q/2)");
        a.put("erf", "erf(z), the plain error function (neural-tangents stax.Erf(a=1, b=1, c=0))");
        a.put("tanh", "tanh(z)");
        return a;
    }

    static Map<String, Object> kernelFormulas() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("q", "q(x, x') = k_w^2 <x, x'> + sigma_b^2 (sigma_b^2 = 0 without biases); q11 = q(x, x), q12 = q(x, x'), "
                + "q22 = q(x', x')");
        k.put("Sigma", "Sigma(x, x') = E[sigma(u) sigma(v)] and SigmaDot(x, x') = E[sigma'(u) sigma'(v)] for "
                + "(u, v) ~ N(0, [[q11, q12], [q12, q22]])");
        k.put("nngp", "NNGP(x, x') = sigma_v^2 Sigma(x, x') + sigma_b^2");
        k.put("ntk", "NTK(x, x') = NNGP(x, x') + sigma_v^2 SigmaDot(x, x') q(x, x')");
        k.put("relu", "theta = atan2(sqrt(q11 q22 - q12^2), q12) in [0, pi]; Sigma = (sqrt(q11 q22 - q12^2) + "
                + "(pi - theta) q12) / (2 pi); SigmaDot = (pi - theta) / (2 pi)");
        k.put("erf", "D = (1 + 2 q11)(1 + 2 q22) - 4 q12^2; Sigma = (2/pi) atan2(2 q12, sqrt(D)) = (2/pi) "
                + "arcsin(2 q12 / sqrt((1 + 2 q11)(1 + 2 q22))); SigmaDot = (4/pi) / sqrt(D)");
        k.put("tanh", "no closed form: Sigma and SigmaDot by two-dimensional Gauss-Hermite quadrature of the "
                + "expectations");
        k.put("zero_vector", "if q(x, x) = 0 (x = 0 without biases), u = 0 almost surely: Sigma = sigma(0) E sigma(v) "
                + "and SigmaDot = sigma'(0) E sigma'(v): Sigma = 0 for relu, erf and tanh (sigma(0) = 0), SigmaDot = 0 "
                + "for relu (relu'(0) = 0); neural-tangents takes theta = pi/2 there, which changes relu's SigmaDot but "
                + "neither NNGP nor NTK, since then q12 = 0");
        return k;
    }

    private static void putOptions(Map<String, Object> c, Options o) {
        c.put("activation", name(o.activation()));
        c.put("kernel", name(o.kind()));
        c.put("sigma_w", o.sigmaW());
        c.put("sigma_v", o.sigmaV());
        c.put("sigma_b", o.sigmaB());
        c.put("fan_in_scaling", o.fanInScaling());
    }

    /** The kernel options as twolayer flags. */
    static String kernelFlags(Options o) {
        return "--activation " + name(o.activation()) + " --kernel " + name(o.kind()) + " --sigma-w " + o.sigmaW()
                + " --sigma-v " + o.sigmaV() + (o.biases() ? " --sigma-b " + o.sigmaB() : "")
                + (o.fanInScaling() ? "" : " --no-fan-in-scaling");
    }

    private static String timeList() {
        List<String> shown = new ArrayList<>();
        for (double t : TIMES) {
            shown.add(t == Double.POSITIVE_INFINITY ? "inf" : Double.toString(t));
        }
        return String.join(",", shown);
    }

    private static Object timeValue(double t) {
        return t == Double.POSITIVE_INFINITY ? "inf" : (Object) t;
    }

    private static Map<String, Object> inputSet(InputSet set) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", set.description());
        m.put("d", set.d());
        m.put("n", set.n());
        m.put("x", set.rows());
        return m;
    }

    static double[][] rows(double[] k, int n1, int n2) {
        double[][] rows = new double[n1][];
        for (int i = 0; i < n1; i++) {
            rows[i] = Arrays.copyOfRange(k, i * n2, (i + 1) * n2);
        }
        return rows;
    }

    private static boolean isZero(double[] v) {
        for (double x : v) {
            if (x != 0.0) {
                return false;
            }
        }
        return true;
    }

    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
