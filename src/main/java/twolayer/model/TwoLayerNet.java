package twolayer.model;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import twolayer.linalg.Kernels;
import twolayer.linalg.Products;
import twolayer.linalg.Tanh;

/**
 * A two-layer network of width m on inputs of dimension d, at a given {@link Parameterization}:
 * <pre>
 *   f(x; theta) = lazyScale * ( kA * sum_j a_j sigma(kW &lt;w_j, x&gt; + kB b_j) + kC c ) + g(x)
 * </pre>
 * with all coefficients evaluated at this m and d. The parameters live in one flat array theta with the
 * layout {@code [a (m) | w (m, d) row-major | b (m), if hidden biases | c (1), if an output bias]}.
 *
 * <p>The net itself is immutable: it holds the architecture, the evaluated coefficients and the initial
 * parameters theta0 (which the frozen offset g needs). Forward and backward passes take theta as an argument
 * and write into a {@link Batch}'s scratch space.
 *
 * <p>Gradients (the model chapter derives them; claim FOUND-1 checks them against finite differences), with
 * z_ij = kW &lt;w_j, x_i&gt; + kB b_j and the residual weights r_i:
 * <pre>
 *   sum_i r_i df(x_i)/da_j = L kA sum_i r_i sigma(z_ij)
 *   sum_i r_i df(x_i)/dw_j = L kA kW a_j sum_i r_i sigma'(z_ij) x_i
 *   sum_i r_i df(x_i)/db_j = L kA kB a_j sum_i r_i sigma'(z_ij)
 *   sum_i r_i df(x_i)/dc   = L kC sum_i r_i                       (L = lazyScale)
 * </pre>
 */
public final class TwoLayerNet {
    private final int d;
    private final int m;
    private final Activation sigma;
    private final Parameterization parameterization;
    private final double kA, kW, kB, kC, lazy;
    private final double[] rates = new double[4];   // effective rho_g / lazyScale^2, by Group ordinal
    private final int offW, offB, offC, size;
    private final double[] theta0;
    private final TwoLayerNet reference;            // INIT_CORRECTED only
    private final double[] theta0Reference;         // the same normal draw at the reference's scales

    private TwoLayerNet(int d, int m, Activation sigma, Parameterization p, double[] normals) {
        this.d = d;
        this.m = m;
        this.sigma = sigma;
        this.parameterization = p;
        this.kA = p.kA().at(m, p.mRef(), d);
        this.kW = p.kW().at(m, p.mRef(), d);
        this.kB = p.kB().at(m, p.mRef(), d);
        this.kC = p.kC().at(m, p.mRef(), d);
        this.lazy = p.lazyScale();
        for (Group g : Group.values()) {
            rates[g.ordinal()] = p.rate(g).at(m, p.mRef(), d) / (lazy * lazy);
        }
        this.offW = m;
        this.offB = m + m * d;
        this.offC = offB + (p.hiddenBias() ? m : 0);
        this.size = offC + (p.outputBias() ? 1 : 0);
        this.theta0 = scaled(normals, p);
        if (p.offset() == Offset.INIT_CORRECTED) {
            Parameterization ref = p.reference();
            if (ref.hiddenBias() != p.hiddenBias() || ref.outputBias() != p.outputBias()) {
                throw new IllegalArgumentException("reference: must have the same biases as " + p.name());
            }
            this.reference = new TwoLayerNet(d, m, sigma, ref, normals);
            this.theta0Reference = reference.theta0;
        } else {
            this.reference = null;
            this.theta0Reference = null;
        }
    }

    /**
     * Draws theta0 from the parameterisation's initialisation with a seeded generator. The draw order is
     * fixed: for each neuron j, a_j then w_j (d values) then b_j; then c. With the antisymmetric
     * initialisation (m even) the first m/2 neurons are drawn and neuron j + m/2 is (-a_j, w_j, b_j), c = 0.
     */
    public static TwoLayerNet initialize(int d, int m, Activation sigma, Parameterization p, long seed) {
        return initialize(d, m, sigma, p, new SplittableRandom(seed));
    }

