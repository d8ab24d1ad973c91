package twolayer.kernel;

import twolayer.model.Activation;
import twolayer.model.Parallelism;

/**
 * The infinite-width NNGP and NTK of the ntk preset (model chapter, section "Parameterisations"), the
 * m -&gt; infinity limits of the
 * output covariance at initialisation and of {@link EmpiricalNtk#gram} for
 * {@code Parameterization.ntk(sigmaW, sigmaV, sigmaB)} (or {@code ntk(sigmaW, sigmaV)} without biases):
 * <pre>
 *   q(x, x')    = kW^2 &lt;x, x'&gt; + sigmaB^2,   kW = sigmaW / sqrt(d) (fan-in scaling) or sigmaW (none)
 *   (u, v)      ~ N(0, [[q11, q12], [q12, q22]]),   q11 = q(x, x), q12 = q(x, x'), q22 = q(x', x')
 *   Sigma       = E sigma(u) sigma(v),   SigmaDot = E sigma'(u) sigma'(v)
 *   NNGP(x, x') = sigmaV^2 Sigma + sigmaB^2
 *   NTK(x, x')  = NNGP + sigmaV^2 SigmaDot q12
 *               = Theta_a + Theta_w + Theta_b + Theta_c with
 *                 sigmaV^2 Sigma, sigmaV^2 SigmaDot kW^2 &lt;x, x'&gt;, sigmaV^2 SigmaDot sigmaB^2, sigmaB^2
 * </pre>
 * (sigmaB^2 terms only with biases; Jacot, Gabriel, Hongler 2018; Lee et al. 2019; neural-tangents'
 * {@code stax.serial(Dense(m, W_std, b_std), sigma, Dense(1, W_std=sigmaV, b_std))}).
 *
 * <p>Sigma and SigmaDot (the "dual activation" of sigma) in closed form:
 * <ul>
 *   <li>relu, the arc-cosine kernel of degree 1 and 0 (Cho and Saul 2009), with theta the angle between the
 *       pre-activations: Sigma = (sqrt(q11 q22 - q12^2) + (pi - theta) q12) / (2 pi), SigmaDot = (pi - theta) / (2 pi);</li>
 *   <li>erf, the arcsine kernel (Williams 1997), with D = (1 + 2 q11)(1 + 2 q22) - 4 q12^2:
 *       Sigma = (2/pi) atan2(2 q12, sqrt D), SigmaDot = (4/pi) / sqrt D;</li>
 *   <li>tanh, sigmoid, softplus: 2-D Gauss-Hermite quadrature ({@link GaussHermite}) of both expectations, with
 *       the degree 256 max(q11, q22) (a power of two in [32, 2048], see {@link #quadratureDegree}): accurate to
 *       round-off for variances up to 8; beyond, the error grows like 1e4 exp(-pi sqrt(2048 / q)): for tanh, the
 *       worst case, measured ~5e-12 of the scale at q = 16, 6e-8 at q = 32 and 7e-4 at q = 100 (the NTK at nearly
 *       parallel inputs); the sigmoid stays below 3e-9 at q = 100.</li>
 * </ul>
 *
 * <p>Numerics. theta = atan2(sqrt(q11 q22 - q12^2), q12), where the square root is computed from the inputs as
 * |xt| |xt'| sin(theta) with sin(theta) = |e - e'| |e + e'| / 2 for the unit vectors e, e' of the augmented inputs
 * xt = (kW x, sigmaB): the direct difference q11 q22 - q12^2 cancels to an absolute error ~ eps q11 q22, which is an
 * error ~ sqrt(eps) = 1.5e-8 in theta for (anti)parallel inputs; the half-angle norms keep it at ~ eps.
 * For erf, D = 1 + 2 q11 + 2 q22 + 4 (q11 q22 - q12^2) has no cancellation either.
 *
 * <p>Extreme scales. Inputs, sigmaW, sigmaV and sigmaB are any finite doubles, but the q's are squares of norms:
 * |xt| = 1e155 already makes q11 = 1e310 overflow to infinity (and the erf kernel then came out as atan2(q12, inf) =
 * 0 instead of its true value), and |xt| = 1e-170 makes it underflow to 0 (read as a zero vector). Pairs whose
 * inputs and constants all lie in [1e-60, 1e60] (or are 0) are computed as above, where every intermediate stays
 * within 1e-240..1e240 and nothing overflows or underflows; any other pair goes through {@link #scaledPair}, which
 * carries every norm as a mantissa and a power of two, |xt| = rho 2^E with rho in [1, sqrt(dim + 1)], and works
 * with the unit vectors e, e' (cos theta = &lt;e, e'&gt;, sin theta as above):
 * <pre>
 *   q12 = r r' cos,   sqrt(q11 q22 - q12^2) = r r' sin,   relu: Sigma = r r' (sin + (pi - theta) cos) / (2 pi)
 *   erf:  D = 1 + 2 r^2 + 2 r'^2 + 4 r^2 r'^2 sin^2   (each term a mantissa and an exponent, summed at the largest),
 *         Sigma = (2/pi) atan2(2 r r' cos, sqrt D),   SigmaDot q12 = (4/pi) r r' cos / sqrt D
 * </pre>
 * so a result is an overflow only when the kernel value itself is beyond a double (sigmaV^2 q or sigmaB^2 above
 * 1.8e308): then the matrix functions throw an IllegalArgumentException naming the entry; they never return NaN or
 * infinity. For large r the erf kernel tends to (2/pi) arcsin(cos theta), e.g. 1/2 at 45 degrees, and its NTK on
 * the diagonal to 1 + (2/pi) sigmaV^2 r. tanh, sigmoid and softplus get the q's from the same scaled form;
 * their quadrature needs the q's themselves to be finite, so a variance above 1.8e308 is refused (and the
 * quadrature error grows long before, see above).
 *
 * <p>Zero vectors. If an augmented input is 0 (x = 0 without biases or with sigmaB = 0), its pre-activation is
 * u = 0 almost surely. Then Sigma = sigma(0) E sigma(v) and SigmaDot = sigma'(0) E sigma'(v), which is what the
 * finite net computes. For relu both are 0 (relu(0) = 0 and relu'(0) = 0, the convention of {@link Activation});
 * neural-tangents instead takes theta = pi/2 there, so its SigmaDot is 1/4, but the NTK agrees, since SigmaDot is
 * then multiplied by q12 = 0 and sigmaB = 0. For erf the closed form is continuous and already gives these limits.
 *
 * <p>Matrices are row-major {@code double[]}; x1 is (n1, d), x2 is (n2, d), the kernel (n1, n2). Every entry is
 * computed independently of the others, so a result does not depend on the thread count; the inner loops
 * allocate nothing.
 *
 * @see <a href="../../../ntk.html#analytic-kernels">the NTK chapter</a>
 */
