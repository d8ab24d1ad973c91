package twolayer.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import twolayer.conformance.ConformanceVectors.InputSet;
import twolayer.data.Dataset;
import twolayer.dynamics.Conventions;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.GradientFlow;
import twolayer.dynamics.LinearizedDynamics;
import twolayer.dynamics.TrainingProblem;
import twolayer.kernel.EmpiricalNtk;
import twolayer.kernel.KernelRegression;
import twolayer.model.Activation;
import twolayer.model.Batch;
import twolayer.model.GolikovExponents;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.LuoCoordinates;
import twolayer.model.Offset;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.Scale;
import twolayer.model.TwoLayerNet;

/**
 * The conformance vectors of the finite network and its dynamics: forward pass, loss and gradients by group for
 * every activation, preset, bias setting and loss ({@value #GRADIENTS}); the empirical NTK by group
 * ({@value #EMPIRICAL_NTK}); gradient descent, plain, with momentum, per-group rates and given mini-batches
 * ({@value #GD}); gradient flow ({@value #FLOW}); the linearised model ({@value #LINEARIZED}); and the conversions
 * between the coordinates of the scalings ({@value #COORDINATES}). Every case lists its raw parameters, so no random
 * generator needs matching, and a tolerance derived from the rounding error of its own numbers (see the baseline
 * chapter, section "Conformance vectors").
 */
final class DynamicsVectors {

    static final String GRADIENTS = "gradients.json";
    static final String EMPIRICAL_NTK = "empirical-ntk.json";
    static final String GD = "gd-trajectories.json";
    static final String FLOW = "flow.json";
    static final String LINEARIZED = "linearized.json";
    static final String COORDINATES = "coordinates.json";

    private static final double EPS = Math.ulp(1.0);
    private static final double SW = ConformanceVectors.SIGMA_W, SV = ConformanceVectors.SIGMA_V,
            SB = ConformanceVectors.SIGMA_B;
    /** Shapes of the gradient and kernel cases, and of the dynamics cases. */
    static final int D = 3, N = 5, M = 5, DYN_N = 6, DYN_M = 6;
    /** The smallest |pre-activation| of a relu case: far from the kink, so round-off cannot flip relu'. */
    static final double RELU_MARGIN = 0.1;
    /** The steps of gradient descent, and those at which the state is written. */
    static final int STEPS = 20;
    static final int[] SNAPSHOTS = {0, 1, 2, 5, 10, 20};
    /** The times at which the flows are written. */
    static final double[] FLOW_TIMES = {0.0, 0.25, 1.0, 2.5, 5.0};
    /** The error control of the reference flows, and of the runs that measure their error. */
    static final double FLOW_TOL = 1e-12, FLOW_TOL_FINE = 1e-14, FLOW_TOL_USER = 1e-10;

    private DynamicsVectors() {
    }

    /** The six documents, file name to JSON text. */
    static void generate(String version, Map<String, String> files) {
        files.put(GRADIENTS, ConformanceJson.write(gradients(version)));
        files.put(EMPIRICAL_NTK, ConformanceJson.write(empiricalNtk(version)));
        files.put(GD, ConformanceJson.write(trajectories(version)));
        files.put(FLOW, ConformanceJson.write(flows(version)));
        files.put(LINEARIZED, ConformanceJson.write(linearized(version)));
        files.put(COORDINATES, ConformanceJson.write(coordinates(version)));
    }

    // ------------------------------------------------------------------------------------------ presets

    /** The presets of the vectors, by the name of their factory. */
    static final String[] PRESETS = {"ntk", "standard", "meanField", "muP", "initCorrectedMeanField"};

    /** A preset with or without the biases b and c. */
    static Parameterization preset(String name, boolean biases) {
        return switch (name) {
            case "ntk" -> biases ? Parameterization.ntk(SW, SV, SB) : Parameterization.ntk(SW, SV);
            case "standard" -> biases ? Parameterization.standard(SW, SV, SB)
                    : Parameterization.standard(SW, SV, 0.0).withBiases(false, false);
            case "meanField" -> Parameterization.meanField().withBiases(biases, biases);
            case "muP" -> Parameterization.muP().withBiases(biases, biases);
            case "initCorrectedMeanField" -> biases
                    ? Parameterization.golikov(-1, 1, 1).withBiases(true, true).withOffset(Offset.INIT_CORRECTED,
                            Parameterization.golikov(-0.5, 0, 0).withBiases(true, true)).withName("ic-mf")
                    : Parameterization.initCorrectedMeanField();
            default -> throw new IllegalArgumentException("preset: unknown " + name);
        };
    }

    /** The Java expression of a preset, for the file. */
    static String factory(String name, boolean biases) {
        return switch (name) {
            case "ntk" -> biases ? "Parameterization.ntk(" + SW + ", " + SV + ", " + SB + ")"
                    : "Parameterization.ntk(" + SW + ", " + SV + ")";
            case "standard" -> biases ? "Parameterization.standard(" + SW + ", " + SV + ", " + SB + ")"
                    : "Parameterization.standard(" + SW + ", " + SV + ", 0.0).withBiases(false, false)";
            case "meanField", "muP" -> "Parameterization." + name + "()" + (biases ? ".withBiases(true, true)" : "");
            default -> biases ? "Parameterization.golikov(-1, 1, 1).withBiases(true, true).withOffset(INIT_CORRECTED, "
                    + "Parameterization.golikov(-0.5, 0, 0).withBiases(true, true))"
                    : "Parameterization.initCorrectedMeanField()";
        };
    }

    // ------------------------------------------------------------------------------------------ one evaluated net

    /** A net at given parameters on given inputs: pre-activations, outputs, the frozen offsets. */
    record Point(TwoLayerNet net, double[] theta, double[] x, int n, double[] z, double[] f, double[] offset) {