    /** As {@link #initialize(int, int, Activation, Parameterization, long)}, with a given generator. */
    public static TwoLayerNet initialize(int d, int m, Activation sigma, Parameterization p, RandomGenerator rng) {
        if (d < 1) {
            throw new IllegalArgumentException("d: input dimension must be >= 1, got " + d);
        }
        if (m < 1) {
            throw new IllegalArgumentException("m: width must be >= 1, got " + m);
        }
        Objects.requireNonNull(sigma, "activation");
        Objects.requireNonNull(p, "parameterization");
        if (p.antisymmetricInit() && m % 2 != 0) {
            throw new IllegalArgumentException("m: the antisymmetric initialisation needs an even width, got " + m);
        }
        if ((long) m * (d + 2) + 1 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("m: m * (d + 2) parameters do not fit one array (m=" + m + ", d=" + d + ")");
        }
        int size = m + m * d + (p.hiddenBias() ? m : 0) + (p.outputBias() ? 1 : 0);
        double[] normals = new double[size];
        int drawn = p.antisymmetricInit() ? m / 2 : m;
        int offB = m + m * d;
        for (int j = 0; j < drawn; j++) {
            normals[j] = rng.nextGaussian();
            for (int k = 0; k < d; k++) {
                normals[m + j * d + k] = rng.nextGaussian();
            }
            if (p.hiddenBias()) {
                normals[offB + j] = rng.nextGaussian();
            }
        }
        if (p.antisymmetricInit()) {
            int half = m / 2;
            for (int j = 0; j < half; j++) {
                normals[half + j] = -normals[j];
                System.arraycopy(normals, m + j * d, normals, m + (half + j) * d, d);
                if (p.hiddenBias()) {
                    normals[offB + half + j] = normals[offB + j];
                }
            }
        } else if (p.outputBias()) {
            normals[size - 1] = rng.nextGaussian();
        }
        return new TwoLayerNet(d, m, sigma, p, normals);
    }

    /**
     * A net with the given initial parameters (for instance loaded from a file, or the neurons of another net
     * permuted); theta0 must have {@link #parameterCount()} finite entries. INIT_CORRECTED is not available here,
     * because it needs the normalised draw.
     */
    public static TwoLayerNet withInitialParameters(int d, int m, Activation sigma, Parameterization p, double[] theta0) {
        if (p.offset() == Offset.INIT_CORRECTED) {
            throw new IllegalArgumentException("offset: INIT_CORRECTED needs the normalised draw; use initialize(...)");
        }
        TwoLayerNet shape = initialize(d, m, sigma, p.withAntisymmetricInit(false), 0L);
        if (theta0.length != shape.size) {
            throw new IllegalArgumentException("theta0: expected " + shape.size + " parameters, got " + theta0.length);
        }
        for (int i = 0; i < theta0.length; i++) {
            if (!Double.isFinite(theta0[i])) {
                throw new IllegalArgumentException("theta0: entry " + i + " is " + theta0[i] + "; must be finite");
            }
        }
        double[] normals = new double[theta0.length];
        TwoLayerNet unit = new TwoLayerNet(d, m, sigma, p, normals);
        System.arraycopy(theta0, 0, unit.theta0, 0, theta0.length);
        return unit;
    }

    private double[] scaled(double[] normals, Parameterization p) {
        double[] theta = new double[size];
        double sA = p.sA().at(m, p.mRef(), d);
        double sW = p.sW().at(m, p.mRef(), d);
        double sB = p.sB().at(m, p.mRef(), d);
        double sC = p.sC().at(m, p.mRef(), d);
        for (int i = 0; i < size; i++) {
            double s = i < offW ? sA : i < offB ? sW : i < offC ? sB : sC;
            theta[i] = s * normals[i];
        }
        return theta;
    }

    // ---------------------------------------------------------------- shape

    /** Input dimension d. */
    public int inputDimension() { return d; }

    /** Width m. */
    public int width() { return m; }

    /** The activation sigma. */
    public Activation activation() { return sigma; }

    /** The parameterisation. */
    public Parameterization parameterization() { return parameterization; }

    /** The number of parameters, m (d + 1) plus m if hidden biases plus 1 if an output bias. */
    public int parameterCount() { return size; }

    /** Where group g starts in theta. */
    public int offset(Group g) {
        return switch (g) { case A -> 0; case W -> offW; case B -> offB; case C -> offC; };
    }

    /** How many parameters group g has (0 if the group is absent). */
    public int count(Group g) {
        return switch (g) {
            case A -> m;
            case W -> m * d;
            case B -> parameterization.hiddenBias() ? m : 0;
            case C -> parameterization.outputBias() ? 1 : 0;
        };
    }

    /** The evaluated multiplier k_g at this width. */
    public double multiplier(Group g) {
        return switch (g) { case A -> kA; case W -> kW; case B -> kB; case C -> kC; };
    }

    /** The effective rate of group g: rho_g(m) / lazyScale^2. */
    public double rate(Group g) {
        return rates[g.ordinal()];
    }

    /** A copy of the initial parameters theta0. */
    public double[] initialParameters() {
        return theta0.clone();
    }

    // ---------------------------------------------------------------- batches