public final class AnalyticKernels {

    /** Which kernel: the neural tangent kernel or the Gaussian-process kernel of the outputs at initialisation. */
    public enum Kind { NTK, NNGP }

    /**
     * What to compute: the activation, the kind of kernel and the ntk-preset constants.
     *
     * @param activation   the activation sigma
     * @param kind         NTK or NNGP
     * @param sigmaW       input-weight scale (finite, &gt;= 0)
     * @param sigmaV       output-weight scale (finite, &gt;= 0)
     * @param sigmaB       bias scale (finite, &gt;= 0), or null for a net without biases
     * @param fanInScaling whether kW = sigmaW / sqrt(d) (the ntk preset, neural-tangents) or kW = sigmaW
     */
    public record Options(Activation activation, Kind kind, double sigmaW, double sigmaV, Double sigmaB,
                          boolean fanInScaling) {

        public Options {
            if (activation == null) {
                throw new IllegalArgumentException("activation: must be given (relu, erf, tanh, sigmoid, softplus)");
            }
            if (kind == null) {
                throw new IllegalArgumentException("kind: must be given (NTK or NNGP)");
            }
            requireScale("sigmaW", sigmaW);
            requireScale("sigmaV", sigmaV);
            if (sigmaB != null) {
                requireScale("sigmaB", sigmaB);
            }
        }

        private static void requireScale(String field, double value) {
            if (!Double.isFinite(value) || value < 0) {
                throw new IllegalArgumentException(field + ": must be finite and >= 0, got " + value);
            }
        }

        /** The NTK of {@code Parameterization.ntk(sigmaW, sigmaV, sigmaB)} (fan-in scaling, with biases). */
        public static Options ntk(Activation activation, double sigmaW, double sigmaV, double sigmaB) {
            return new Options(activation, Kind.NTK, sigmaW, sigmaV, sigmaB, true);
        }

        /** The NTK of {@code Parameterization.ntk(sigmaW, sigmaV)} (fan-in scaling, no biases). */
        public static Options ntk(Activation activation, double sigmaW, double sigmaV) {
            return new Options(activation, Kind.NTK, sigmaW, sigmaV, null, true);
        }

        /** The same options for another kind of kernel. */
        public Options withKind(Kind k) {
            return new Options(activation, k, sigmaW, sigmaV, sigmaB, fanInScaling);
        }

        /** The same options with or without the fan-in factor 1/sqrt(d). */
        public Options withFanInScaling(boolean on) {
            return new Options(activation, kind, sigmaW, sigmaV, sigmaB, on);
        }

        /** Whether the net has biases (sigmaB given). */
        public boolean biases() {
            return sigmaB != null;
        }

        /** The input-weight multiplier kW at input dimension d. */
        public double inputScale(int d) {
            return fanInScaling ? sigmaW / Math.sqrt(d) : sigmaW;
        }

        /** sigmaB^2, or 0 without biases. */
        double biasVariance() {
            return sigmaB == null ? 0.0 : sigmaB * sigmaB;
        }
    }

    /** Sigma = E sigma(u) sigma(v) and SigmaDot = E sigma'(u) sigma'(v) for one covariance. */
    public record Dual(double sigma, double sigmaDot) {}

    private static final double TWO_PI = 2 * Math.PI;

    private AnalyticKernels() {
    }

    // ------------------------------------------------------------------------------------------ kernels

    /** The kernel k(x1_i, x2_k), (n1, n2) row-major; x1 is (n1, d), x2 is (n2, d). */
    public static double[] matrix(Options o, int d, double[] x1, int n1, double[] x2, int n2, Parallelism parallelism) {
        double[] out = new double[n1 * n2];
        compute(o, d, x1, n1, x2, n2, parallelism, false, out, null);
        return out;
    }

    /** The Gram k(x_i, x_k), (n, n) row-major and exactly symmetric; x is (n, d). */
    public static double[] matrix(Options o, int d, double[] x, int n, Parallelism parallelism) {
        double[] out = new double[n * n];
        compute(o, d, x, n, x, n, parallelism, true, out, null);
        return out;
    }