        static Point of(TwoLayerNet net, double[] theta, double[] x, int n) {
            int d = net.inputDimension(), m = net.width();
            double[] z = new double[n * m];
            boolean hasB = net.count(Group.B) > 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double dot = 0;
                    for (int q = 0; q < d; q++) {
                        dot += theta[net.offset(Group.W) + j * d + q] * x[i * d + q];
                    }
                    z[i * m + j] = net.multiplier(Group.W) * dot
                            + (hasB ? net.multiplier(Group.B) * theta[net.offset(Group.B) + j] : 0.0);
                }
            }
            double[] f = new double[n];
            net.outputs(theta, net.batch(x, n, Parallelism.sequential()), f);
            double[] offset = offsets(net, x, n);
            return new Point(net, theta, x, n, z, f, offset);
        }

        double zMax() {
            double max = 0;
            for (double v : z) {
                max = Math.max(max, Math.abs(v));
            }
            return max;
        }

        double zMinAbs() {
            double min = Double.POSITIVE_INFINITY;
            for (double v : z) {
                min = Math.min(min, Math.abs(v));
            }
            return min;
        }

        /** The largest |f| + |offset| scale of the forward sum: |kA| sum_j |a_j sigma(z_ij)| + |kC c| + |g_i|. */
        double[] fScale() {
            int m = net.width();
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < m; j++) {
                    sum += Math.abs(theta[j] * net.activation().value(z[i * m + j]));
                }
                s[i] = Math.abs(net.multiplier(Group.A)) * sum + Math.abs(offset[i])
                        + (net.count(Group.C) > 0 ? Math.abs(net.multiplier(Group.C) * theta[net.offset(Group.C)]) : 0);
            }
            return s;
        }
    }

    /** The frozen offsets g(x_i): the output at theta0 minus the output of the same net without its offset. */
    static double[] offsets(TwoLayerNet net, double[] x, int n) {
        double[] g = new double[n];
        if (net.parameterization().offset() == Offset.NONE) {
            return g;
        }
        double[] theta0 = net.initialParameters();
        TwoLayerNet raw = TwoLayerNet.withInitialParameters(net.inputDimension(), net.width(), net.activation(),
                net.parameterization().withOffset(Offset.NONE, null), theta0);
        double[] with = new double[n], without = new double[n];
        net.outputs(theta0, net.batch(x, n, Parallelism.sequential()), with);
        raw.outputs(theta0, raw.batch(x, n, Parallelism.sequential()), without);
        for (int i = 0; i < n; i++) {
            g[i] = with[i] - without[i];
        }
        return g;
    }

    /**
     * A net of the preset drawn from its initialisation with the first seed from {@code seed} on whose draw every
     * relu pre-activation on x is at least {@link #RELU_MARGIN} from the kink (other activations take the first).
     * The search skips the {@code reserved} seeds: those of the case's other streams (its noise, its batches), so
     * that the initialisation can never replay the numbers of another stream of the same case.
     */
    static TwoLayerNet draw(int d, int m, Activation sigma, Parameterization p, long seed, double[] x, int n,
                            long... reserved) {
        for (long s = seed; s < seed + 10_000; s++) {
            final long candidate = s;
            if (java.util.Arrays.stream(reserved).anyMatch(r -> r == candidate)) {
                continue;
            }
            TwoLayerNet net = TwoLayerNet.initialize(d, m, sigma, p, s);
            if (sigma != Activation.RELU || Point.of(net, net.initialParameters(), x, n).zMinAbs() >= RELU_MARGIN) {
                return net;
            }
        }
        throw new IllegalStateException("no draw keeps the relu pre-activations away from 0");
    }

    // ------------------------------------------------------------------------------------------ tolerances

    // tag::conformance-rounding-tolerance[]
    /*
     * Rounding: every value is a sum of at most `terms` rounded products (d for a
     * pre-activation, m over neurons, n over samples, a few factors), and each factor is a
     * function of a pre-activation z whose relative error the activation amplifies by its
     * condition number, |z sigma'(z)/sigma(z)| or |z sigma''(z)/sigma'(z)|: at most
     * 1 + 2 z^2 for relu, erf, tanh, sigmoid and softplus (2 z^2 is erf's; the logistic loss's
     * is below 1 + |f|). So |error| <= terms * eps * (1 + 2 zmax^2) * scale, with scale the same
     * sum taken in absolute values (written in the case). The tolerance is 10 times that,
     * rounded up to one digit and at least 1e-12: room for libm's erf, tanh and exp (1 or 2 ulp)
     * and another order of summation, while a wrong factor (a missing kW, a dropped 1/n, a
     * sign) is off by O(1).
     */
    static double roundingTolerance(int terms, double zMax) {
        return up(10 * terms * EPS * (1 + 2 * zMax * zMax), 1e-12);
    }
    // end::conformance-rounding-tolerance[]

    /** bound rounded up to one significant digit, at least floor. */
    static double up(double bound, double floor) {
        int exponent = (int) Math.floor(Math.log10(bound));
        double digit = Math.ceil(bound / Math.pow(10, exponent) * (1 - 1e-12));
        // parsed from its decimal form, so that the file shows 3e-9 and not 3.0000000000000004e-9
        return Math.max(floor, Double.parseDouble((int) digit + "e" + exponent));
    }

    /**
     * A measured factor (a growth, a condition number) rounded up to two significant digits. The factors come from
     * differences of nearby runs, which amplify the last-ulp latitude of Math.tanh and Math.exp by about 1e8, so
     * their eighth digit differs between JDK releases; two digits are all the tolerance needs, and they are the
     * same on every runtime, so the committed files are too.
     */
    static double upTwoDigits(double factor) {
        int exponent = (int) Math.floor(Math.log10(factor)) - 1;
        double digits = Math.ceil(factor / Math.pow(10, exponent) * (1 - 1e-9));
        return Double.parseDouble((long) digits + "e" + exponent);
    }

    // ------------------------------------------------------------------------------------------ shared pieces

    static InputSet trainInputs() {
        return ConformanceVectors.gaussian("x", 20240701L, N, D, "");
    }

    static InputSet testInputs() {
        return ConformanceVectors.gaussian("x_test", 20240702L, 3, D, "");
    }

    static double[] squaredTargets(int n, long seed) {
        return ConformanceVectors.rounded(new SplittableRandom(seed), n, 1.0);
    }

    /** Labels +-1: the signs of rounded Gaussian draws. */
    static double[] labels(int n, long seed) {
        double[] y = squaredTargets(n, seed);
        for (int i = 0; i < n; i++) {
            y[i] = y[i] >= 0 ? 1.0 : -1.0;
        }
        return y;
    }

    /** A flat theta (or gradient) by group: a (m), w (m rows of d), b (m) or null, c or null. */
    static Map<String, Object> groups(TwoLayerNet net, double[] theta) {
        int m = net.width(), d = net.inputDimension();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("a", java.util.Arrays.copyOfRange(theta, 0, m));
        g.put("w", ConformanceVectors.rows(java.util.Arrays.copyOfRange(theta, m, m + m * d), m, d));
        g.put("b", net.count(Group.B) > 0
                ? java.util.Arrays.copyOfRange(theta, net.offset(Group.B), net.offset(Group.B) + m) : null);
        g.put("c", net.count(Group.C) > 0 ? theta[net.offset(Group.C)] : null);
        return g;
    }

    /** The evaluated multipliers kA, kW, kB, kC (null for an absent group). */
    static Map<String, Object> multipliers(TwoLayerNet net) {
        Map<String, Object> k = new LinkedHashMap<>();
        for (Group g : Group.values()) {
            k.put("k" + g.name(), net.count(g) > 0 ? net.multiplier(g) : null);
        }
        return k;
    }

    /** The effective rates rho_g (null for an absent group). */
    static Map<String, Object> rates(TwoLayerNet net) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (Group g : Group.values()) {
            r.put(g.symbol(), net.count(g) > 0 ? net.rate(g) : null);
        }
        return r;
    }

    /** The net's description: preset, activation, shape, multipliers, rates. */
    static void putNet(Map<String, Object> c, String preset, boolean biases, TwoLayerNet net) {
        c.put("preset", preset);
        c.put("factory", factory(preset, biases));
        c.put("biases", biases);
        c.put("activation", ConformanceVectors.name(net.activation()));
        c.put("m", net.width());
        c.put("d", net.inputDimension());
        c.put("multipliers", multipliers(net));
        c.put("rates", rates(net));
    }

    static Map<String, Object> conventions(String version, String tolerance) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("software", ConformanceVectors.software(version));
        c.put("regenerate", ConformanceVectors.REGENERATE);
        c.put("network", NETWORK);
        c.put("activations", ACTIVATIONS);
        c.put("loss", LOSS);
        c.put("dynamics", DYNAMICS);
        c.put("parameters", PARAMETERS);
        c.put("numbers", ConformanceVectors.NUMBERS);
        c.put("tolerance", tolerance);
        return c;
    }

    static final String NETWORK = "f(x) = kA sum_{j=1..m} a_j sigma(kW <w_j, x> + kB b_j) + kC c + g(x) (the lazy scale "
            + "is 1 in every case); the case's multipliers are the preset's constants evaluated at its m and d (null: "
            + "the group is absent, so b_j = 0 and c = 0); g(x) is the frozen offset of initCorrectedMeanField (Golikov "
            + "2020's IC-MF: g(x_i) = f_ref(x_i; theta0) - f_MF(x_i; theta0), given in the case as offset, with no "
            + "gradient), 0 for every other preset";

    static final Map<String, Object> ACTIVATIONS = new LinkedHashMap<>();

    static {
        ACTIVATIONS.put("relu", "max(z, 0), relu'(0) = 0; the relu cases keep every pre-activation at least 0.1 from 0 "
                + "(the first seed whose draw does), so relu' is never evaluated near its jump");
        ACTIVATIONS.put("erf", "the error function, erf'(z) = 2/sqrt(pi) exp(-z^2)");
        ACTIVATIONS.put("tanh", "tanh(z), tanh' = 1 - tanh^2");
        ACTIVATIONS.put("sigmoid", "1 / (1 + exp(-z)), sigmoid' = sigmoid (1 - sigmoid)");
        ACTIVATIONS.put("softplus", "log(1 + exp(z)), softplus' = sigmoid");
    }

    static final String LOSS = Conventions.LOSS;

    static final String DYNAMICS = "gradient flow: d theta_g/dt = -rho_g grad_g L for g in {a, w, b, c}, rho_g the "
            + "case's rates; gradient descent: v_g <- mu v_g - eta rho_g grad_g L_B(theta), theta_g <- theta_g + v_g "
            + "(v = 0 at the start; mu = 0 is plain descent; L_B is the loss on the step's mini-batch, the mean over "
            + "its points), at time t = eta k after k steps";

    static final String PARAMETERS = "raw coordinates a, w, b, c (before the multipliers), by group: a has m entries, "
            + "w m rows of d, b m entries or null, c a number or null; gradients have the same layout";

    // ------------------------------------------------------------------------------------------ gradients

    static Map<String, Object> gradients(String version) {
        InputSet x = trainInputs();
        double[] ySquared = squaredTargets(N, 20240703L), yLogistic = labels(N, 20240704L);
        List<Map<String, Object>> cases = new ArrayList<>();
        long seed = 1000;
        for (Activation sigma : Activation.values()) {
            for (String preset : PRESETS) {
                for (boolean biases : new boolean[] {true, false}) {
                    TwoLayerNet net = draw(D, M, sigma, preset(preset, biases), seed, x.x(), N);
                    seed += 10_000;
                    for (Loss loss : Loss.values()) {
                        double[] y = loss == Loss.SQUARED ? ySquared : yLogistic;
                        cases.add(gradientCase(preset, biases, net, loss, x, y));
                    }
                }
            }
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", x.rows());
        inputs.put("y_squared", ySquared);
        inputs.put("y_logistic", yLogistic);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: outputs, loss and gradients by group of a finite two-layer net");
        doc.put("format", "twolayer-gradients/1");
        doc.put("conventions", conventions(version, "per case: |f_impl_i - f_i| <= tolerance * scales.f, |L_impl - L| "
                + "<= tolerance * scales.loss and, for each group g, max |grad_impl_g - grad_g| <= tolerance * "
                + "scales[g]. Each scale is the case's sum taken in absolute values (scales.f: max_i |kA| sum_j |a_j "
                + "sigma(z_ij)| + |kC c| + |g_i|; scales[g]: the gradient's sum over samples with |r_i| + scales.f/n "
                + "for r_i = l'(f_i, y_i)/n), the size of its rounding error; tolerance = 10 terms eps (1 + 2 zmax^2) "
                + "rounded up to one digit, at least 1e-12, with terms = m + n + 2d + 8 and zmax the largest "
                + "|pre-activation|, because each value is a sum of at most that many rounded terms whose factors "
                + "the activation's condition number (at most 1 + 2 z^2) amplifies"));
        doc.put("inputs", inputs);
        doc.put("cases", cases);
        return doc;
    }

    static Map<String, Object> gradientCase(String preset, boolean biases, TwoLayerNet net, Loss loss, InputSet x,
                                            double[] y) {
        double[] theta = net.initialParameters();
        Point p = Point.of(net, theta, x.x(), x.n());
        Batch batch = net.batch(x.x(), x.n(), Parallelism.sequential());
        double[] grad = new double[theta.length];
        double value = net.lossAndGradient(theta, batch, y, loss, grad);
        int n = x.n(), m = net.width(), d = net.inputDimension();
        double[] fScale = p.fScale();
        // the residual weights and their rounding scale: |r_i| + |l''| scales.f_i / n
        double[] rAbs = new double[n];
        double lossScale = 0, fMax = 0;
        for (int i = 0; i < n; i++) {
            rAbs[i] = (Math.abs(loss.derivative(p.f()[i], y[i])) + loss.curvatureBound() * fScale[i]) / n;
            lossScale += (loss.value(p.f()[i], y[i]) + Math.abs(loss.derivative(p.f()[i], y[i])) * fScale[i]) / n;
            fMax = Math.max(fMax, fScale[i]);
        }
        Activation sigma = net.activation();
        double kA = Math.abs(net.multiplier(Group.A)), kW = Math.abs(net.multiplier(Group.W));
        double kB = Math.abs(net.multiplier(Group.B)), kC = Math.abs(net.multiplier(Group.C));
        double sa = 0, sw = 0, sb = 0, sc = 0;
        for (int j = 0; j < m; j++) {
            double ta = 0, tb = 0;
            double[] tw = new double[d];
            for (int i = 0; i < n; i++) {
                double zij = p.z()[i * m + j];
                ta += rAbs[i] * Math.abs(sigma.value(zij));
                tb += rAbs[i] * Math.abs(sigma.derivative(zij));
                for (int q = 0; q < d; q++) {
                    tw[q] += rAbs[i] * Math.abs(sigma.derivative(zij) * x.x()[i * d + q]);
                }
            }
            double aj = Math.abs(theta[j]);
            sa = Math.max(sa, kA * ta);
            sb = Math.max(sb, kA * kB * aj * tb);
            for (double v : tw) {
                sw = Math.max(sw, kA * kW * aj * v);
            }
        }
        for (double r : rAbs) {
            sc += kC * r;
        }
        Map<String, Object> scales = new LinkedHashMap<>();
        scales.put("f", fMax);
        scales.put("loss", lossScale);
        scales.put("a", sa);
        scales.put("w", sw);
        scales.put("b", net.count(Group.B) > 0 ? sb : null);
        scales.put("c", net.count(Group.C) > 0 ? sc : null);
        double fAbsMax = 0;
        for (double v : p.f()) {
            fAbsMax = Math.max(fAbsMax, Math.abs(v));
        }

        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", String.join("/", ConformanceVectors.name(sigma), preset, biases ? "bias" : "no-bias",
                ConformanceVectors.name(loss)));
        putNet(c, preset, biases, net);
        c.put("loss", ConformanceVectors.name(loss));
        c.put("y", loss == Loss.SQUARED ? "y_squared" : "y_logistic");
        c.put("theta", groups(net, theta));
        c.put("offset", p.offset());
        c.put("preactivations", ConformanceVectors.rows(p.z(), n, m));
        c.put("outputs", p.f());
        c.put("loss_value", value);
        c.put("gradient", groups(net, grad));
        c.put("scales", scales);
        c.put("zmax", p.zMax());
        c.put("tolerance", roundingTolerance(m + n + 2 * d + 8, Math.max(p.zMax(), fAbsMax)));
        return c;
    }

    // ------------------------------------------------------------------------------------------ empirical NTK

    static Map<String, Object> empiricalNtk(String version) {
        InputSet x = trainInputs(), test = testInputs();
        List<Map<String, Object>> cases = new ArrayList<>();
        Object[][] picks = {
            {Activation.RELU, "ntk", true}, {Activation.TANH, "standard", true}, {Activation.ERF, "meanField", false},
            {Activation.SIGMOID, "muP", true}, {Activation.SOFTPLUS, "initCorrectedMeanField", false},
        };
        long seed = 5000;
        for (Object[] pick : picks) {
            Activation sigma = (Activation) pick[0];
            String preset = (String) pick[1];
            boolean biases = (Boolean) pick[2];
            double[] both = new double[(x.n() + test.n()) * D];
            System.arraycopy(x.x(), 0, both, 0, x.x().length);
            System.arraycopy(test.x(), 0, both, x.x().length, test.x().length);
            TwoLayerNet net = draw(D, M, sigma, preset(preset, biases), seed, both, x.n() + test.n());
            seed += 10_000;
            cases.add(ntkCase(preset, biases, net, x, test));
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", x.rows());
        inputs.put("x_test", test.rows());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: the empirical neural tangent kernel of a finite net, by group");
        doc.put("format", "twolayer-empirical-ntk/1");
        Map<String, Object> conv = conventions(version, "per case and group g: max |Theta_impl_g - Theta_g| <= "
                + "tolerance * scales[g], scales[g] the case's sum over neurons in absolute values (the size of its "
                + "rounding error); tolerance = 10 (m + d + 8) eps (1 + 2 zmax^2) rounded up to one digit, at least "
                + "1e-12, for the reason given in gradients.json");
        conv.put("kernel", "Theta_g(x, x') = rho_g <df(x)/d theta_g, df(x')/d theta_g> with rho_g the case's rate: "
                + "Theta_a = rho_a kA^2 sum_j sigma(z_j) sigma(z_j'), Theta_w = rho_w kA^2 kW^2 <x, x'> sum_j a_j^2 "
                + "sigma'(z_j) sigma'(z_j'), Theta_b = rho_b kA^2 kB^2 sum_j a_j^2 sigma'(z_j) sigma'(z_j'), Theta_c = "
                + "rho_c kC^2 (0 for an absent group); the NTK is their sum; rows x, columns x_test (k[i][k] = "
                + "Theta(x_i, x_test_k)), and the Gram on x");
        doc.put("conventions", conv);
        doc.put("inputs", inputs);
        doc.put("cases", cases);
        return doc;
    }

    static Map<String, Object> ntkCase(String preset, boolean biases, TwoLayerNet net, InputSet x, InputSet test) {
        double[] theta = net.initialParameters();
        int m = net.width(), d = net.inputDimension();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", String.join("/", ConformanceVectors.name(net.activation()), preset, biases ? "bias" : "no-bias"));
        putNet(c, preset, biases, net);
        c.put("theta", groups(net, theta));
        double zMax = 0;
        for (InputSet[] pair : new InputSet[][] {{x, x}, {x, test}}) {
            InputSet x1 = pair[0], x2 = pair[1];
            EmpiricalNtk.Split split = EmpiricalNtk.gram(net, theta, x1.x(), x1.n(), x2.x(), x2.n(),
                    Parallelism.sequential());
            Point p1 = Point.of(net, theta, x1.x(), x1.n()), p2 = Point.of(net, theta, x2.x(), x2.n());
            zMax = Math.max(zMax, Math.max(p1.zMax(), p2.zMax()));
            Map<String, Object> k = new LinkedHashMap<>();
            double[] scale = new double[4];
            Activation s = net.activation();
            for (int i = 0; i < x1.n(); i++) {
                for (int l = 0; l < x2.n(); l++) {
                    double ss = 0, gg = 0, xx = 0;
                    for (int j = 0; j < m; j++) {
                        double z1 = p1.z()[i * m + j], z2 = p2.z()[l * m + j];
                        ss += Math.abs(s.value(z1) * s.value(z2));
                        gg += Math.abs(theta[j] * theta[j] * s.derivative(z1) * s.derivative(z2));
                    }
                    for (int q = 0; q < d; q++) {
                        xx += Math.abs(x1.x()[i * d + q] * x2.x()[l * d + q]);
                    }
                    double kA2 = sq(net.multiplier(Group.A));
                    scale[0] = Math.max(scale[0], net.rate(Group.A) * kA2 * ss);
                    scale[1] = Math.max(scale[1], net.rate(Group.W) * kA2 * sq(net.multiplier(Group.W)) * xx * gg);
                    scale[2] = Math.max(scale[2], net.count(Group.B) > 0
                            ? net.rate(Group.B) * kA2 * sq(net.multiplier(Group.B)) * gg : 0.0);
                    scale[3] = Math.max(scale[3], net.count(Group.C) > 0
                            ? net.rate(Group.C) * sq(net.multiplier(Group.C)) : 0.0);
                }
            }
            Map<String, Object> scales = new LinkedHashMap<>();
            for (Group g : Group.values()) {
                k.put(g.symbol(), ConformanceVectors.rows(split.group(g), x1.n(), x2.n()));
                scales.put(g.symbol(), scale[g.ordinal()]);
            }
            k.put("total", ConformanceVectors.rows(split.total(), x1.n(), x2.n()));
            scales.put("total", scale[0] + scale[1] + scale[2] + scale[3]);
            k.put("scales", scales);
            c.put(x2 == x ? "gram" : "cross", k);
        }
        c.put("zmax", zMax);
        c.put("tolerance", roundingTolerance(m + d + 8, zMax));
        return c;
    }

    private static double sq(double v) {
        return v * v;
    }

    // ------------------------------------------------------------------------------------------ trajectories

    /** One gradient-descent case: the net, loss, step size, momentum and an optional batch schedule. */
    record DescentCase(String id, String about, String preset, boolean biases, Activation sigma,
                       Function<Parameterization, Parameterization> change, Loss loss, double eta, double momentum,
                       int batchSize, boolean linearized) {
    }

    static InputSet dynamicsInputs() {
        return ConformanceVectors.gaussian("x", 20240711L, DYN_N, D, "");
    }

    static Map<String, Object> trajectories(String version) {
        InputSet x = dynamicsInputs();
        double[] ySquared = squaredTargets(DYN_N, 20240712L), yLogistic = labels(DYN_N, 20240713L);
        List<DescentCase> specs = List.of(
            new DescentCase("plain/tanh/ntk/bias/squared", "plain full-batch gradient descent", "ntk", true,
                    Activation.TANH, p -> p, Loss.SQUARED, 0.5, 0.0, 0, false),
            new DescentCase("momentum/tanh/ntk/bias/squared", "heavy-ball momentum mu = 0.9", "ntk", true,
                    Activation.TANH, p -> p, Loss.SQUARED, 0.2, 0.9, 0, false),
            new DescentCase("rates/erf/ntk/bias/squared", "per-group rates rho = (2, 0.5, 0.25, 1) on the ntk "
                    + "preset's multipliers", "ntk", true, Activation.ERF,
                    p -> p.withRates(Scale.constant(2), Scale.constant(0.5), Scale.constant(0.25), Scale.constant(1)),
                    Loss.SQUARED, 0.5, 0.0, 0, false),
            new DescentCase("minibatch/softplus/standard/bias/squared", "mini-batches of 2 of the 6 points, given in "
                    + "batches (step k uses batches[k]) with momentum mu = 0.5", "standard", true, Activation.SOFTPLUS,
                    p -> p, Loss.SQUARED, 0.05, 0.5, 2, false),
            new DescentCase("plain/relu/ntk/bias/squared", "plain descent with relu; every pre-activation stays at "
                    + "least min_abs_preactivation from 0 along the run, so round-off cannot flip relu'", "ntk", true,
                    Activation.RELU, p -> p, Loss.SQUARED, 0.5, 0.0, 0, false),
            new DescentCase("plain/sigmoid/meanField/no-bias/logistic", "plain descent on the logistic loss at the "
                    + "mean-field rates rho = m", "meanField", false, Activation.SIGMOID, p -> p, Loss.LOGISTIC, 0.5,
                    0.0, 0, false));
        List<Map<String, Object>> cases = new ArrayList<>();
        long seed = 7000;
        for (DescentCase s : specs) {
            cases.add(descentCase(s, x, s.loss() == Loss.SQUARED ? ySquared : yLogistic, seed));
            seed += 10_000;
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", x.rows());
        inputs.put("y_squared", ySquared);
        inputs.put("y_logistic", yLogistic);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: gradient-descent trajectories of a finite two-layer net");
        doc.put("format", "twolayer-gd-trajectories/1");
        doc.put("conventions", trajectoryConventions(version));
        doc.put("inputs", inputs);
        doc.put("cases", cases);
        return doc;
    }

    static Map<String, Object> trajectoryConventions(String version) {
        Map<String, Object> conv = conventions(version, DESCENT_TOLERANCE);
        conv.put("cases", "each case starts at theta0 (velocity 0), takes `steps` steps of size eta with momentum mu "
                + "(and, if batches is not null, step k on the training rows batches[k]), and lists at each snapshot "
                + "the step k, the time t = eta k, the parameters, the outputs on x and the loss on the full training "
                + "set (not the mini-batch's)");
        return conv;
    }

    // tag::conformance-descent-tolerance[]
    static final String DESCENT_TOLERANCE = "at every snapshot: max |theta_impl - theta| <= tolerance * max(1, "
            + "max|theta|) over all parameters, max |f_impl - f| <= tolerance * max(1, max|f|), |L_impl - L| <= "
            + "tolerance * max(1, L). Round-off does not stay put along a trajectory: each step adds its own "
            + "(delta, at most 10 terms eps (1 + 2 zmax^2) relative, as in gradients.json) and carries the earlier "
            + "ones through the step map, which multiplies a perturbation by up to its Lipschitz constant 1 + eta "
            + "rho |lambda_min(Hessian)| on directions of negative curvature (and by |1 - eta rho lambda| <= 1 "
            + "on the stable ones). After K steps the error is at most delta (G_1 + ... + G_K) <= K G delta, with G "
            + "the largest growth of a perturbation over the run. growth is that G, measured: the run repeated "
            + "from theta0 + 1e-8 max(1, max|theta0|) u (u of random signs), the largest distance of the two runs "
            + "(parameters and outputs) over the initial one. tolerance = K G delta, rounded up to one digit, at "
            + "least 1e-12";
    // end::conformance-descent-tolerance[]

    static Map<String, Object> descentCase(DescentCase s, InputSet x, double[] y, long seed) {
        Parameterization p = s.change().apply(preset(s.preset(), s.biases()));
        Dataset data = new Dataset(x.x(), y, x.n(), D);
        int[][] batches = null;
        if (s.batchSize() > 0) {
            SplittableRandom rng = new SplittableRandom(seed + 1);
            batches = new int[STEPS][];
            for (int k = 0; k < STEPS; k++) {
                int[] rows = new int[x.n()];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = i;
                }
                for (int i = 0; i < s.batchSize(); i++) {
                    int pick = i + rng.nextInt(rows.length - i);
                    int t = rows[i];
                    rows[i] = rows[pick];
                    rows[pick] = t;
                }
                batches[k] = java.util.Arrays.copyOf(rows, s.batchSize());
            }
        }
        // relu: the first draw whose whole run keeps its pre-activations RELU_MARGIN / 10 from the kink
        for (long draw = seed; draw < seed + 1000; draw++) {
            // a given schedule's rows come from seed + 1, which the initialisation search must not use
            TwoLayerNet net = batches == null ? draw(D, DYN_M, s.sigma(), p, draw, x.x(), x.n())
                    : draw(D, DYN_M, s.sigma(), p, draw, x.x(), x.n(), seed + 1);
            double[] theta0 = net.initialParameters();
            List<double[]> run = descend(net, data, s, theta0, batches);
            double margin = Double.POSITIVE_INFINITY;
            for (double[] theta : run) {
                margin = Math.min(margin, Point.of(net, theta, x.x(), x.n()).zMinAbs());
            }
            if (s.sigma() == Activation.RELU && margin < RELU_MARGIN / 10) {
                continue;
            }
            return descentDocument(s, net, data, theta0, run, batches, margin);
        }
        throw new IllegalStateException(s.id() + ": no draw keeps the relu pre-activations away from 0");
    }

    /** The parameters after 0..STEPS steps. */
    static List<double[]> descend(TwoLayerNet net, Dataset data, DescentCase s, double[] theta0, int[][] batches) {
        TrainingProblem problem = s.linearized()
                ? LinearizedDynamics.problem(net, data, s.loss(), Parallelism.sequential())
                : new TrainingProblem(net, data, s.loss(), Parallelism.sequential());
        GradientDescent.Config config = new GradientDescent.Config(s.eta(), s.momentum(), s.batchSize(), 0L);
        GradientDescent gd = batches == null ? new GradientDescent(problem, config, theta0)
                : GradientDescent.withBatches(problem, config, theta0, batches);
        List<double[]> run = new ArrayList<>();
        run.add(gd.parameters());
        for (int k = 0; k < STEPS; k++) {
            gd.step();
            run.add(gd.parameters());
        }
        return run;
    }

    static Map<String, Object> descentDocument(DescentCase s, TwoLayerNet net, Dataset data, double[] theta0,
                                               List<double[]> run, int[][] batches, double margin) {
        TrainingProblem problem = s.linearized()
                ? LinearizedDynamics.problem(net, data, s.loss(), Parallelism.sequential())
                : new TrainingProblem(net, data, s.loss(), Parallelism.sequential());
        // the growth of a perturbation along the run
        double scale0 = Math.max(1, maxAbs(theta0)), h = 1e-8 * scale0;
        SplittableRandom signs = new SplittableRandom(42);
        double[] moved = theta0.clone();
        for (int k = 0; k < moved.length; k++) {
            moved[k] += signs.nextBoolean() ? h : -h;
        }
        List<double[]> other = descend(net, data, s, moved, batches);
        double growth = 1, zMax = 0, fMax = 0;
        List<Map<String, Object>> snapshots = new ArrayList<>();
        double[] f = new double[data.n()], fOther = new double[data.n()];
        for (int k = 0; k <= STEPS; k++) {
            double[] theta = run.get(k);
            problem.outputs(theta, problem.batch(), f);
            problem.outputs(other.get(k), problem.batch(), fOther);
            growth = Math.max(growth, Math.max(maxDiff(theta, other.get(k)), maxDiff(f, fOther)) / h);
            zMax = Math.max(zMax, Point.of(net, theta, data.x(), data.n()).zMax());
            fMax = Math.max(fMax, maxAbs(f));
            if (isSnapshot(k)) {
                Map<String, Object> at = new LinkedHashMap<>();
                at.put("step", k);
                at.put("time", k * s.eta());
                at.put("theta", groups(net, theta));
                at.put("outputs", f.clone());
                at.put("loss", problem.loss(theta));
                snapshots.add(at);
            }
        }
        int terms = net.width() + data.n() + 2 * D + 8;
        double delta = 10 * terms * EPS * (1 + 2 * sq(Math.max(zMax, fMax)));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", s.id());
        c.put("description", s.about());
        putNet(c, s.preset(), s.biases(), net);
        c.put("loss", ConformanceVectors.name(s.loss()));
        c.put("y", s.loss() == Loss.SQUARED ? "y_squared" : "y_logistic");
        c.put("eta", s.eta());
        c.put("momentum", s.momentum());
        c.put("steps", STEPS);
        c.put("batch_size", s.batchSize() == 0 ? data.n() : s.batchSize());
        c.put("batches", batches == null ? null : toLists(batches));
        c.put("theta0", groups(net, theta0));
        if (s.sigma() == Activation.RELU) {
            c.put("min_abs_preactivation", margin);
        }
        c.put("zmax", zMax);
        growth = upTwoDigits(growth);
        c.put("growth", growth);
        c.put("tolerance", up(STEPS * growth * delta, 1e-12));
        c.put("snapshots", snapshots);
        return c;
    }

    static boolean isSnapshot(int k) {
        for (int s : SNAPSHOTS) {
            if (s == k) {
                return true;
            }
        }
        return false;
    }

    static List<Object> toLists(int[][] batches) {
        List<Object> out = new ArrayList<>();
        for (int[] b : batches) {
            List<Object> row = new ArrayList<>();
            for (int v : b) {
                row.add(v);
            }
            out.add(row);
        }
        return out;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double maxDiff(double[] u, double[] v) {
        double m = 0;
        for (int i = 0; i < u.length; i++) {
            m = Math.max(m, Math.abs(u[i] - v[i]));
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------ flows

    /** The parameters of a flow at FLOW_TIMES, integrated at the given tolerance. */
    static List<double[]> flow(TrainingProblem problem, double tolerance) {
        List<double[]> states = new ArrayList<>();
        GradientFlow flow = new GradientFlow(problem,
                new GradientFlow.Config(tolerance, tolerance, Double.POSITIVE_INFINITY, 50_000_000));
        flow.run(FLOW_TIMES, state -> states.add(state.theta()));
        return states;
    }

    /** A flow case's document: parameters, outputs and loss at each time, the tolerance from measured errors. */
    static Map<String, Object> flowCase(String id, String about, String preset, boolean biases, TwoLayerNet net,
                                        TrainingProblem problem, String y, InputSet test, double[][] exact) {
        List<double[]> states = flow(problem, FLOW_TOL);
        List<double[]> fine = flow(problem, FLOW_TOL_FINE), user = flow(problem, FLOW_TOL_USER);
        double own = 0, loose = 0, closed = 0;
        List<Map<String, Object>> at = new ArrayList<>();
        int n = problem.batch().size();
        double[] f = new double[n], fFine = new double[n], fUser = new double[n];
        Batch testBatch = net.batch(test.x(), test.n(), Parallelism.sequential());
        for (int k = 0; k < FLOW_TIMES.length; k++) {
            double[] theta = states.get(k);
            double scaleTheta = Math.max(1, maxAbs(theta));
            problem.outputs(theta, problem.batch(), f);
            problem.outputs(fine.get(k), problem.batch(), fFine);
            problem.outputs(user.get(k), problem.batch(), fUser);
            double scaleF = Math.max(1, maxAbs(f));
            own = Math.max(own, Math.max(maxDiff(theta, fine.get(k)) / scaleTheta, maxDiff(f, fFine) / scaleF));
            loose = Math.max(loose, Math.max(maxDiff(theta, user.get(k)) / scaleTheta, maxDiff(f, fUser) / scaleF));
            if (exact != null) {
                closed = Math.max(closed, maxDiff(f, exact[k]) / scaleF);
            }
            double[] fTest = new double[test.n()];
            problem.outputs(theta, testBatch, fTest);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("time", FLOW_TIMES[k]);
            s.put("theta", groups(net, theta));
            s.put("outputs", f.clone());
            s.put("outputs_test", fTest);
            s.put("loss", problem.loss(theta));
            at.add(s);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("description", about);
        putNet(c, preset, biases, net);
        c.put("loss", ConformanceVectors.name(problem.lossFunction()));
        c.put("y", y);
        c.put("theta0", groups(net, net.initialParameters()));
        c.put("times", FLOW_TIMES);
        Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("reference_vs_tol_1e-14", own);
        errors.put("tol_1e-10_vs_reference", loose);
        if (exact != null) {
            errors.put("reference_vs_closed_form", closed);
        }
        c.put("integrator_errors", errors);
        c.put("tolerance", up(10 * Math.max(loose, closed), 1e-9));
        c.put("states", at);
        return c;
    }

    static final String FLOW_TOLERANCE = "at every time: max |theta_impl - theta| <= tolerance * max(1, max|theta|) "
            + "and max |f_impl - f| <= tolerance * max(1, max|f|), on x and on x_test, and |L_impl - L| <= tolerance "
            + "* max(1, L). The reference integrates with twolayer's GradientFlow: Dormand-Prince 8(5,3) "
            + "(commons-math3 DormandPrince853Integrator) with absolute and relative tolerance 1e-12 on every "
            + "coordinate, states at the times from its dense output. integrator_errors gives, in the same relative "
            + "measure, its distance to the same integration at 1e-14 (the reference's own error) and that of an "
            + "integration at 1e-10 (what an implementation running e.g. scipy's solve_ivp(method='DOP853', "
            + "rtol=1e-10, atol=1e-10) should expect). tolerance = 10 times the larger of the latter and, for the "
            + "linearised flow on the squared loss, the reference's distance to the closed form, rounded up to one "
            + "digit, at least 1e-9: it accepts any integrator run at 1e-10 or tighter (or the closed form) and "
            + "rejects Euler steps or a wrong rate, which are off by 1e-3 or more";

    static Map<String, Object> flows(String version) {
        InputSet x = dynamicsInputs(), test = testInputs();
        double[] ySquared = squaredTargets(DYN_N, 20240712L), yLogistic = labels(DYN_N, 20240713L);
        List<Map<String, Object>> cases = new ArrayList<>();
        Object[][] picks = {
            {"tanh/ntk/bias/squared", Activation.TANH, "ntk", true, Loss.SQUARED},
            {"erf/meanField/no-bias/squared", Activation.ERF, "meanField", false, Loss.SQUARED},
            {"softplus/muP/bias/logistic", Activation.SOFTPLUS, "muP", true, Loss.LOGISTIC},
        };
        long seed = 9000;
        for (Object[] pick : picks) {
            Loss loss = (Loss) pick[4];
            double[] y = loss == Loss.SQUARED ? ySquared : yLogistic;
            TwoLayerNet net = draw(D, DYN_M, (Activation) pick[1], preset((String) pick[2], (Boolean) pick[3]), seed,
                    x.x(), x.n());
            seed += 10_000;
            TrainingProblem problem = new TrainingProblem(net, new Dataset(x.x(), y, x.n(), D), loss,
                    Parallelism.sequential());
            cases.add(flowCase((String) pick[0], "gradient flow from theta0", (String) pick[2], (Boolean) pick[3],
                    net, problem, loss == Loss.SQUARED ? "y_squared" : "y_logistic", test, null));
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", x.rows());
        inputs.put("x_test", test.rows());
        inputs.put("y_squared", ySquared);
        inputs.put("y_logistic", yLogistic);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: gradient flow of a finite two-layer net");
        doc.put("format", "twolayer-flow/1");
        Map<String, Object> conv = conventions(version, FLOW_TOLERANCE);
        conv.put("cases", "each case starts at theta0 at t = 0 and lists at each time the parameters, the outputs on "
                + "x and x_test and the loss on the training set");
        doc.put("conventions", conv);
        doc.put("inputs", inputs);
        doc.put("cases", cases);
        return doc;
    }

    // ------------------------------------------------------------------------------------------ linearised model

    static Map<String, Object> linearized(String version) {
        InputSet x = dynamicsInputs(), test = testInputs();
        double[] ySquared = squaredTargets(DYN_N, 20240712L), yLogistic = labels(DYN_N, 20240713L);
        Dataset data = new Dataset(x.x(), ySquared, x.n(), D);
        List<Map<String, Object>> flowCases = new ArrayList<>();
        Object[][] picks = {
            {"relu/ntk/bias/squared", Activation.RELU, "ntk", true},
            {"tanh/meanField/no-bias/squared", Activation.TANH, "meanField", false},
        };
        long seed = 11_000;
        for (Object[] pick : picks) {
            TwoLayerNet net = draw(D, DYN_M, (Activation) pick[1], preset((String) pick[2], (Boolean) pick[3]), seed,
                    x.x(), x.n());
            seed += 10_000;
            TrainingProblem problem = LinearizedDynamics.problem(net, data, Loss.SQUARED, Parallelism.sequential());
            // the closed form on the training set, from the empirical NTK at theta0
            double[] gram = EmpiricalNtk.gram(net, net.initialParameters(), x.x(), x.n(), Parallelism.sequential());
            double[] f0 = new double[x.n()];
            problem.outputs(net.initialParameters(), problem.batch(), f0);
            KernelRegression regression = new KernelRegression(gram, ySquared, f0);
            double[][] exact = new double[FLOW_TIMES.length][];
            for (int k = 0; k < FLOW_TIMES.length; k++) {
                exact[k] = regression.fTrainAt(FLOW_TIMES[k]);
            }
            flowCases.add(flowCase("flow/" + pick[0], "gradient flow of the linearised model from theta0",
                    (String) pick[2], (Boolean) pick[3], net, problem, "y_squared", test, exact));
        }
        List<Map<String, Object>> descentCases = new ArrayList<>();
        DescentCase gd = new DescentCase("descent/erf/ntk/bias/logistic", "gradient descent on the linearised model "
                + "with the logistic loss (no closed form)", "ntk", true, Activation.ERF, p -> p, Loss.LOGISTIC, 0.5,
                0.0, 0, true);
        descentCases.add(descentCase(gd, x, yLogistic, seed));
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", x.rows());
        inputs.put("x_test", test.rows());
        inputs.put("y_squared", ySquared);
        inputs.put("y_logistic", yLogistic);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: the linearised (first-order Taylor) model trained by gradient "
                + "flow and gradient descent");
        doc.put("format", "twolayer-linearized/1");
        Map<String, Object> conv = conventions(version, "flow_cases: " + FLOW_TOLERANCE + ". descent_cases: "
                + DESCENT_TOLERANCE);
        conv.put("model", "f_lin(x; theta) = f(x; theta0) + <df(x; theta0)/d theta, theta - theta0> (Lee et al. 2019, "
                + "eq. (5)); its gradient is J0^T r with the Jacobian J0 at theta0 for ever, r_i = l'(f_lin(x_i), "
                + "y_i)/n; trained by the same flow and descent as the net (conventions.dynamics). outputs are "
                + "f_lin's. On the squared loss the flow has a closed form: with Theta = J0 diag(rho) J0^T the "
                + "empirical NTK at theta0 on x, f_lin(t) = y + exp(-t Theta/n) (f0 - y) on x, theta(t) = theta0 - "
                + "diag(rho) J0^T Theta^+ (I - exp(-t Theta/n)) (f0 - y)");
        doc.put("conventions", conv);
        doc.put("inputs", inputs);
        doc.put("flow_cases", flowCases);
        doc.put("descent_cases", descentCases);
        return doc;
    }

    // ------------------------------------------------------------------------------------------ coordinates

    static Map<String, Object> coordinates(String version) {
        List<Map<String, Object>> presets = new ArrayList<>();
        Object[][] picks = {
            {"ntk", Parameterization.ntk(SW, SV, SB), "Parameterization.ntk(" + SW + ", " + SV + ", " + SB + ")"},
            {"standard", Parameterization.standard(SW, SV, SB),
                "Parameterization.standard(" + SW + ", " + SV + ", " + SB + ")"},
            {"standardWithNtkRates", Parameterization.standardWithNtkRates(SW, SV, SB),
                "Parameterization.standardWithNtkRates(" + SW + ", " + SV + ", " + SB + ")"},
            {"meanField", Parameterization.meanField(), "Parameterization.meanField()"},
            {"muP", Parameterization.muP(), "Parameterization.muP()"},
            {"initCorrectedMeanField", Parameterization.initCorrectedMeanField(),
                "Parameterization.initCorrectedMeanField()"},
            {"golikov-ntk", Parameterization.golikov(-0.5, 0, 0), "Parameterization.golikov(-0.5, 0, 0)"},
            {"golikov-sym-default", Parameterization.golikov(-0.5, 0.5, 0.5), "Parameterization.golikov(-0.5, 0.5, 0.5)"},
            {"golikov-default", Parameterization.golikov(-0.5, 1, 0), "Parameterization.golikov(-0.5, 1, 0)"},
            {"luo-linear", Parameterization.luo(0.5, 0), "Parameterization.luo(0.5, 0)"},
            {"luo-critical", Parameterization.luo(1, 0), "Parameterization.luo(1, 0)"},
            {"luo-condensed", Parameterization.luo(1.75, 0.25), "Parameterization.luo(1.75, 0.25)"},
            {"luo-raw", Parameterization.luoRaw(2.0, 0.5, 0.25), "Parameterization.luoRaw(2.0, 0.5, 0.25)"},
        };
        for (Object[] pick : picks) {
            presets.add(coordinateCase((String) pick[0], (Parameterization) pick[1], (String) pick[2]));
        }
        List<Map<String, Object>> conversions = new ArrayList<>();
        double[][] luoPoints = {{0.5, 0}, {1, 0}, {1.75, 0.25}, {1.5, -0.5}, {0, 1}};
        for (double[] point : luoPoints) {
            LuoCoordinates luo = new LuoCoordinates(point[0], point[1]);
            for (double qTildeW : new double[] {0.0, 1.0}) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("id", "luo(" + point[0] + ", " + point[1] + ") -> golikov(q~_w = " + qTildeW + "), abc");
                c.put("luo", luoMap(luo));
                c.put("q_tilde_w", qTildeW);
                c.put("golikov", golikovMap(luo.toGolikov(qTildeW)));
                c.put("abc", abcMap(luo.toAbc()));
                c.put("regime", ConformanceVectors.name(luo.regime()));
                conversions.add(c);
            }
        }
        double[][] golikovPoints = {{-0.5, 0, 0}, {-1, 1, 1}, {-0.5, 0.5, 0.5}, {-0.75, 0.25, 0.75}, {0.25, -1, 0}};
        for (double[] q : golikovPoints) {
            GolikovExponents g = new GolikovExponents(q[0], q[1], q[2]);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", "golikov(" + q[0] + ", " + q[1] + ", " + q[2] + ") -> luo, abc, region");
            c.put("golikov", golikovMap(g));
            c.put("luo", luoMap(g.toLuo()));
            c.put("abc", abcMap(g.toAbc()));
            c.put("region", ConformanceVectors.name(g.region(1e-9)));
            conversions.add(c);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: width exponents of the parameterisations in Yang and Hu's abc, "
                + "Luo et al.'s (gamma, gamma') and Golikov's (q_sigma, q~_a, q~_w) coordinates");
        doc.put("format", "twolayer-coordinates/1");
        Map<String, Object> conv = new LinkedHashMap<>();
        conv.put("software", ConformanceVectors.software(version));
        conv.put("regenerate", ConformanceVectors.REGENERATE);
        conv.put("network", NETWORK);
        conv.put("scales", "each of the twelve constants kA, kW, kB, kC, sA, sW, sB, sC, rhoA, rhoW, rhoB, rhoC is "
                + "coeff (m / mRef)^(-exponent) d^(-fan_in_exponent)");
        conv.put("abc", "Yang and Hu 2021: a1 = exponent(kW), b1 = exponent(sW), a2 = exponent(kA), b2 = exponent(sA), "
                + "c1 = exponent(rhoW), c2 = exponent(rhoA) (biases ignored)");
        conv.put("luo", "Luo et al. 2021: gamma = a1 + b1 + a2 + b2, gamma' = (a2 + b2) - (a1 + b1) + ((2 a1 + c1) - "
                + "(2 a2 + c2)) / 2; regime: linear if gamma < 1 or gamma' > gamma - 1, condensed if gamma > 1 and "
                + "gamma' < gamma - 1, else critical, with 1e-9 as the width of the boundary; from luo: golikov = "
                + "(-gamma, q~_w + 2 gamma', q~_w) for a chosen q~_w, abc = (0, (gamma - gamma')/2, 0, (gamma + "
                + "gamma')/2, 0, 0)");
        conv.put("golikov", "Golikov 2020: q_sigma = -(a1 + b1 + a2 + b2), q~_a = 2 b2 - c2, q~_w = 2 b1 - c1; A = "
                + "q_sigma + 1/2, B = max(q~_a, q~_w) + 2 q_sigma + 1, C = max(q~_a, q~_w) + q_sigma; to luo: gamma = "
                + "-q_sigma, gamma' = (q~_a - q~_w)/2; to abc: (0, 0, 0, -q_sigma, -q~_w, -2 q_sigma - q~_a); region: "
                + "the map of limits by the signs of A, B, C and C + 1/2 (twolayer.model.GolikovRegion, 1e-9 "
                + "counts as 0): unstable if C > 0, trivial if C < -1/2; on C = 0: post_mf_ray if B < 0, mean_field "
                + "if B = 0, else sym_default_mf_segment, sym_default or pre_sym_default_ray as A <, =, > 0; on C = "
                + "-1/2: post_ntk_ray, ntk or pre_ntk_ray as A <, =, > 0; inside: post_mf_ntk if B < 0, "
                + "mf_ntk_segment if B = 0, else triangle, ntk_sym_default_segment or pre_ntk_sym_default as A <, =, "
                + "> 0");
        conv.put("numbers", ConformanceVectors.NUMBERS);
        conv.put("tolerance", "every exponent to 1e-12 absolute: each is a sum of a few sums of halves and quarters, "
                + "exact in binary, so any implementation gets them to the bit; names compare exactly");
        doc.put("conventions", conv);
        doc.put("presets", presets);
        doc.put("conversions", conversions);
        return doc;
    }

    static Map<String, Object> coordinateCase(String id, Parameterization p, String factory) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("factory", factory);
        c.put("m_ref", p.mRef());
        Map<String, Object> scales = new LinkedHashMap<>();
        String[] names = {"kA", "kW", "kB", "kC", "sA", "sW", "sB", "sC", "rhoA", "rhoW", "rhoB", "rhoC"};
        Scale[] values = {p.kA(), p.kW(), p.kB(), p.kC(), p.sA(), p.sW(), p.sB(), p.sC(), p.rhoA(), p.rhoW(),
            p.rhoB(), p.rhoC()};
        for (int i = 0; i < names.length; i++) {
            scales.put(names[i], new double[] {values[i].coeff(), values[i].exponent(), values[i].fanInExponent()});
        }
        c.put("scales", scales);
        c.put("abc", abcMap(p.abcExponents()));
        LuoCoordinates luo = p.luoCoordinates();
        c.put("luo", luoMap(luo));
        c.put("regime", ConformanceVectors.name(luo.regime()));
        GolikovExponents g = p.golikovExponents();
        c.put("golikov", golikovMap(g));
        c.put("region", ConformanceVectors.name(g.region(1e-9)));
        return c;
    }

    static Map<String, Object> abcMap(twolayer.model.AbcExponents e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a1", e.a1());
        m.put("b1", e.b1());
        m.put("a2", e.a2());
        m.put("b2", e.b2());
        m.put("c1", e.c1());
        m.put("c2", e.c2());
        return m;
    }

    static Map<String, Object> luoMap(LuoCoordinates l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gamma", l.gamma());
        m.put("gamma_prime", l.gammaPrime());
        return m;
    }

    static Map<String, Object> golikovMap(GolikovExponents g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("q_sigma", g.qSigma());
        m.put("q_tilde_a", g.qTildeA());
        m.put("q_tilde_w", g.qTildeW());
        m.put("A", g.a());
        m.put("B", g.b());
        m.put("C", g.c());
        return m;
    }

}
