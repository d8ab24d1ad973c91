package twolayer.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import twolayer.data.Dataset;
import twolayer.dynamics.MeanFieldLangevin;
import twolayer.dynamics.TrainingState;
import twolayer.measure.CertifiedBounds;
import twolayer.measure.GibbsCertificate;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * The free-energy record of an MFLD run at each observation (Nitanda, Wu, Suzuki 2022; Chizat 2022; mfld
 * chapter, section "The certified gap"):
 * <pre>
 *   energy = F0(mu) = L + (lambdaA/2) (1/m) sum_j a_j^2 + (lambdaW/2) (1/m) sum_j (||w_j||^2 + b_j^2)
 *   lower  &lt;= F* = min F,   F = F0 + lambda Ent       (the certificate's lower bound)
 *   upper  = F(p_mu) &gt;= F*                          (the free energy of the proximal Gibbs measure)
 * </pre>
 * F(mu) of the particles' empirical measure itself is infinite (Ent of a sum of Diracs), so it is not a column;
 * gap = upper - lower bounds both F(p_mu) - F* and F* - lower. The bound columns exist only where
 * {@link #certificateAbsence} finds that {@link GibbsCertificate} applies, and are NaN at an observation whose
 * loss is so large that the certificate's grid would exceed {@link #MAX_GRID_POINTS} nodes.
 */
public final class FreeEnergyRecorder implements Recorder {

    /**
     * sup sigma'^2 + sup |sigma| sup |sigma''| over the certificate's bounded activations: tanh 1 + 4/(3 sqrt 3)
     * = 1.77, erf 4/pi + 4/sqrt(2 e pi) = 2.24, sigmoid 1/16 + 1/(6 sqrt 3) = 0.16; the largest, rounded up.
     */
    private static final double CURVATURE_CONSTANT = 2.25;

    /** Grid nodes per smallest length scale of the certificate's integrands (see {@link #certificate}). */
    private static final double NODES_PER_SCALE = 10.0;

    /**
     * The certificate's grid is refused beyond this many nodes (about 1 s per observation at n = 100); it
     * grows like sqrt(L/lambda), so only a run with a very small lambda or a huge loss gets there.
     */
    public static final long MAX_GRID_POINTS = 1_000_001;

    private final TwoLayerNet net;
    private final Dataset data;
    private final MeanFieldLangevin.Config mfld;
    private final Optional<String> absence;
    private final List<double[]> rows = new ArrayList<>();

    FreeEnergyRecorder(TrainingRun.Config run, TwoLayerNet net, MeanFieldLangevin.Config mfld) {
        this.net = net;
        this.data = run.data();
        this.mfld = mfld;
        this.absence = certificateAbsence(run.data(), run.activation(), run.parameterization(), run.loss(), mfld);
    }

    /** Whether the certificate applies, so that the bound columns are there. */
    public boolean certified() {
        return absence.isEmpty();
    }

    @Override
    public void observe(TrainingState state) {
        double energy = regularisedEnergy(net, state, mfld);
        if (!certified()) {
            rows.add(new double[] {energy});
            return;
        }
        GibbsCertificate certificate = certificate(net, data, mfld, state.loss());
        if (certificate == null) {
            rows.add(new double[] {energy, Double.NaN, Double.NaN, Double.NaN});
            return;
        }
        CertifiedBounds b = certificate.certify(state.time(), state.theta(), net.width());
        rows.add(new double[] {energy, b.lower(), b.upper(), b.upper() - b.lower()});
    }

    @Override
    public List<String> columns() {
        return certified() ? List.of("energy", "f_star_lower", "f_star_upper", "gap") : List.of("energy");
    }

    @Override
    public List<double[]> rows() {
        return List.copyOf(rows);
    }

    @Override
    public Map<String, Object> end() {
        Map<String, Object> end = new LinkedHashMap<>();
        double[] last = rows.get(rows.size() - 1);
        List<String> names = columns();
        for (int k = 0; k < names.size(); k++) {
            end.put(names.get(k), last[k]);
        }
        return end;
    }

    @Override
    public String summary() {
        double[] last = rows.get(rows.size() - 1);
        return certified() ? ", certified gap " + last[3] : ", energy " + last[0] + " (no certificate)";
    }

    /** run.json's certificate entry: whether the gap columns are there, and why not when they are absent. */
    @Override
    public void describe(RunDescription into) {
        Map<String, Object> certificate = new LinkedHashMap<>();
        certificate.put("applies", certified());
        if (absence.isPresent()) {
            certificate.put("why_absent", "no f_star_lower, f_star_upper, gap columns: the certificate of"
                    + " Nitanda-Wu-Suzuki (2022) and Chizat (2022) is computed here by quadrature over the particle"
                    + " space (a, w) in R^2, and for this run " + absence.get());
        } else {
            certificate.put("columns", "f_star_lower <= F* = min F <= f_star_upper = F(p_mu), the free energy of the"
                    + " proximal Gibbs measure p_mu ~ exp(-(1/lambda) dF0/dmu) of the particles; gap = f_star_upper"
                    + " - f_star_lower bounds F(p_mu) - F* (Nitanda, Wu, Suzuki 2022; Chizat 2022)");
            certificate.put("quadrature", "trapezoidal rule on a uniform w-grid chosen at each observation from its"
                    + " loss so that the Gibbs marginal drops by e^-40 to the grid ends, with a tenth of the integrands'"
                    + " smallest length scale between nodes; NaN bounds where that grid would exceed "
                    + MAX_GRID_POINTS + " nodes");
            certificate.put("uncertified_rows", rows.stream().filter(r -> Double.isNaN(r[3])).count());
        }
        into.section("certificate", certificate);
    }

    /**
     * Why {@link GibbsCertificate} does not apply to an MFLD run, or empty when it does. Its domain: the squared
     * loss, inputs of dimension d = 1 and particles (a, w) of a mean-field net without biases (so that the
     * Gibbs measure's integrals are one-dimensional quadratures), lambda, lambdaA, lambdaW &gt; 0 (the Gibbs measure
     * is Gaussian in a with variance lambda/lambdaA, and lambdaW makes its w-marginal normalisable), and a bounded
     * activation (tanh, erf, sigmoid): with relu or softplus g(w) = (1/n) sum_i r_i sigma(w x_i) grows like |w|,
     * so exp(-Phi/lambda) need not be integrable and no finite grid bounds its tails.
     */
    public static Optional<String> certificateAbsence(Dataset data, Activation activation, Parameterization p,
                                                      Loss loss, MeanFieldLangevin.Config m) {
        List<String> why = new ArrayList<>();
        if (loss != Loss.SQUARED) {
            why.add("it is derived for the squared loss, not " + loss.name().toLowerCase(Locale.ROOT));
        }
        if (data.d() != 1) {
            why.add("its quadrature integrates over a scalar input weight w, so it needs d = 1 (got d = "
                    + data.d() + ")");
        }
        if (activation != Activation.TANH && activation != Activation.ERF && activation != Activation.SIGMOID) {
            why.add("it needs a bounded activation (tanh, erf, sigmoid): with "
                    + activation.name().toLowerCase(Locale.ROOT)
                    + " g(w) grows like |w| and the Gibbs measure exp(-Phi/lambda) need not be integrable");
        }
        if (!(m.lambda() > 0 && m.lambdaA() > 0 && m.lambdaW() > 0)) {
            why.add("it needs lambda, lambdaA, lambdaW > 0 (got " + m.lambda() + ", " + m.lambdaA() + ", "
                    + m.lambdaW() + "): the Gibbs measure has variance lambda/lambdaA in a, and lambdaW makes it"
                    + " normalisable in w");
        }
        if (p.hiddenBias() || !p.isMeanField()) {
            why.add("it needs the mean-field net f = (1/m) sum_j a_j sigma(w_j x) without biases, at the mean-field"
                    + " rates rho = m (got " + p.name() + ")");
        }
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }

    /** F0 = L + (lambdaA/2) (1/m) sum_j a_j^2 + (lambdaW/2) (1/m) sum_j (||w_j||^2 + b_j^2): MFLD's prior. */
    public static double regularisedEnergy(TwoLayerNet net, TrainingState state, MeanFieldLangevin.Config c) {
        double[] theta = state.theta();
        double sumA2 = squares(net, theta, Group.A), sumW2 = squares(net, theta, Group.W)
                + squares(net, theta, Group.B);
        int m = net.width();
        return state.loss() + c.lambdaA() / 2 * sumA2 / m + c.lambdaW() / 2 * sumW2 / m;
    }

    private static double squares(TwoLayerNet net, double[] theta, Group g) {
        double s = 0.0;
        for (int k = net.offset(g), end = k + net.count(g); k < end; k++) {
            s += theta[k] * theta[k];
        }
        return s;
    }

    // tag::run-certificate-grid[]
    /**
     * The certificate of a state with loss L on a grid chosen from L, or null if that grid would
     * have more than {@link #MAX_GRID_POINTS} nodes.
     */
    public static GibbsCertificate certificate(TwoLayerNet net, Dataset data, MeanFieldLangevin.Config c,
                                               double loss) {
        double lambda = c.lambda(), lambdaA = c.lambdaA(), lambdaW = c.lambdaW();
        double xMax = 0.0;
        for (double xi : data.x()) {
            xMax = Math.max(xMax, Math.abs(xi));
        }
        // The Gibbs marginal is log p(w) = g(w)^2/(2 lambda lambdaA) - lambdaW w^2/(2 lambda) + C
        // with g(w) = (1/n) sum_i r_i sigma(w x_i), and |g| <= sqrt(2L) for |sigma| <= 1.
        // Half-width: log p(0) >= C and log p(wMax) <= L/(lambda lambdaA)
        // - lambdaW wMax^2/(2 lambda) + C, so this wMax puts the ends at least drop below the peak
        double drop = GibbsCertificate.EDGE_DROP + 4;
        double wMax = Math.sqrt((2 * lambda * drop + 2 * loss / lambdaA) / lambdaW);
        // Spacing: |(log p)''| <= lambdaW/lambda + (g'^2 + |g g''|)/(lambda lambdaA) <= kappa,
        // and the features sigma(w x_i) vary on the scale 1/xMax: a tenth of the smaller scale
        double kappa = lambdaW / lambda
                + CURVATURE_CONSTANT * 2 * loss * xMax * xMax / (lambda * lambdaA);
        double scale = 1 / Math.sqrt(kappa);
        if (xMax > 0) {
            scale = Math.min(scale, 1 / xMax);
        }
        double half = Math.ceil(wMax / (scale / NODES_PER_SCALE));
        if (!(2 * half + 1 <= MAX_GRID_POINTS)) {
            return null;
        }
        int points = (int) Math.max(101, 2 * half + 1);
        return GibbsCertificate.forNet(net, data, lambda, lambdaA, lambdaW, wMax, points);
    }
    // end::run-certificate-grid[]
}