    /** The kernel of one pair of inputs of the same dimension. */
    public static double kernel(Options o, double[] x, double[] xPrime) {
        if (x == null || xPrime == null || x.length != xPrime.length) {
            throw new IllegalArgumentException("xPrime: must have the dimension of x ("
                    + (x == null ? "null" : x.length) + "), got " + (xPrime == null ? "null" : xPrime.length));
        }
        return matrix(o, x.length, x, 1, xPrime, 1, Parallelism.sequential())[0];
    }

    /**
     * The infinite-width limit of each group's block of the empirical NTK ({@link EmpiricalNtk.Split}):
     * Theta_a = sigmaV^2 Sigma, Theta_w = sigmaV^2 SigmaDot kW^2 &lt;x, x'&gt;, Theta_b = sigmaV^2 SigmaDot sigmaB^2,
     * Theta_c = sigmaB^2 (the kind of the options is ignored).
     */
    public static EmpiricalNtk.Split ntkByGroup(Options o, int d, double[] x1, int n1, double[] x2, int n2,
                                                Parallelism parallelism) {
        double[] groups = new double[4 * n1 * n2];
        compute(o, d, x1, n1, x2, n2, parallelism, false, null, groups);
        int size = n1 * n2;
        return new EmpiricalNtk.Split(n1, n2, java.util.Arrays.copyOfRange(groups, 0, size),
                java.util.Arrays.copyOfRange(groups, size, 2 * size), java.util.Arrays.copyOfRange(groups, 2 * size, 3 * size),
                java.util.Arrays.copyOfRange(groups, 3 * size, 4 * size));
    }

    /**
     * Sigma and SigmaDot for a covariance given by its entries (q11, q22 &gt;= 0, q12^2 &lt;= q11 q22). The
     * determinant q11 q22 - q12^2 is evaluated exactly for these doubles (products split with fma), so the result is
     * as accurate as the q's themselves; computed from inputs, {@link #matrix} is more accurate for (anti)parallel
     * inputs, whose q's already carry the rounding of the inner products.
     */
    public static Dual dual(Activation activation, double q11, double q12, double q22) {
        if (activation == null) {
            throw new IllegalArgumentException("activation: must be given");
        }
        if (!(q11 >= 0) || !Double.isFinite(q11)) {
            throw new IllegalArgumentException("q11: must be finite and >= 0, got " + q11);
        }
        if (!(q22 >= 0) || !Double.isFinite(q22)) {
            throw new IllegalArgumentException("q22: must be finite and >= 0, got " + q22);
        }
        if (!Double.isFinite(q12)) {
            throw new IllegalArgumentException("q12: must be finite, got " + q12);
        }
        double p = q11 * q22, pe = Math.fma(q11, q22, -p);
        double s = q12 * q12, se = Math.fma(q12, q12, -s);
        double det = (p - s) + (pe - se);
        if (det < -8 * Math.ulp(p)) {
            throw new IllegalArgumentException("q12: must satisfy q12^2 <= q11 q22 (a covariance), got q11=" + q11
                    + ", q12=" + q12 + ", q22=" + q22);
        }
        double[] out = new double[2];
        dual(activation, q11, q12, q22, Math.sqrt(Math.max(det, 0.0)), out);
        return new Dual(out[0], out[1]);
    }

    // ------------------------------------------------------------------------------------------ the pair loop

