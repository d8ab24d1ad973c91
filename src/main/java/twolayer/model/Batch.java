package twolayer.model;

/**
 * A set of n inputs bound to one {@link TwoLayerNet}, with the frozen offsets g(x_i) computed once and the
 * scratch arrays that the forward and backward passes reuse, so that a training step allocates nothing.
 *
 * <p>Shapes: {@code x} is (n, d) row-major and {@code xt} holds the same inputs transposed, (d, n), so that
 * the pre-activation product Z = W X^T runs its vector lanes along the inputs; {@code z}, {@code s} and
 * {@code work} are (m, n) neuron-major so that the backward pass, which runs over neurons, reads them
 * contiguously.
 * A batch is not thread-safe: one trainer owns it.
 */
public final class Batch {
    final TwoLayerNet net;
    final int n;
    final double[] x;      // (n, d) inputs (own copy)
    final double[] xt;     // (d, n) the inputs transposed, kept equal to x
    final double[] g;      // (n) frozen offsets g(x_i)
    final double[] z;      // (m, n) pre-activations kW <w_j, x_i> + kB b_j; null when sigma' needs only s
    final double[] s;      // (m, n) activations sigma(z)
    final double[] work;   // (m, n) scratch of the Jacobian-vector product
    final double[] f;      // (n) outputs of the last forward pass
    final double[] r;      // (n) residual weights of the last backward pass
    final double[] hi;     // (n) error-free running sums over neurons of the outputs: the float sum,
    final double[] lo;     // (n)   the rounded sum of its errors,
    final double[] err;    // (n)   and of their magnitudes (Products.twoSumColumns)
    final ThreadLocal<double[]> chunkRows; // (NEURON_BLOCK, INPUT_BLOCK) per thread: scratch that stays in the cache
    final ExactSum[] sums; // one per chunk of inputs: the outputs whose rounding the running sums cannot certify
    final Parallelism parallelism;
    double[] hiddenKey;    // the first layer (w, b) that s (and z) were computed at; null unless kept
    boolean hiddenValid;   // whether s (and z) hold the hidden layer at hiddenKey

    /** How the passes over this batch are parallelised. */
    public Parallelism parallelism() {
        return parallelism;
    }

    Batch(TwoLayerNet net, double[] x, int n, Parallelism parallelism, boolean computeOffsets) {
        this.net = net;
        this.n = n;
        this.x = x.clone();
        int d = net.inputDimension();
        this.xt = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                xt[k * n + i] = x[i * d + k];
            }
        }
        int m = net.width();
        this.g = new double[n];
        this.z = net.activation().derivativeFromValue() ? null : new double[m * n];
        this.s = new double[m * n];
        this.work = new double[m * n];
        this.f = new double[n];
        this.r = new double[n];
        int chunks = (n + TwoLayerNet.SAMPLE_CHUNK - 1) / TwoLayerNet.SAMPLE_CHUNK;
        this.hi = new double[n];
        this.lo = new double[n];
        this.err = new double[n];
        this.sums = new ExactSum[chunks];
        this.chunkRows = ThreadLocal.withInitial(
                () -> new double[TwoLayerNet.NEURON_BLOCK * Math.min(n, TwoLayerNet.INPUT_BLOCK)]);
        for (int q = 0; q < sums.length; q++) {
            sums[q] = new ExactSum();
        }
        this.parallelism = parallelism;
        if (computeOffsets) {
            net.computeOffsets(this);
        }
    }

    /**
     * Keeps the hidden layer between passes: the batch remembers the first-layer parameters (w, b) its
     * pre-activations and activations were computed at, and a pass at bit-identical first-layer parameters (a
     * changed second layer, other targets) reuses them instead of recomputing them, which gives the same bits.
     * For dynamics that move the second layer alone between passes (two-timescale training); costs one copy of
     * the first layer per recomputation.
     *
     * @return this
     */
    public Batch keepHiddenLayer() {
        if (hiddenKey == null) {
            hiddenKey = new double[net.offset(Group.C) - net.offset(Group.W)];
            hiddenValid = false;
        }
        return this;
    }

    /** The number of inputs n. */
    public int size() {
        return n;
    }

    /** The net this batch belongs to. */
    public TwoLayerNet net() {
        return net;
    }

    /** The frozen offset g(x_i) of input i. */
    public double offset(int i) {
        return g[i];
    }

    /** Input i, coordinate k. */
    public double input(int i, int k) {
        return x[i * net.inputDimension() + k];
    }

    /**
     * Loads rows {@code rows[0..n)} of {@code source} (inputs and offsets) into this batch: the mini-batch of
     * a stochastic step, without allocating.
     */
    public void loadRows(Batch source, int[] rows) {
        if (source.net != net) {
            throw new IllegalArgumentException("batch: rows must come from a batch of the same net");
        }
        int d = net.inputDimension();
        hiddenValid = false;
        for (int i = 0; i < n; i++) {
            int row = rows[i];
            System.arraycopy(source.x, row * d, x, i * d, d);
            for (int k = 0; k < d; k++) {
                xt[k * n + i] = source.x[row * d + k];
            }
            g[i] = source.g[row];
        }
    }
}