    /**
     * Binds n inputs ({@code x}, (n, d) row-major, copied) to this net: validates them and computes the
     * frozen offsets g(x_i) once.
     */
    public Batch batch(double[] x, int n, Parallelism parallelism) {
        if (n < 1) {
            throw new IllegalArgumentException("n: number of inputs must be >= 1, got " + n);
        }
        if (x.length != (long) n * d) {
            throw new IllegalArgumentException("x: expected n*d = " + n + "*" + d + " values, got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("x: input " + (i / d) + ", coordinate " + (i % d)
                        + " is " + x[i] + "; inputs must be finite");
            }
        }
        if ((long) m * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n: m*n = " + ((long) m * n) + " activations do not fit one array; use mini-batches");
        }
        return new Batch(this, x, n, parallelism, true);
    }

    /** An empty batch of n rows to be filled by {@link Batch#loadRows}: the mini-batch buffer of SGD. */
    public Batch emptyBatch(int n, Parallelism parallelism) {
        if (n < 1) {
            throw new IllegalArgumentException("batch size: must be >= 1, got " + n);
        }
        return new Batch(this, new double[n * d], n, parallelism, false);
    }

    void computeOffsets(Batch b) {
        switch (parameterization.offset()) {
            case NONE -> java.util.Arrays.fill(b.g, 0.0);
            case CENTRED -> {
                forward(theta0, b);
                for (int i = 0; i < b.n; i++) {
                    b.g[i] = -b.f[i];
                }
            }
            case INIT_CORRECTED -> {
                Batch ref = reference.batch(b.x, b.n, b.parallelism);
                reference.forward(theta0Reference, ref);
                forward(theta0, b);
                for (int i = 0; i < b.n; i++) {
                    b.g[i] = ref.f[i] - b.f[i];
                }
            }
        }
    }

    // ---------------------------------------------------------------- forward

    /** Outputs f(x_i; theta) for every input of the batch, written to {@code out} (length n). */
    public void outputs(double[] theta, Batch b, double[] out) {
        checkTheta(theta);
        forward(theta, b);
        System.arraycopy(b.f, 0, out, 0, b.n);
    }

    /** The output f(x; theta) at a single input (allocates; for probes and tests, not for training loops). */
    public double output(double[] theta, double[] x) {
        Batch b = batch(x, 1, Parallelism.sequential());
        forward(theta, b);
        return b.f[0];
    }

    // tag::model-features[]
    /**
     * The hidden layer at theta on n inputs, (m, n) row-major: z_ji = kW &lt;w_j, x_i&gt; + kB b_j, h_ji = sigma(z_ji)
     * and h'_ji = sigma'(z_ji) (model chapter, section "The network"). This is the one computation of the
     * features: the net's forward pass, the empirical NTK and the intrinsic kernel all call it, so their features
     * have the same bits as the outputs they explain.
     *
     * @param x      inputs, (n, d) row-major
     * @param h      receives sigma(z), (m, n) row-major; null to skip
     * @param hPrime receives sigma'(z), (m, n) row-major; null to skip
     */
    public void features(double[] theta, double[] x, int n, double[] h, double[] hPrime, Parallelism parallelism) {
        checkTheta(theta);
        if (n < 1 || x.length != (long) n * d) {
            throw new IllegalArgumentException("x: expected n d = " + (long) n * d + " values (n >= 1), got " + x.length);
        }
        Batch b = new Batch(this, x, n, parallelism, false);
        hiddenLayer(theta, b);
        if (h != null) {
            System.arraycopy(b.s, 0, h, 0, m * n);
        }
        if (hPrime != null) {
            double[] z = preactivations(b);
            for (int k = 0; k < m * n; k++) {
                hPrime[k] = derivative(z[k], b.s[k]);     // relu's without a branch, as in the backward pass
            }
        }
    }
    // end::model-features[]

    /**
     * The activations h_ji = sigma(z_ji) on the inputs of a batch at theta, copied into h ((m, n) row-major):
     * the bits of {@link #features(double[], double[], int, double[], double[], Parallelism)}, taken from the
     * batch's hidden layer when it keeps it ({@link Batch#keepHiddenLayer}) at theta's first layer.
     */
    public void features(double[] theta, Batch b, double[] h) {
        checkTheta(theta);
        if (b.net != this || h.length != m * b.n) {
            throw new IllegalArgumentException("h: expected a batch of this net and m n = " + (long) m * b.n
                    + " values, got " + h.length);
        }
        hiddenLayer(theta, b);
        System.arraycopy(b.s, 0, h, 0, m * b.n);
    }

    /**
     * z_ji = kW &lt;w_j, x_i&gt; + kB b_j and s_ji = sigma(z_ji) into the batch, split over neurons; nothing when
     * the batch keeps its hidden layer and holds it for theta's first layer (the same bits).
     */
    private void hiddenLayer(double[] theta, Batch b) {
        double[] key = b.hiddenKey;
        if (key != null) {
            if (b.hiddenValid && sameBits(theta, offW, key)) {
                return;
            }
            b.hiddenValid = false;
            computeHiddenLayer(theta, b);
            System.arraycopy(theta, offW, key, 0, key.length);
            b.hiddenValid = true;
            return;
        }
        computeHiddenLayer(theta, b);
    }

    private static boolean sameBits(double[] theta, int from, double[] key) {
        for (int k = 0; k < key.length; k++) {
            if (Double.doubleToRawLongBits(theta[from + k]) != Double.doubleToRawLongBits(key[k])) {
                return false;
            }
        }
        return true;
    }

    private void computeHiddenLayer(double[] theta, Batch b) {
        final int n = b.n;
        final double[] s = b.s;
        final boolean keepZ = !sigma.derivativeFromValue();
        b.parallelism.forEachChunk(m, neuronTask(), (long) n * d, (from, to) -> {
            // block of inputs by block of inputs, so that the block of X^T the product reads stays in the cache
            // while it serves all of the task's neurons (whole rows of X^T would not: see NEURON_BLOCK)
            for (int i0 = 0; i0 < n; i0 += INPUT_BLOCK) {
                final int cols = Math.min(INPUT_BLOCK, n - i0);
                // z goes to the batch only when sigma' needs it later; else to this thread's scratch, which stays
                // in the cache instead of travelling to memory and back (m n doubles each way)
                final double[] z = keepZ ? b.z : b.chunkRows.get();
                final int zFrom = keepZ ? from * n + i0 : 0, ldz = keepZ ? n : cols;
                // <w_j, x_i> for the block's neurons and inputs, each with the arithmetic of dot(...)
                PRODUCTS.productFourWay(theta, offW + from * d, d, b.xt, i0, n, z, zFrom, ldz, to - from, d, cols);
                for (int j = from; j < to; j++) {
                    double bias = parameterization.hiddenBias() ? kB * theta[offB + j] : 0.0;
                    int zr = zFrom + (j - from) * ldz, sr = j * n + i0;
                    if (sigma == Activation.RELU) {
                        for (int i = 0; i < cols; i++) {
                            s[sr + i] = relu(kW * z[zr + i] + bias);
                        }
                    } else if (sigma == Activation.TANH) {
                        for (int i = 0; i < cols; i++) {
                            z[zr + i] = kW * z[zr + i] + bias;
                        }
                        // the row at once, SIMD where available, with Activation.TANH.value's bits
                        TANH.tanh(z, zr, s, sr, cols);
                    } else {
                        for (int i = 0; i < cols; i++) {
                            double zij = kW * z[zr + i] + bias;
                            z[zr + i] = zij;
                            s[sr + i] = sigma.value(zij);
                        }
                    }
                }
            }
        });
    }

    /** The array the derivative reads z from: the batch's z, or s itself when sigma' needs only s. */
    private double[] preactivations(Batch b) {
        return sigma.derivativeFromValue() ? b.s : b.z;
    }

    // tag::model-forward[]
    /**
     * Forward pass: first, over neurons, z_ij = kW &lt;w_j, x_i&gt; + kB b_j and s_ij = sigma(z_ij);
     * then, over inputs, f_i = L (kA * sum_j a_j s_ij + kC c) + g_i with the sum over neurons correctly
     * rounded, so that it does not depend on the order of the neurons.
     */
    void forward(double[] theta, Batch b) {
        final int n = b.n;
        final double[] s = b.s;
        hiddenLayer(theta, b);
        final double cTerm = parameterization.outputBias() ? kC * theta[offC] : 0.0;
        b.parallelism.forEachChunk(n, SAMPLE_CHUNK, m, (from, to) -> {
            PRODUCTS.twoSumColumns(theta, s, 0, n, m, from, to - from, b.hi, b.lo, b.err, from);
            for (int i = from; i < to; i++) {
                double sum = outputSum(theta, s, n, i, b.hi[i], b.lo[i], b.err[i], b.sums[from / SAMPLE_CHUNK]);
                b.f[i] = lazy * (kA * sum + cTerm) + b.g[i];
            }
        });
    }
    // end::model-forward[]

    // ---------------------------------------------------------------- loss and gradient

    /**
     * The empirical risk L(theta) = (1/n) sum_i l(f(x_i), y_i) and its gradient (written to {@code grad},
     * length {@link #parameterCount()}). The gradient is the raw gradient; the trainers multiply group g by
     * its rate {@link #rate(Group)}.
     */
    public double lossAndGradient(double[] theta, Batch b, double[] y, Loss loss, double[] grad) {
        checkTheta(theta);
        checkTargets(y, b);
        forward(theta, b);
        double total = 0.0;
        for (int i = 0; i < b.n; i++) {
            total += loss.value(b.f[i], y[i]);
            b.r[i] = loss.derivative(b.f[i], y[i]) / b.n;
        }
        backward(theta, b, grad);
        return total / b.n;
    }

    /** The empirical risk alone. */
    public double loss(double[] theta, Batch b, double[] y, Loss loss) {
        checkTheta(theta);
        checkTargets(y, b);
        forward(theta, b);
        double total = 0.0;
        for (int i = 0; i < b.n; i++) {
            total += loss.value(b.f[i], y[i]);
        }
        return total / b.n;
    }

    /** Vector-Jacobian product: grad = sum_i r_i d f(x_i)/d theta = J^T r. */
    public void vjp(double[] theta, Batch b, double[] r, double[] grad) {
        checkTheta(theta);
        if (r.length != b.n) {
            throw new IllegalArgumentException("r: expected " + b.n + " weights, got " + r.length);
        }
        forward(theta, b);
        System.arraycopy(r, 0, b.r, 0, b.n);
        backward(theta, b, grad);
    }

    /**
     * The inputs i0 .. i0 + cols - 1 of the backward pass's sums for neurons from .. to - 1, each sum resumed from
     * grad (started at +0.0 by the first block):
     * <pre>
     *   grad_aj += sum_i r_i s_ij,   grad_bj += sum_i r_i sigma'(z_ij),   grad_wj += sum_i r_i sigma'(z_ij) x_i
     * </pre>
     * each in increasing i; the coefficients r_i sigma'(z_ij) go to this thread's scratch, which the product reads
     * again at once while it is in the cache.
     */
    // tag::model-backward-block[]
    private void backwardBlock(Batch b, double[] grad, double[] z, int from, int to, int i0, int cols) {
        final int n = b.n;
        final double[] x = b.x, s = b.s, r = b.r, coef = b.chunkRows.get();
        final boolean hasB = parameterization.hiddenBias(), first = i0 == 0;
        int j = from;
        // end::model-backward-block[]
        // four neurons at a time: eight independent sums keep the adder busy; each keeps its own order
        for (; j + 3 < to; j += 4) {
            double a0 = first ? 0.0 : grad[j], a1 = first ? 0.0 : grad[j + 1];
            double a2 = first ? 0.0 : grad[j + 2], a3 = first ? 0.0 : grad[j + 3];
            double b0 = first || !hasB ? 0.0 : grad[offB + j], b1 = first || !hasB ? 0.0 : grad[offB + j + 1];
            double b2 = first || !hasB ? 0.0 : grad[offB + j + 2], b3 = first || !hasB ? 0.0 : grad[offB + j + 3];
            int o0 = j * n + i0, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
            int k0 = (j - from) * cols, k1 = k0 + cols, k2 = k1 + cols, k3 = k2 + cols;
            for (int i = 0; i < cols; i++) {
                double ri = r[i0 + i];
                a0 += ri * s[o0 + i];
                a1 += ri * s[o1 + i];
                a2 += ri * s[o2 + i];
                a3 += ri * s[o3 + i];
                double c0 = ri * derivative(z[o0 + i], s[o0 + i]), c1 = ri * derivative(z[o1 + i], s[o1 + i]);
                double c2 = ri * derivative(z[o2 + i], s[o2 + i]), c3 = ri * derivative(z[o3 + i], s[o3 + i]);
                coef[k0 + i] = c0;
                coef[k1 + i] = c1;
                coef[k2 + i] = c2;
                coef[k3 + i] = c3;
                b0 += c0;
                b1 += c1;
                b2 += c2;
                b3 += c3;
            }
            grad[j] = a0;
            grad[j + 1] = a1;
            grad[j + 2] = a2;
            grad[j + 3] = a3;
            if (hasB) {
                grad[offB + j] = b0;
                grad[offB + j + 1] = b1;
                grad[offB + j + 2] = b2;
                grad[offB + j + 3] = b3;
            }
        }
        // tag::model-backward-block[]
        // (neurons four at a time above, with the same sums; the rest one at a time:)
        for (; j < to; j++) {
            double sumA = first ? 0.0 : grad[j], sumB = first || !hasB ? 0.0 : grad[offB + j];
            for (int i = 0; i < cols; i++) {
                double ri = r[i0 + i];
                sumA += ri * s[j * n + i0 + i];
                double c = ri * derivative(z[j * n + i0 + i], s[j * n + i0 + i]);
                coef[(j - from) * cols + i] = c;
                sumB += c;
            }
            grad[j] = sumA;
            if (hasB) {
                grad[offB + j] = sumB;
            }
        }
        // the w_j rows: sum_i coef_ij x_i, one sum per (j, k) in increasing i. Terms with coef_ij = 0 (half of
        // them for relu) add +-0 to a sum that starts at +0.0 and so cannot be -0.0: they change no bit
        // (x is finite), which is why the product may include them.
        if (first) {
            PRODUCTS.productSequential(coef, 0, cols, x, 0, d, grad, offW + from * d, d, to - from, cols, d);
        } else {
            PRODUCTS.productSequentialAdd(coef, 0, cols, x, i0 * d, d, grad, offW + from * d, d, to - from, cols, d);
        }
    }
    // end::model-backward-block[]

    /** Backward pass over neurons, from the residual weights b.r and the forward pass's z and s. */
    private void backward(double[] theta, Batch b, double[] grad) {
        final int n = b.n;
        final double[] x = b.x, z = preactivations(b), s = b.s, r = b.r;
        final boolean hasB = parameterization.hiddenBias();
        b.parallelism.forEachChunk(m, neuronTask(), (long) n * d, (from, to) -> {
            // block of inputs by block of inputs (see NEURON_BLOCK): every sum over i below is resumed from where
            // the previous block left it, in grad's own entries (storing a double does not round it), so the sums
            // are those of one pass in increasing i
            // tag::model-backward[]
            int i0 = 0;
            do {            // at least once: with no inputs, the sums are +0.0
                backwardBlock(b, grad, z, from, to, i0, Math.min(INPUT_BLOCK, n - i0));
                i0 += INPUT_BLOCK;
            } while (i0 < n);
            for (int j = from; j < to; j++) {
                int wj = offW + j * d;
                double sumA = grad[j], sumB = hasB ? grad[offB + j] : 0.0;
                double aj = theta[j];
                grad[j] = lazy * kA * sumA;
                double scaleW = lazy * kA * kW * aj;
                for (int k = wj; k < wj + d; k++) {
                    grad[k] *= scaleW;
                }
                if (hasB) {
                    grad[offB + j] = lazy * kA * kB * aj * sumB;
                }
            }
            // end::model-backward[]
        });
        if (parameterization.outputBias()) {
            double sumC = 0.0;
            for (int i = 0; i < n; i++) {
                sumC += r[i];
            }
            grad[offC] = lazy * kC * sumC;
        }
    }

    /**
     * Jacobian-vector product: out_i = &lt;d f(x_i)/d theta, u&gt;, the change of the outputs along the direction u.
     * With the forward pass's z and s:
     * out_i = L ( kA sum_j [u_aj s_ij + a_j sigma'(z_ij) (kW &lt;u_wj, x_i&gt; + kB u_bj)] + kC u_c ).
     */
    public void jvp(double[] theta, Batch b, double[] u, double[] out) {
        checkTheta(theta);
        if (u.length != size) {
            throw new IllegalArgumentException("u: expected " + size + " entries, got " + u.length);
        }
        forward(theta, b);
        final int n = b.n;
        final double[] z = preactivations(b), s = b.s, t = b.work;
        final boolean hasB = parameterization.hiddenBias();
        b.parallelism.forEachChunk(m, neuronTask(), (long) n * d, (from, to) -> {
            for (int i0 = 0; i0 < n; i0 += INPUT_BLOCK) {        // blocks of inputs, as in the forward pass
                int cols = Math.min(INPUT_BLOCK, n - i0);
                // <u_wj, x_i>, each with the arithmetic of dot(...), overwritten below by the term of neuron j
                PRODUCTS.productFourWay(u, offW + from * d, d, b.xt, i0, n, t, from * n + i0, n, to - from, d, cols);
                for (int j = from; j < to; j++) {
                    double ub = hasB ? kB * u[offB + j] : 0.0;
                    double aj = theta[j], uaj = u[j];
                    for (int i = j * n + i0; i < j * n + i0 + cols; i++) {
                        double dz = kW * t[i] + ub;
                        t[i] = uaj * s[i] + aj * derivative(z[i], s[i]) * dz;
                    }
                }
            }
        });
        final double cTerm = parameterization.outputBias() ? kC * u[offC] : 0.0;
        b.parallelism.forEachChunk(n, SAMPLE_CHUNK, m, (from, to) -> {
            PRODUCTS.twoSumColumns(null, t, 0, n, m, from, to - from, b.hi, b.lo, b.err, from);
            for (int i = from; i < to; i++) {
                double sum = outputSum(null, t, n, i, b.hi[i], b.lo[i], b.err[i], b.sums[from / SAMPLE_CHUNK]);
                out[i] = lazy * (kA * sum + cTerm);
            }
        });
    }

    // tag::model-linearization[]
    /**
     * The first-order Taylor model at the initial parameters,
     * f_lin(x; theta) = f(x; theta0) + &lt;d f(x; theta0)/d theta, theta - theta0&gt;,
     * evaluated on every input of the batch (written to {@code out}); {@code delta} is scratch of length P.
     */
    public void linearizedOutputs(double[] theta, Batch b, double[] delta, double[] out) {
        checkTheta(theta);
        for (int k = 0; k < size; k++) {
            delta[k] = theta[k] - theta0[k];
        }
        jvp(theta0, b, delta, out);      // the JVP's forward pass leaves f(x_i; theta0) in b.f
        for (int i = 0; i < b.n; i++) {
            out[i] += b.f[i];
        }
    }

    /**
     * The risk of the linearised model and its gradient J0^T r (J0 the Jacobian at theta0, r_i = l'(f_lin_i, y_i)/n):
     * training the Taylor model itself, not the net along its own path.
     */
    public double linearizedLossAndGradient(double[] theta, Batch b, double[] y, Loss loss, double[] delta,
                                            double[] grad) {
        checkTargets(y, b);
        double[] fLin = new double[b.n];
        linearizedOutputs(theta, b, delta, fLin);
        double total = 0.0;
        for (int i = 0; i < b.n; i++) {
            total += loss.value(fLin[i], y[i]);
            b.r[i] = loss.derivative(fLin[i], y[i]) / b.n;
        }
        // J(theta0)^T r: the JVP's forward pass left the hidden layer at theta0 in the batch, which is all the
        // backward pass reads (the vector-Jacobian product would compute it again)
        backward(theta0, b, grad);
        return total / b.n;
    }
    // end::model-linearization[]

    /** The Jacobian row d f(x; theta) / d theta at one input x (length d), written to {@code row}. */
    public void jacobianRow(double[] theta, double[] x, double[] row) {
        checkTheta(theta);
        if (x.length != d) {
            throw new IllegalArgumentException("x: expected " + d + " coordinates, got " + x.length);
        }
        if (row.length != size) {
            throw new IllegalArgumentException("row: expected " + size + " entries, got " + row.length);
        }
        boolean hasB = parameterization.hiddenBias();
        for (int j = 0; j < m; j++) {
            int wj = offW + j * d;
            double zj = kW * dot(theta, wj, x, 0, d) + (hasB ? kB * theta[offB + j] : 0.0);
            double value = sigma.value(zj);
            double dsig = sigma.derivative(zj, value);
            row[j] = lazy * kA * value;
            double cw = lazy * kA * theta[j] * dsig;
            for (int k = 0; k < d; k++) {
                row[wj + k] = cw * kW * x[k];
            }
            if (hasB) {
                row[offB + j] = cw * kB;
            }
        }
        if (parameterization.outputBias()) {
            row[offC] = lazy * kC;
        }
    }

    // ---------------------------------------------------------------- kernels of the loops

    /**
     * The dense products of the passes: SIMD when the JVM has the vector module, else the scalar twin, with the
     * same bits either way (each output keeps its own sum in a fixed order; lanes and threads only split outputs).
     */
    private static final Products PRODUCTS = Kernels.selected();

    /** tanh over a row of the hidden layer, with StrictMath.tanh's bits (SIMD when the vector module is there). */
    private static final Tanh TANH = Tanh.selected();

    /**
     * sigma'(z) from z and s = sigma(z) of the hidden layer (the bits of sigma.derivative(z)), relu's without a
     * branch (see {@link #reluDerivative}). When sigma' needs only s, the callers pass s for z too
     * ({@link #preactivations}): relu's s &gt; 0 exactly when z &gt; 0, so reluDerivative(s) has the same bits.
     */
    private double derivative(double z, double s) {
        return sigma == Activation.RELU ? reluDerivative(z) : sigma.derivative(z, s);
    }

    /**
     * {@link Activation#RELU}'s value, z &gt; 0 ? z : +0.0, bit for bit (NaN and -0.0 give +0.0), without the
     * branch: on random pre-activations half of the branches mispredict, which made this loop cost as much as
     * the product before it.
     */
    static double relu(double z) {
        long bits = Double.doubleToRawLongBits(z);
        return Double.longBitsToDouble(bits & positiveMask(bits));
    }

    /** {@link Activation#RELU}'s derivative, z &gt; 0 ? 1.0 : +0.0, bit for bit, without the branch. */
    static double reluDerivative(double z) {
        return Double.longBitsToDouble(ONE_BITS & positiveMask(Double.doubleToRawLongBits(z)));
    }

    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
    private static final long INFINITY_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);

    /**
     * All ones if the double with these bits is &gt; 0, else 0: the bits of the positive doubles, from
     * Double.MIN_VALUE to +infinity, are the integers 1 .. INFINITY_BITS (NaNs lie above, negatives and -0.0
     * are negative as longs), so the test is 0 &lt;= bits - 1 &lt; INFINITY_BITS, done with two sign shifts.
     */
    private static long positiveMask(long bits) {
        long below = bits - 1;
        return ((below - INFINITY_BITS) >> 63) & ~(below >> 63);
    }

    /**
     * Neurons per task of the neuron loops (fixed, so that no task's work depends on the thread count), which run
     * block of inputs by block of inputs ({@link #INPUT_BLOCK}): each block of the inputs is read from the cache
     * once for all of a task's neurons, so the wider the task the less the inputs travel. With 16 neurons per task and whole rows of inputs, the inputs
     * (n d doubles, 800 kB at n = 1000, d = 100) were read once per 16 neurons and did not stay in a 1 MB L2 cache
     * next to the activations being written: the products ran at 35 to 52 GFLOP/s depending on where the JVM's
     * pages fell, 50 to 54 with these blocks. Any block sizes give the same bits: no sum is split differently.
     */
    static final int NEURON_BLOCK = 64;

    /**
     * Neurons per task of this net's neuron loops: {@link #NEURON_BLOCK}, or 16 below 4 NEURON_BLOCK neurons, so that a
     * narrow net still has tasks for several threads (m = 64 would be a single task). Any task width gives the same
     * bits; it depends on m alone, never on the thread count.
     */
    private int neuronTask() {
        return m >= 4 * NEURON_BLOCK ? NEURON_BLOCK : 16;
    }
    /** Inputs per block of the forward and backward passes (see {@link #NEURON_BLOCK}). */
    static final int INPUT_BLOCK = 128;
    /** Inputs per task of the input loops. */
    static final int SAMPLE_CHUNK = 32;
    // tag::model-output-sum[]
    /**
     * The correctly rounded sum over neurons of the terms w_j t_ji of input i (w null: t_ji), from their
     * error-free running sums (h, l, e of Products.twoSumColumns) when {@link ExactSum#certifiedRounding} certifies
     * it, else from the chunk's superaccumulator: the same bits either way, in any order of the neurons.
     */
    private double outputSum(double[] w, double[] t, int n, int i, double h, double l, double e, ExactSum exact) {
        double sum = ExactSum.certifiedRounding(h, l, e, m);
        if (!Double.isNaN(sum)) {
            return sum;
        }
        exact.reset();
        for (int j = 0; j < m; j++) {
            exact.add(w == null ? t[j * n + i] : w[j] * t[j * n + i]);
        }
        return exact.value();
    }
    // end::model-output-sum[]

    /**
     * &lt;u[uo..uo+len), v[vo..vo+len)&gt; with four interleaved accumulators (a fixed order, so the result is
     * reproducible; four independent chains let the CPU overlap the additions).
     */
    static double dot(double[] u, int uo, double[] v, int vo, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < len; k += 4) {
            s0 += u[uo + k] * v[vo + k];
            s1 += u[uo + k + 1] * v[vo + k + 1];
            s2 += u[uo + k + 2] * v[vo + k + 2];
            s3 += u[uo + k + 3] * v[vo + k + 3];
        }
        for (; k < len; k++) {
            s0 += u[uo + k] * v[vo + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * The dot products of u[uo..uo+len) with four consecutive rows of v (row length len, the first at vo),
     * written to out[oo..oo+4): each with exactly the arithmetic of {@link #dot} (so the bits are the same), but
     * reading u once for the four rows.
     */
    static void dot4(double[] u, int uo, double[] v, int vo, int len, double[] out, int oo) {
        int v1 = vo + len, v2 = v1 + len, v3 = v2 + len;
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        double c0 = 0, c1 = 0, c2 = 0, c3 = 0, e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        int k = 0;
        for (; k + 3 < len; k += 4) {
            double u0 = u[uo + k], u1 = u[uo + k + 1], u2 = u[uo + k + 2], u3 = u[uo + k + 3];
            a0 += u0 * v[vo + k]; a1 += u1 * v[vo + k + 1]; a2 += u2 * v[vo + k + 2]; a3 += u3 * v[vo + k + 3];
            b0 += u0 * v[v1 + k]; b1 += u1 * v[v1 + k + 1]; b2 += u2 * v[v1 + k + 2]; b3 += u3 * v[v1 + k + 3];
            c0 += u0 * v[v2 + k]; c1 += u1 * v[v2 + k + 1]; c2 += u2 * v[v2 + k + 2]; c3 += u3 * v[v2 + k + 3];
            e0 += u0 * v[v3 + k]; e1 += u1 * v[v3 + k + 1]; e2 += u2 * v[v3 + k + 2]; e3 += u3 * v[v3 + k + 3];
        }
        for (; k < len; k++) {
            double uk = u[uo + k];
            a0 += uk * v[vo + k];
            b0 += uk * v[v1 + k];
            c0 += uk * v[v2 + k];
            e0 += uk * v[v3 + k];
        }
        out[oo] = (a0 + a1) + (a2 + a3);
        out[oo + 1] = (b0 + b1) + (b2 + b3);
        out[oo + 2] = (c0 + c1) + (c2 + c3);
        out[oo + 3] = (e0 + e1) + (e2 + e3);
    }

    /** y[yo..yo+len) += alpha * x[xo..xo+len). */
    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
        for (int k = 0; k < len; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }

    private void checkTheta(double[] theta) {
        if (theta.length != size) {
            throw new IllegalArgumentException("theta: expected " + size + " parameters, got " + theta.length);
        }
    }

    private static void checkTargets(double[] y, Batch b) {
        if (y.length != b.n) {
            throw new IllegalArgumentException("y: expected " + b.n + " targets, got " + y.length);
        }
    }

    @Override
    public String toString() {
        return "TwoLayerNet[d=" + d + ", m=" + m + ", sigma=" + sigma.name().toLowerCase(java.util.Locale.ROOT)
                + ", parameterization=" + parameterization.name() + ", P=" + size + "]";
    }
}