    /**
     * Fills {@code out} (n1, n2) with the kernel, or {@code groups} (4, n1, n2) with the four NTK blocks.
     * With {@code symmetric} (x1 == x2) only k &gt;= i is computed and mirrored.
     */
    private static void compute(Options o, int d, double[] x1, int n1, double[] x2, int n2, Parallelism parallelism,
                                boolean symmetric, double[] out, double[] groups) {
        if (o == null) {
            throw new IllegalArgumentException("options: must be given");
        }
        if (parallelism == null) {
            throw new IllegalArgumentException("parallelism: must be given");
        }
        if (d < 1) {
            throw new IllegalArgumentException("d: input dimension must be >= 1, got " + d);
        }
        checkInputs(x1, n1, d, "x1");
        checkInputs(x2, n2, d, "x2");
        if ((long) n1 * n2 * (groups == null ? 1 : 4) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n1, n2: an n1*n2 kernel (" + n1 + "*" + n2 + ") does not fit one array");
        }
        double kW = o.inputScale(d), kW2 = kW * kW, b2 = o.biasVariance(), sV2 = o.sigmaV() * o.sigmaV();
        boolean ntk = o.kind() == Kind.NTK;
        Activation sigma = o.activation();
        int dim = o.biases() ? d + 1 : d;
        // Which rows the direct formulas may take (see "Extreme scales"); the others get scaled norms
        boolean constantsPlain = plain(kW) && plain(o.sigmaV()) && (!o.biases() || plain(o.sigmaB()));
        boolean[] plain1 = plainRows(constantsPlain, x1, n1, d);
        boolean[] plain2 = symmetric ? plain1 : plainRows(constantsPlain, x2, n2, d);
        double[] e1 = new double[n1 * dim], r1 = new double[n1];
        augment(o, kW, d, x1, n1, e1, r1, plain1);
        double[] e2 = symmetric ? e1 : new double[n2 * dim], r2 = symmetric ? r1 : new double[n2];
        if (!symmetric) {
            augment(o, kW, d, x2, n2, e2, r2, plain2);
        }
        // Any row that is not plain (its norm left [1e-60, 1e60], or the constants are not plain): scaled norms of
        // every row of both operands, since a plain row paired with one that is not goes the scaled way too
        boolean scaled = !allTrue(plain1) || !allTrue(plain2);
        Scaled s1 = scaled ? Scaled.of(o, kW, d, x1, n1, dim) : null;
        Scaled s2 = symmetric ? s1 : scaled ? Scaled.of(o, kW, d, x2, n2, dim) : null;
        long pairCost = d + dim + (sigma == Activation.RELU || sigma == Activation.ERF ? 20 : 20_000);
        int size = n1 * n2;
        parallelism.forEachChunk(n1, 4, n2 * pairCost, (from, to) -> {
            double[] dual = new double[2], geo = new double[5], tm = new double[TERMS];
            int[] te = new int[TERMS];
            for (int i = from; i < to; i++) {
                for (int k = symmetric ? i : 0; k < n2; k++) {
                    if (!plain1[i] || !plain2[k]) {
                        scaledPair(sigma, o, s1, i, s2, k, d, dim, tm, te);
                        if (out != null) {
                            double value = ntk ? sumScaled(tm, te, A, Q, C) : sumScaled(tm, te, A, C);
                            out[i * n2 + k] = value;
                            if (symmetric) {
                                out[k * n2 + i] = value;
                            }
                        } else {
                            int at = i * n2 + k;
                            groups[at] = sumScaled(tm, te, A);
                            groups[size + at] = sumScaled(tm, te, W);
                            groups[2 * size + at] = sumScaled(tm, te, B);
                            groups[3 * size + at] = sumScaled(tm, te, C);
                        }
                        continue;
                    }
                    geometry(x1, i, x2, k, d, e1, r1, e2, r2, dim, kW2, b2, geo);
                    double q11 = geo[0], q12 = geo[1], q22 = geo[2], sq = geo[3], dot = geo[4];
                    dual(sigma, q11, q12, q22, sq, dual);
                    // tag::kernel-analytic-assemble[]
                    // Assemble: NNGP = sigmaV^2 Sigma + sigmaB^2, NTK = NNGP + sigmaV^2 SigmaDot q12
                    double nngp = sV2 * dual[0] + b2;
                    if (out != null) {
                        double value = ntk ? nngp + sV2 * dual[1] * q12 : nngp;
                        out[i * n2 + k] = value;
                        if (symmetric) {
                            out[k * n2 + i] = value;
                        }
                    } else {
                        int at = i * n2 + k;
                        groups[at] = sV2 * dual[0];                          // Theta_a
                        groups[size + at] = sV2 * dual[1] * kW2 * dot;       // Theta_w
                        groups[2 * size + at] = sV2 * dual[1] * b2;          // Theta_b
                        groups[3 * size + at] = b2;                          // Theta_c
                    }
                    // end::kernel-analytic-assemble[]
                }
            }
        });
        requireFinite(out != null ? out : groups, n1, n2, o);
    }

    /**
     * geo = {q11, q12, q22, sqrt(q11 q22 - q12^2), &lt;x, x'&gt;} for row i of x1 and row k of x2, given the unit
     * augmented rows e and their norms r ({@link #augment}).
     */
    // tag::kernel-analytic-angle[]
    private static void geometry(double[] x1, int i, double[] x2, int k, int d,
                                 double[] e1, double[] r1, double[] e2, double[] r2, int dim,
                                 double kW2, double b2, double[] geo) {
        // Covariance: q12 = kW^2 <x, x'> + sigmaB^2, q11 = |xt|^2, q22 = |xt'|^2
        double dot = 0.0;
        for (int q = 0; q < d; q++) {
            dot += x1[i * d + q] * x2[k * d + q];
        }
        // sqrt(q11 q22 - q12^2) = |xt| |xt'| sin(theta), sin(theta) = |e - e'| |e + e'| / 2
        double diff2 = 0.0, sum2 = 0.0;
        for (int q = 0; q < dim; q++) {
            double a = e1[i * dim + q], b = e2[k * dim + q];
            diff2 += (a - b) * (a - b);
            sum2 += (a + b) * (a + b);
        }
        geo[0] = r1[i] * r1[i];
        geo[1] = kW2 * dot + b2;
        geo[2] = r2[k] * r2[k];
        geo[3] = r1[i] * r2[k] * 0.5 * Math.sqrt(diff2 * sum2);
        geo[4] = dot;
    }
    // end::kernel-analytic-angle[]

    /** {q11, q12, q22, sqrt(q11 q22 - q12^2)} of one pair, computed exactly as in the kernel matrices. */
    static double[] geometry(Options o, double[] x, double[] xPrime) {
        int d = x.length, dim = o.biases() ? d + 1 : d;
        double kW = o.inputScale(d);
        double[] e1 = new double[dim], r1 = new double[1], e2 = new double[dim], r2 = new double[1];
        augment(o, kW, d, x, 1, e1, r1);
        augment(o, kW, d, xPrime, 1, e2, r2);
        double[] geo = new double[5];
        geometry(x, 0, xPrime, 0, d, e1, r1, e2, r2, dim, kW * kW, o.biasVariance(), geo);
        return java.util.Arrays.copyOf(geo, 4);
    }

