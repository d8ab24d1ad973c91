package twolayer.chapter.phasediagram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import twolayer.conformance.VectorParts;
import twolayer.model.Group;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * The conformance vector of a tiny phase-diagram run ({@value #FILE}): Luo et al.'s ReLU net on {@link PhaseTask}'s
 * data at three points (gamma, gamma') of the diagram, started from the experiment's own antisymmetric draw (given
 * in the file), trained by {@link PhaseRun#fixedSteps} at a fixed step for a fixed number of steps, with the order
 * parameter RD(theta_w) and the loss at given steps. The tolerance is the rule of gd-trajectories.json (K G delta,
 * G measured), carried to RD through the norm of theta_w(0) (phase-diagram chapter, section "The order parameter
 * and its exponent"; baseline chapter, section "Conformance vectors").
 */
public final class PhaseDiagramVectors {

    /** The file name. */
    public static final String FILE = "phase-diagram.json";

    private static final double EPS = Math.ulp(1.0);
    /** The width of every case (even: the antisymmetric draw pairs the neurons). */
    static final int M = 8;
    /** The steps of every case, and those at which RD and L are written. */
    static final long STEPS = 200;
    static final long[] SNAPSHOTS = {0, 1, 10, 50, 100, 200};
    /**
     * Every pre-activation of every iterate stays this far from relu's kink, and at least 100 times farther than a
     * conforming run's pre-activations may deviate (tolerance S max ||x~||), so round-off cannot flip relu'. Fixed-step
     * descent chatters across a kink where a neuron has settled on one (measured at the condensed point: margins of
     * 1e-6 to 5e-5 along 200 steps), so the margin is not larger.
     */
    static final double RELU_MARGIN = 1e-6;

    /** One case: a point of the diagram, its regime, the step size. */
    record Case(String id, double gamma, double gammaPrime, String regime, double eta) {
    }

    static final List<Case> CASES = List.of(
        new Case("linear/ntk-point", 0.5, 0.0, "linear", 0.05),
        new Case("critical/mean-field-point", 1.0, 0.0, "critical", 0.5),
        new Case("condensed/gamma-1.75", 1.75, 0.0, "condensed", 2.0));

    private PhaseDiagramVectors() {
    }

    /** The document, file name to JSON text. */
    public static Map<String, String> generate(String version) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(FILE, VectorParts.write(document(version)));
        return files;
    }

    static final String RUN = "Luo, Xu, Ma and Zhang's net f(x) = (1/alpha) sum_k a_k relu(<w_k, x~>) on x~ = (x, 1) (the "
            + "bias folded into w: inputs.x already carries the constant 1 as its second column), twolayer's "
            + "Parameterization.luo(gamma, gammaPrime) at width m: alpha = 1, so kA = 1, kW = 1, rates rho_a = rho_w "
            + "= 1; the point (gamma, gamma') sets only the initial scales beta1 = m^(-(gamma + gamma')/2) of a and "
            + "beta2 = m^(-(gamma - gamma')/2) of w, and theta0 is the experiment's antisymmetric draw (pairs (a, w), "
            + "(-a, w), so f(theta0) = 0), given. Step k = 0..steps-1: plain full-batch gradient descent theta_g <- "
            + "theta_g - eta rho_g grad_g L for g in {a, w}, L = (1/2n) sum_i (f(x~_i) - y_i)^2, at the case's fixed "
            + "eta (twolayer.chapter.phasediagram.PhaseRun.fixedSteps; the experiment's own runs adapt the step to "
            + "the curvature, which a replay need not copy). rd_w = RD(theta_w) = ||w(k) - w(0)||_2 / ||w(0)||_2 over "
            + "all m x 2 entries of w (weights and folded biases), the phase diagram's order parameter";

    // tag::conformance-phase-tolerance[]
    static final String TOLERANCE = "at every snapshot: |rd_w_impl - rd_w| <= rd_tolerance and |L_impl - L| <= "
            + "tolerance * max(1, L); after the last step max |theta_impl - theta| <= tolerance * max(1, max|theta|). "
            + "tolerance is the rule of gd-trajectories.json: each step rounds to delta = 10 terms eps (1 + 2 zmax^2) "
            + "relative and the step map carries earlier errors forward, multiplying them by at most the growth G, so "
            + "after K steps the error is at most K G delta: it grows linearly in K where the run contracts "
            + "perturbations (G about 1, the linear and critical points) and with G itself where the run amplifies "
            + "them: at the condensed point the tiny neurons grow by large factors, and a perturbation of theta0 grows "
            + "with them. G is measured (the run repeated from theta0 + 1e-8 max(1, max|theta0|) u, u of random "
            + "signs; the largest distance of the two runs over the initial one). RD divides the error of w by "
            + "||w(0)||, which is small at large gamma - gamma': rd_tolerance = tolerance sqrt(2m) S / ||w(0)|| with S "
            + "= max(1, max|theta|) over the run, plus the norms' own rounding 20 m eps max rd_w; both rounded up to "
            + "one digit, at least 1e-12. Every pre-activation of every iterate stays min_abs_preactivation (at least "
            + "1e-6, and at least 100 times the deviation tolerance S sqrt(2) of a pre-activation that the tolerance "
            + "allows) from relu's kink, so a conforming run takes the same relu' everywhere (fixed-step descent "
            + "chatters across the kink where a neuron settles on one, so the margin can be small); a dropped ||w(0)|| (the absolute distance), RD over a and w together, or a step on w "
            + "without the output weight a_k is off by O(rd_w)";
    // end::conformance-phase-tolerance[]

    static Map<String, Object> document(String version) {
        double[] x = PhaseTask.inputs(), y = PhaseTask.targets();
        List<Map<String, Object>> cases = new ArrayList<>();
        long seed = 91_000;
        for (Case s : CASES) {
            cases.add(phaseCase(s, seed));
            seed += 10_000;
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", VectorParts.rows(x, PhaseTask.N, PhaseTask.D));
        inputs.put("y", y);
        Map<String, Object> conv = VectorParts.conventions(version, TOLERANCE);
        conv.put("phase_diagram", RUN);
        conv.put("data", "PhaseTask: n = 5 points x_i = -1 + i/2 (i = 0..4) with the constant 1 appended, targets "
                + "y_i = f*(x_i), f*(x) = -relu(x) + relu(2(x + 0.3)) - relu(1.5(x - 0.4)) + relu(0.5(x - 0.8)) "
                + "(the phase-diagram chapter's task)");
        conv.put("cases", "each case starts at theta0, takes `steps` steps of size eta, and lists at each snapshot "
                + "the step k, the time t = eta k, rd_w and the loss; theta is the state after the last step");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: the order parameter RD(theta_w) of tiny phase-diagram runs "
                + "(Luo et al.'s ReLU net at the linear, critical and condensed points, fixed step)");
        doc.put("format", "twolayer-phase-diagram/1");
        doc.put("conventions", conv);
        doc.put("inputs", inputs);
        doc.put("cases", cases);
        return doc;
    }

    /** The parameters after every step 0..STEPS from theta0. */
    static List<double[]> states(Parameterization p, double[] theta0, double eta) {
        List<double[]> states = new ArrayList<>();
        for (long k = 0; k <= STEPS; k++) {
            states.add(PhaseRun.fixedSteps(p, theta0, eta, new long[] {k}).theta());
        }
        return states;
    }

    /** min |z| and max |z| over the pre-activations z_ik = kW <w_k, x~_i> of theta. */
    static double[] preactivationRange(TwoLayerNet net, double[] theta) {
        double[] x = PhaseTask.inputs();
        double min = Double.POSITIVE_INFINITY, max = 0;
        int m = net.width(), w = net.offset(Group.W);
        for (int i = 0; i < PhaseTask.N; i++) {
            for (int k = 0; k < m; k++) {
                double z = net.multiplier(Group.W) * (theta[w + 2 * k] * x[2 * i] + theta[w + 2 * k + 1] * x[2 * i + 1]);
                min = Math.min(min, Math.abs(z));
                max = Math.max(max, Math.abs(z));
            }
        }
        return new double[] {min, max};
    }

    /**
     * Whether some neuron is off (z &lt;= 0) on every training point with a residual: at the antisymmetric start
     * f = 0, so the residuals are -y, and such a neuron has zero gradient (x_i &lt;= -0.3, where y = 0, is not
     * enough). A draw with one is a stationary point of that neuron, not a run.
     */
    static boolean hasIdleNeuron(TwoLayerNet net, double[] theta) {
        double[] x = PhaseTask.inputs(), y = PhaseTask.targets();
        int w = net.offset(Group.W);
        for (int k = 0; k < net.width(); k++) {
            boolean on = false;
            for (int i = 0; i < PhaseTask.N; i++) {
                on |= y[i] != 0 && theta[w + 2 * k] * x[2 * i] + theta[w + 2 * k + 1] * x[2 * i + 1] > 0;
            }
            if (!on) {
                return true;
            }
        }
        return false;
    }

    static Map<String, Object> phaseCase(Case s, long seed) {
        Parameterization p = Parameterization.luo(s.gamma(), s.gammaPrime());
        // the first draw without an idle neuron whose whole run keeps its pre-activations RELU_MARGIN from the kink
        for (long draw = seed; draw < seed + 1000; draw++) {
            TwoLayerNet net = PhaseRun.initialNet(p, M, draw);
            double[] theta0 = net.initialParameters();
            if (hasIdleNeuron(net, theta0)) {
                continue;
            }
            List<double[]> run = states(p, theta0, s.eta());
            double margin = Double.POSITIVE_INFINITY, zMax = 0, scale = 1;
            for (double[] theta : run) {
                double[] range = preactivationRange(net, theta);
                margin = Math.min(margin, range[0]);
                zMax = Math.max(zMax, range[1]);
                for (double v : theta) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            if (margin < RELU_MARGIN) {
                continue;
            }
            return document(s, net, theta0, run, margin, zMax, scale, draw);
        }
        throw new IllegalStateException(s.id() + ": no draw keeps the relu pre-activations away from 0");
    }

    static Map<String, Object> document(Case s, TwoLayerNet net, double[] theta0, List<double[]> run, double margin,
                                        double zMax, double scale, long seed) {
        Parameterization p = Parameterization.luo(s.gamma(), s.gammaPrime());
        PhaseRun.Trajectory t = PhaseRun.fixedSteps(p, theta0, s.eta(), SNAPSHOTS);
        // the growth of a perturbation along the run, with the signs of the other vectors' probe
        double h = 1e-8 * Math.max(1, VectorParts.maxAbs(theta0));
        java.util.SplittableRandom signs = new java.util.SplittableRandom(42);
        double[] moved = theta0.clone();
        for (int k = 0; k < moved.length; k++) {
            moved[k] += signs.nextBoolean() ? h : -h;
        }
        List<double[]> other = states(p, moved, s.eta());
        double growth = 1, fMax = 0;
        for (int k = 0; k <= STEPS; k++) {
            growth = Math.max(growth, VectorParts.maxDiff(run.get(k), other.get(k)) / h);
        }
        double[] f = new double[PhaseTask.N];
        for (double[] theta : run) {
            net.outputs(theta, net.batch(PhaseTask.inputs(), PhaseTask.N, twolayer.model.Parallelism.sequential()), f);
            fMax = Math.max(fMax, VectorParts.maxAbs(f));
        }
        int terms = M + PhaseTask.N + 2 * PhaseTask.D + 8;
        double delta = 10 * terms * EPS * (1 + 2 * Math.pow(Math.max(zMax, fMax), 2));
        growth = VectorParts.upTwoDigits(growth);
        double tolerance = VectorParts.up(STEPS * growth * delta, 1e-12);
        if (!(margin >= 100 * tolerance * scale * Math.sqrt(2))) {
            throw new IllegalStateException(s.id() + ": the relu margin " + margin + " is within 100 times the "
                    + "allowed deviation of a pre-activation; the tolerance could not tell a flipped relu' apart");
        }
        int w = net.offset(Group.W), size = net.count(Group.W);
        double w0 = 0, rdMax = 0;
        for (int k = w; k < w + size; k++) {
            w0 += theta0[k] * theta0[k];
        }
        w0 = Math.sqrt(w0);
        for (double rd : t.rdW()) {
            rdMax = Math.max(rdMax, rd);
        }
        double rdTolerance = VectorParts.up(tolerance * Math.sqrt(size) * VectorParts.upTwoDigits(scale) / w0
                + 20 * M * EPS * rdMax, 1e-12);
        List<Map<String, Object>> snapshots = new ArrayList<>();
        for (int i = 0; i < SNAPSHOTS.length; i++) {
            Map<String, Object> at = new LinkedHashMap<>();
            at.put("step", SNAPSHOTS[i]);
            at.put("time", SNAPSHOTS[i] * s.eta());
            at.put("rd_w", t.rdW()[i]);
            at.put("loss", t.loss()[i]);
            snapshots.add(at);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", s.id());
        c.put("description", "the " + s.regime() + " regime's point (gamma, gamma') = (" + s.gamma() + ", "
                + s.gammaPrime() + "), m = " + M + ", eta = " + s.eta() + ", " + STEPS + " steps");
        c.put("gamma", s.gamma());
        c.put("gamma_prime", s.gammaPrime());
        c.put("regime", s.regime());
        c.put("factory", "Parameterization.luo(" + s.gamma() + ", " + s.gammaPrime() + ").withAntisymmetricInit(true)");
        c.put("activation", "relu");
        c.put("m", M);
        c.put("d", PhaseTask.D);
        c.put("alpha", 1.0 / net.multiplier(Group.A));
        c.put("beta1", p.initStd(Group.A).at(M, p.mRef(), PhaseTask.D));
        c.put("beta2", p.initStd(Group.W).at(M, p.mRef(), PhaseTask.D));
        c.put("multipliers", VectorParts.multipliers(net));
        c.put("rates", VectorParts.rates(net));
        c.put("init_seed", seed);
        c.put("loss", "squared");
        c.put("eta", s.eta());
        c.put("steps", STEPS);
        c.put("theta0", VectorParts.groups(net, theta0));
        c.put("min_abs_preactivation", margin);
        c.put("zmax", zMax);
        c.put("growth", growth);
        c.put("tolerance", tolerance);
        c.put("rd_tolerance", rdTolerance);
        c.put("snapshots", snapshots);
        c.put("theta", VectorParts.groups(net, t.theta()));
        return c;
    }
}