    /** Unit vectors e_i = xt_i / |xt_i| of the augmented inputs xt_i = (kW x_i, sigmaB), (n, dim), and r_i = |xt_i|. */
    private static void augment(Options o, double kW, int d, double[] x, int n, double[] e, double[] r) {
        boolean[] all = new boolean[n];
        java.util.Arrays.fill(all, true);
        augment(o, kW, d, x, n, e, r, all);
    }

    /**
     * {@link #augment} of the rows marked plain; a row whose norm turns out outside [1e-60, 1e60] (other than 0) is
     * unmarked, for {@link Scaled} to redo.
     */
    private static void augment(Options o, double kW, int d, double[] x, int n, double[] e, double[] r,
                                boolean[] plain) {
        int dim = e.length / n;
        for (int i = 0; i < n; i++) {
            if (!plain[i]) {
                continue;
            }
            augmentRow(o, kW, d, x, i, dim, e, r);
            plain[i] = plain(r[i]);
        }
    }

    private static void augmentRow(Options o, double kW, int d, double[] x, int i, int dim, double[] e, double[] r) {
        {
            double scale = 0.0;
            for (int q = 0; q < d; q++) {
                e[i * dim + q] = kW * x[i * d + q];
                scale = Math.max(scale, Math.abs(e[i * dim + q]));
            }
            if (dim > d) {
                e[i * dim + d] = o.sigmaB();
                scale = Math.max(scale, o.sigmaB());
            }
            if (scale == 0.0) {
                r[i] = 0.0;                  // a zero vector: e_i = 0 (see the zero-vector convention)
                return;
            }
            double sum = 0.0;               // |xt|^2 / scale^2, free of overflow and underflow
            for (int q = 0; q < dim; q++) {
                double t = e[i * dim + q] / scale;
                sum += t * t;
            }
            r[i] = scale * Math.sqrt(sum);
            for (int q = 0; q < dim; q++) {
                e[i * dim + q] /= r[i];
            }
        }
    }

    // ------------------------------------------------------------------------------------------ extreme scales

    /** Limits of the direct formulas: a value in [PLAIN_MIN, PLAIN_MAX] squared twice stays far inside a double. */
    private static final double PLAIN_MIN = 1e-60, PLAIN_MAX = 1e60;

    private static boolean allTrue(boolean[] flags) {
        for (boolean f : flags) {
            if (!f) {
                return false;
            }
        }
        return true;
    }

    /** 0 or a magnitude in [1e-60, 1e60]: a product of four such values neither overflows nor underflows. */
    private static boolean plain(double v) {
        double a = Math.abs(v);
        return a == 0.0 || (a >= PLAIN_MIN && a <= PLAIN_MAX);
    }

    /** Whether each row may take the direct formulas: plain constants and a plain largest coordinate. */
    private static boolean[] plainRows(boolean constantsPlain, double[] x, int n, int d) {
        boolean[] plain = new boolean[n];
        for (int i = 0; i < n && constantsPlain; i++) {
            double max = 0.0;
            for (int q = 0; q < d; q++) {
                max = Math.max(max, Math.abs(x[i * d + q]));
            }
            plain[i] = plain(max);
        }
        return plain;
    }

    /**
     * The augmented rows as unit vectors and norms |xt_i| = rho_i 2^E_i, for the rows that are not plain (the
     * others are not read). A row (kW x, sigmaB) has two scales, kW max|x| and sigmaB, each possibly beyond a double
     * when squared (or kW x itself beyond one): both are split into a mantissa and a power of two, every coordinate
     * is scaled by the larger power exactly (scalb), so the largest coordinate has magnitude in [1/2, 4), and
     * rho = the norm of the scaled row; what underflows in the smaller part is below round-off of the larger.
     */
    private record Scaled(double[] e, double[] rho, int[] exp) {

        static Scaled of(Options o, double kW, int d, double[] x, int n, int dim) {
            double[] e = new double[n * dim], rho = new double[n];
            int[] exp = new int[n];
            int eW = kW == 0.0 ? 0 : Math.getExponent(kW);
            double mW = kW == 0.0 ? 0.0 : Math.scalb(kW, -eW);
            double sB = o.biases() ? o.sigmaB() : 0.0;
            int eB = sB == 0.0 ? 0 : Math.getExponent(sB);
            double mB = sB == 0.0 ? 0.0 : Math.scalb(sB, -eB);
            for (int i = 0; i < n; i++) {
                double max = 0.0;
                for (int q = 0; q < d; q++) {
                    max = Math.max(max, Math.abs(x[i * d + q]));
                }
                int ex = max == 0.0 ? 0 : Math.getExponent(max);
                boolean weights = kW != 0.0 && max != 0.0, bias = sB != 0.0;
                if (!weights && !bias) {
                    continue;                                 // a zero vector: rho = 0, e = 0
                }
                // the row is 2^top (mW 2^(eW + ex - top) x / 2^ex, mB 2^(eB - top)), top the larger exponent
                long wExp = (long) eW + ex;
                int top = (int) (weights && bias ? Math.max(wExp, eB) : weights ? wExp : eB);
                double sum = 0.0;
                for (int q = 0; q < d; q++) {
                    double v = weights ? Math.scalb(mW * Math.scalb(x[i * d + q], -ex), (int) (wExp - top)) : 0.0;
                    e[i * dim + q] = v;
                    sum += v * v;
                }
                if (dim > d) {
                    double v = bias ? Math.scalb(mB, eB - top) : 0.0;
                    e[i * dim + d] = v;
                    sum += v * v;
                }
                rho[i] = Math.sqrt(sum);
                exp[i] = top;
                for (int q = 0; q < dim; q++) {
                    e[i * dim + q] /= rho[i];
                }
            }
            return new Scaled(e, rho, exp);
        }
    }

    /** Indices of the terms of {@link #scaledPair}, each a mantissa tm[j] times 2^te[j]. */
    private static final int A = 0, Q = 1, W = 2, B = 3, C = 4, TERMS = 5;

    /**
     * One pair in scaled form: tm[j] 2^te[j] for j = A: sigmaV^2 Sigma, Q: sigmaV^2 SigmaDot q12, W: sigmaV^2
     * SigmaDot kW^2 &lt;x, x'&gt;, B: sigmaV^2 SigmaDot sigmaB^2, C: sigmaB^2 (see "Extreme scales"). A plain row of
     * one operand paired with a scaled row of the other is rescaled here the same way.
     */
    private static void scaledPair(Activation sigma, Options o, Scaled s1, int i, Scaled s2, int k, int d, int dim,
                                   double[] tm, int[] te) {
        double rho1 = s1.rho()[i], rho2 = s2.rho()[k];
        int E1 = s1.exp()[i], E2 = s2.exp()[k];
        double c = 0.0, cw = 0.0, diff2 = 0.0, sum2 = 0.0;
        for (int q = 0; q < dim; q++) {
            double a = s1.e()[i * dim + q], b = s2.e()[k * dim + q];
            c += a * b;
            if (q < d) {
                cw += a * b;
            }
            diff2 += (a - b) * (a - b);
            sum2 += (a + b) * (a + b);
        }
        double sin = 0.5 * Math.sqrt(diff2 * sum2);
        double sV = o.sigmaV(), sB = o.biases() ? o.sigmaB() : 0.0;
        int eV = sV == 0.0 ? 0 : Math.getExponent(sV), eB = sB == 0.0 ? 0 : Math.getExponent(sB);
        double mV2 = sV == 0.0 ? 0.0 : Math.scalb(sV, -eV) * Math.scalb(sV, -eV);
        double mB2 = sB == 0.0 ? 0.0 : Math.scalb(sB, -eB) * Math.scalb(sB, -eB);
        int rr = E1 + E2;                                 // r r' = rho1 rho2 2^rr
        double pp = rho1 * rho2;
        tm[C] = mB2;
        te[C] = 2 * eB;
        if (pp == 0.0) {
            // A zero vector (so sigmaB = 0 or no biases, and q12 = 0): Sigma = sigma(0) E sigma(v), see "Zero
            // vectors"; 0 for relu and erf (relu(0) = erf(0) = 0), by quadrature for the others
            double sigma0 = 0.0;
            if (sigma != Activation.RELU && sigma != Activation.ERF) {
                double rOther = rho1 == 0.0 ? rho2 : rho1;
                double qOther = toDouble(rOther * rOther, 2L * (rho1 == 0.0 ? E2 : E1));
                requireVariance(qOther, o);
                double[] dual = new double[2];
                dual(sigma, 0.0, 0.0, qOther, 0.0, dual);
                sigma0 = dual[0];
            }
            set(tm, te, A, mV2 * sigma0, 2 * eV);
            set(tm, te, Q, 0.0, 0);
            set(tm, te, W, 0.0, 0);
            set(tm, te, B, 0.0, 0);
            return;
        }
        double sigmaS, sigmaDot;          // Sigma as a mantissa and SigmaDot r r' likewise, with their exponents
        int sigmaExp, dotExp;             // Sigma = sigmaS 2^sigmaExp, SigmaDot = sigmaDot 2^dotExp
        switch (sigma) {
            case RELU -> {
                double theta = Math.atan2(sin, c);
                sigmaS = pp * (sin + (Math.PI - theta) * c) / TWO_PI;
                sigmaExp = rr;
                sigmaDot = (Math.PI - theta) / TWO_PI;
                dotExp = 0;
            }
            case ERF -> {
                // D = 1 + 2 r^2 + 2 r'^2 + 4 r^2 r'^2 sin^2: four non-negative terms summed at the largest exponent
                double[] dm = {1.0, 2 * rho1 * rho1, 2 * rho2 * rho2, 4 * pp * pp * sin * sin};
                int[] de = {0, 2 * E1, 2 * E2, 2 * rr};
                int top = Integer.MIN_VALUE;
                for (int j = 0; j < 4; j++) {
                    if (dm[j] != 0.0) {
                        top = Math.max(top, de[j]);
                    }
                }
                top += top & 1;                               // even, so sqrt(2^top) = 2^(top/2) exactly
                double dSum = 0.0;
                for (int j = 0; j < 4; j++) {
                    dSum += Math.scalb(dm[j], de[j] - top);
                }
                double rootD = Math.sqrt(dSum);               // sqrt D = rootD 2^(top/2)
                int half = top / 2;
                // (2/pi) atan2(2 q12, sqrt D), both sides at the common exponent max(rr, half)
                int common = Math.max(rr, half);
                sigmaS = (2.0 / Math.PI) * Math.atan2(Math.scalb(2.0 * pp * c, rr - common),
                        Math.scalb(rootD, half - common));
                sigmaExp = 0;
                sigmaDot = (4.0 / Math.PI) / rootD;
                dotExp = -half;
            }
            default -> {
                // the quadrature works on the q's themselves: they must be doubles (underflow to 0 is harmless,
                // since sigma and sigma' are smooth at 0)
                double q11 = toDouble(rho1 * rho1, 2 * E1), q22 = toDouble(rho2 * rho2, 2 * E2);
                requireVariance(Math.max(q11, q22), o);
                double[] dual = new double[2];
                quadrature(sigma, q11, toDouble(pp * c, rr), q22, toDouble(pp * sin, rr), dual);
                sigmaS = dual[0];
                sigmaExp = 0;
                sigmaDot = dual[1];
                dotExp = 0;
            }
        }
        set(tm, te, A, mV2 * sigmaS, 2 * eV + sigmaExp);
        set(tm, te, Q, mV2 * sigmaDot * pp * c, 2 * eV + dotExp + rr);
        set(tm, te, W, mV2 * sigmaDot * pp * cw, 2 * eV + dotExp + rr);
        set(tm, te, B, mV2 * sigmaDot * mB2, 2 * eV + dotExp + 2 * eB);
    }

    /** tm[j] 2^te[j] = m 2^e, renormalised so that the mantissa stays near 1 (no overflow in later products). */
    private static void set(double[] tm, int[] te, int j, double m, int e) {
        if (m == 0.0 || !Double.isFinite(m)) {
            tm[j] = m;
            te[j] = 0;
            return;
        }
        int k = Math.getExponent(m);
        tm[j] = Math.scalb(m, -k);
        te[j] = e + k;
    }

    /** m 2^e as a double: infinity beyond the range, gradual underflow below it. */
    private static double toDouble(double m, long e) {
        if (m == 0.0) {
            return 0.0;
        }
        int k = Math.getExponent(m);
        long total = e + k;
        if (total > Double.MAX_EXPONENT) {
            return Math.copySign(Double.POSITIVE_INFINITY, m);
        }
        if (total < Double.MIN_EXPONENT - 60) {
            return Math.copySign(0.0, m);
        }
        return Math.scalb(Math.scalb(m, -k), (int) total);
    }

    /** The sum of the chosen terms, added at the largest exponent and rounded to a double once at the end. */
    private static double sumScaled(double[] tm, int[] te, int... terms) {
        int top = Integer.MIN_VALUE;
        for (int j : terms) {
            if (tm[j] != 0.0) {
                top = Math.max(top, te[j]);
            }
        }
        if (top == Integer.MIN_VALUE) {
            return 0.0;
        }
        double sum = 0.0;
        for (int j : terms) {
            if (tm[j] != 0.0) {
                sum += toDouble(tm[j], (long) te[j] - top);
            }
        }
        return toDouble(sum, top);
    }

    /** A quadrature needs a finite variance. */
    private static void requireVariance(double q, Options o) {
        if (!Double.isFinite(q)) {
            throw new IllegalArgumentException("x: the variance q = |xt|^2 of an input is beyond a double (1.8e308), "
                    + "which the " + o.activation().name().toLowerCase(java.util.Locale.ROOT) + " quadrature needs;"
                    + " scale the inputs or sigmaW, sigmaB down");
        }
    }

    /** Every entry must be a finite double: a kernel value beyond 1.8e308 is refused, never returned as infinity. */
    private static void requireFinite(double[] values, int n1, int n2, Options o) {
        for (int j = 0; j < values.length; j++) {
            if (!Double.isFinite(values[j])) {
                int at = j % (n1 * n2);
                throw new IllegalArgumentException("x: the kernel value at rows (" + at / n2 + ", " + at % n2
                        + ") is beyond a double (|value| > 1.8e308) for sigmaV = " + o.sigmaV()
                        + (o.biases() ? ", sigmaB = " + o.sigmaB() : "") + ", sigmaW = " + o.sigmaW()
                        + "; scale the inputs or the sigmas down");
            }
        }
    }

    private static void checkInputs(double[] x, int n, int d, String field) {
        if (x == null) {
            throw new IllegalArgumentException(field + ": must be given");
        }
        if (n < 1 || x.length != (long) n * d) {
            throw new IllegalArgumentException(field + ": expected n*d = " + n + "*" + d
                    + " values with n >= 1, got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(field + ": input " + (i / d) + ", coordinate " + (i % d) + " is "
                        + x[i] + "; inputs must be finite");
            }
        }
    }

    // ------------------------------------------------------------------------------------------ dual activations

    /** out = {Sigma, SigmaDot} for the covariance (q11, q12, q22) with sq = sqrt(q11 q22 - q12^2). */
    static void dual(Activation sigma, double q11, double q12, double q22, double sq, double[] out) {
        switch (sigma) {
            case RELU -> relu(q11, q12, q22, sq, out);
            case ERF -> erf(q11, q12, q22, sq, out);
            default -> quadrature(sigma, q11, q12, q22, sq, out);
        }
    }

    /**
     * Arc-cosine kernels of degree 1 and 0 (Cho and Saul 2009), halved: E relu(u) relu(v) and
     * P(u &gt; 0, v &gt; 0).
     */
    // tag::kernel-analytic-relu[]
    private static void relu(double q11, double q12, double q22, double sq, double[] out) {
        if (q11 == 0.0 || q22 == 0.0) {
            // A zero vector: u = 0 a.s., and relu(0) = relu'(0) = 0, as in the finite net
            out[0] = 0.0;
            out[1] = 0.0;
            return;
        }
        double theta = Math.atan2(sq, q12);             // in [0, pi], accurate to a few eps
        // sqrt(q11 q22) (sin t + (pi - t) cos t) / (2 pi) and (pi - t) / (2 pi)
        out[0] = (sq + (Math.PI - theta) * q12) / TWO_PI;
        out[1] = (Math.PI - theta) / TWO_PI;
    }
    // end::kernel-analytic-relu[]

    /** Arcsine kernel (Williams 1997) and its derivative kernel: E erf(u) erf(v) and E erf'(u) erf'(v). */
    // tag::kernel-analytic-erf[]
    private static void erf(double q11, double q12, double q22, double sq, double[] out) {
        // D = (1 + 2 q11)(1 + 2 q22) - 4 q12^2 = 1 + 2 q11 + 2 q22 + 4 sq^2 >= 1
        // is a sum of non-negative terms: no cancellation
        double rootD = Math.sqrt(1.0 + 2.0 * q11 + 2.0 * q22 + 4.0 * sq * sq);
        // (2/pi) arcsin(2 q12 / sqrt((1 + 2 q11)(1 + 2 q22))) and (4/pi) / sqrt(D)
        out[0] = (2.0 / Math.PI) * Math.atan2(2.0 * q12, rootD);
        out[1] = (4.0 / Math.PI) / rootD;
    }
    // end::kernel-analytic-erf[]

    /**
     * E sigma(u) sigma(v) and E sigma'(u) sigma'(v) by 2-D Gauss-Hermite quadrature. With the Cholesky factor of the
     * covariance, factored on the larger variance q11 &gt;= q22 (the expectations are symmetric in u and v),
     * (u, v) = (l11 z1, l21 z1 + l22 z2), l11 = sqrt(q11), l21 = q12 / l11, l22 = sqrt(q11 q22 - q12^2) / l11,
     * and z1, z2 independent N(0, 1), so E g(u, v) = sum_i sum_j p_i p_j g(l11 z_i, l21 z_i + l22 z_j).
     */
    // tag::kernel-analytic-quadrature[]
    static void quadrature(Activation sigma, double q11, double q12, double q22, double sq,
                           double[] out) {
        if (q22 > q11) {                                // factor on the larger variance
            double t = q11;
            q11 = q22;
            q22 = t;
        }
        if (q11 == 0.0) {
            // Both inputs zero: u = v = 0 a.s.
            double s0 = sigma.value(0.0), g0 = sigma.derivative(0.0);
            out[0] = s0 * s0;
            out[1] = g0 * g0;
            return;
        }
        double l11 = Math.sqrt(q11), l21 = q12 / l11, l22 = sq / l11;
        GaussHermite rule = GaussHermite.of(quadratureDegree(q11));
        double[] z = rule.nodes(), p = rule.weights();
        double sum = 0.0, sumDot = 0.0;
        for (int i = 0; i < z.length; i++) {
            double u = l11 * z[i], a = l21 * z[i];
            double inner = 0.0, innerDot = 0.0;
            if (l22 == 0.0) {
                // (Anti)parallel or a zero vector: v = l21 z1 is a function of z1
                inner = sigma.value(a);
                innerDot = sigma.derivative(a);
            } else {
                for (int j = 0; j < z.length; j++) {
                    double v = a + l22 * z[j];
                    inner += p[j] * sigma.value(v);
                    innerDot += p[j] * sigma.derivative(v);
                }
            }
            sum += p[i] * sigma.value(u) * inner;
            sumDot += p[i] * sigma.derivative(u) * innerDot;
        }
        out[0] = sum;
        out[1] = sumDot;
    }
    // end::kernel-analytic-quadrature[]

    /*
     * The Gauss-Hermite degree. tanh(sqrt(q) z) and its derivative have poles at z = +-i pi / (2 sqrt q), so the
     * integrand is analytic in a strip of that half-width and the n-point rule's error decays like
     * C exp(-pi sqrt(n / q)); sigmoid and softplus, with poles twice as far, like C exp(-2 pi sqrt(n / q)). The
     * prefactor C grows with the order of the poles, to ~1e4 for sech^2(u) sech^2(v) at nearly (anti)parallel inputs
     * (measured: 9e-12 at n = 128 q, q = 1). At n = 256 q the bound is 1e4 exp(-16 pi) ~ 1e-18, below round-off;
     * the asymptotic regime starts only at n ~ 32 (at q = 0.1 the 16-point rule is off by 5e-10), hence the minimum.
     * The largest degree is reached at q = 8 (the rule keeps 284 of its nodes, so a pair costs ~3e5 evaluations of
     * sigma and sigma'); beyond, the error grows like 1e4 exp(-pi sqrt(2048 / q)): ~1e-11 at q = 16 for tanh.
     */
    // tag::kernel-analytic-degree[]
    static final int NODES_PER_UNIT_VARIANCE = 256;     // error ~ 1e4 exp(-16 pi) ~ 1e-18
    static final int MIN_DEGREE = 32;                   // the error model holds from n ~ 32
    static final int MAX_DEGREE = 2048;                 // reached at q = 8

    /** The smallest power of two at least 256 qMax, within [32, 2048]. */
    static int quadratureDegree(double qMax) {
        int n = MIN_DEGREE;
        while (n < MAX_DEGREE && n < NODES_PER_UNIT_VARIANCE * qMax) {
            n *= 2;
        }
        return n;
    }
    // end::kernel-analytic-degree[]
}
