package twolayer.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import twolayer.data.Dataset;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TrainingState;
import twolayer.measure.KernelDrift;
import twolayer.measure.LinearizationGap;
import twolayer.measure.ProbeOutputs;
import twolayer.measure.TrainingHistory;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * One lazy-training run: a net trained by gradient descent from theta0 and, on the same data from the same theta0
 * with the same optimiser, its first-order Taylor model at theta0 ({@link TrainingProblem#linearized}); at evenly
 * spaced times, the quantities of the lazy-training chapter:
 * <ul>
 *   <li>the relative weight changes RD_a(t) and RD_w(t) ({@link twolayer.measure.WeightChange});</li>
 *   <li>the linearisation gap max_i |f(x_i; theta(t)) - f_lin(x_i; theta_lin(t))| over the probe set
 *       ({@link LinearizationGap});</li>
 *   <li>the relative drift of the empirical NTK on the probe set ({@link KernelDrift});</li>
 *   <li>the training loss and the probe (test) loss of both models.</li>
 * </ul>
 * Time is gradient-flow time: after k steps of size eta, t = k eta (also with momentum, whose effective time is
 * larger by about 1/(1 - mu)).
 */
public final class LazyRun {

    /** How theta0 is drawn. */
    public enum Init {
        /** The parameterisation's own initialisation (a_j ~ N(0, sA^2): symmetric in the sign of a_j). */
        PRESET,
        /**
         * The same draw with every a_j replaced by |a_j|: the law of theta0 is no longer invariant under a_j -> -a_j,
         * which is what lets the O(m^(-1/2)) terms of the linearisation gap survive the average over neurons
         * (lazy-training chapter). Use it with a centred output so that f(x; theta0) stays O(1).
         */
        POSITIVE_OUTPUT_WEIGHTS
    }

    /**
     * @param task              the problem
     * @param dataSeed          seed of the training and probe sets
     * @param parameterization  the scaling of the net
     * @param activation        sigma
     * @param m                 width
     * @param init              how theta0 is drawn
     * @param initSeed          seed of theta0
     * @param optimizer         step size, momentum, batch size and seed of gradient descent (both models)
     * @param steps             number of steps K; the run ends at t = K eta
     * @param observations      number of observations after t = 0 (evenly spaced in steps)
     * @param linearized        whether to train the linearised model too (and measure the gap)
     * @param kernel            whether to measure the kernel drift
     */
    public record Config(LazyTask task, long dataSeed, Parameterization parameterization, Activation activation, int m,
                         Init init, long initSeed, GradientDescent.Config optimizer, long steps, int observations,
                         boolean linearized, boolean kernel) {
        public Config {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(parameterization, "parameterization");
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(init, "init");
            Objects.requireNonNull(optimizer, "optimizer");
            if (m < 1) {
                throw new IllegalArgumentException("m: width must be >= 1, got " + m);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("steps: must be >= 1, got " + steps);
            }
            if (observations < 1) {
                throw new IllegalArgumentException("observations: must be >= 1, got " + observations);
            }
            if (init == Init.POSITIVE_OUTPUT_WEIGHTS && parameterization.antisymmetricInit()) {
                throw new IllegalArgumentException("init: positive output weights contradict the antisymmetric "
                        + "initialisation (which pairs a_j with -a_j)");
            }
        }

        /**
         * The seed study's "simple data" comparison (ntk_approx notebook) at its sizes: 500 training and 500 probe
         * points of the classification task in d = 100, a width-1000 tanh net of the ntk preset, full-batch descent
         * with eta = 10 (a fifteenth of the stability limit) for 30 steps, observed after every step.
         */
        public static Config studyToy() {
            return new Config(LazyTask.classification(500, 500, 100), SITE_SEED, Parameterization.ntk(1.0, 1.0),
                    Activation.TANH, 1000, Init.PRESET, SITE_SEED + 1, GradientDescent.Config.plain(15.0), 20, 20, true,
                    false);
        }

        /** The final time K eta. */
        public double time() {
            return steps * optimizer.eta();
        }

        /** A rough cost in multiply-adds (forward and backward passes), for scheduling. */
        double cost() {
            double perStep = (double) m * task.n() * task.d() * (linearized ? 3 : 1);
            return perStep * steps;
        }
    }

    /**
     * Everything measured at the observed times (entries are NaN where a quantity was not asked for).
     *
     * @param config          the configuration
     * @param times           observed times, t = 0 first
     * @param trainLoss       training loss of the net
     * @param probeLoss       probe (test) loss of the net
     * @param rdA             relative change of the output weights a
     * @param rdW             relative change of the input weights w
     * @param trainLossLinear training loss of the linearised model
     * @param probeLossLinear probe loss of the linearised model
     * @param gap             max over the probes of |f - f_lin|
     * @param gapRms          root-mean-square over the probes of f - f_lin
     * @param drift           relative Frobenius drift of the empirical NTK on the probes
     */
    public record Result(Config config, double[] times, double[] trainLoss, double[] probeLoss, double[] rdA,
                         double[] rdW, double[] trainLossLinear, double[] probeLossLinear, double[] gap,
                         double[] gapRms, double[] drift) {

        private int last() {
            return times.length - 1;
        }

        /** RD_a at the final time. */
        public double finalRdA() { return rdA[last()]; }

        /** RD_w at the final time. */
        public double finalRdW() { return rdW[last()]; }

        /** The gap at the final time. */
        public double finalGap() { return gap[last()]; }

        /** The root-mean-square gap at the final time. */
        public double finalGapRms() { return gapRms[last()]; }

        /** The kernel drift at the final time. */
        public double finalDrift() { return drift[last()]; }

        /** The net's training loss at the final time. */
        public double finalTrainLoss() { return trainLoss[last()]; }

        /** The linearised model's training loss at the final time. */
        public double finalTrainLossLinear() { return trainLossLinear[last()]; }
    }

    /** The seed of the site's figures (the project's start date, as {@code twolayer.ledger.Seeds}). */
    public static final long SITE_SEED = 20261123L;

    private LazyRun() {
    }

    /** The net of a configuration, with theta0 drawn as configured. */
    public static TwoLayerNet net(Config c) {
        TwoLayerNet net = TwoLayerNet.initialize(c.task().d(), c.m(), c.activation(), c.parameterization(), c.initSeed());
        if (c.init() == Init.POSITIVE_OUTPUT_WEIGHTS) {
            double[] theta0 = net.initialParameters();
            for (int j = net.offset(Group.A); j < net.offset(Group.A) + net.count(Group.A); j++) {
                theta0[j] = Math.abs(theta0[j]);
            }
            net = TwoLayerNet.withInitialParameters(c.task().d(), c.m(), c.activation(), c.parameterization(), theta0);
        }
        return net;
    }

    /** Runs one configuration; the loops over neurons use {@code parallelism}. */
    public static Result run(Config c, Parallelism parallelism) {
        return run(c, parallelism, false);
    }

    /**
     * Runs one configuration with the net on the calling thread and its linearisation on a
     * second thread (the two trainings are independent until they are compared): for a single
     * large run on two cores.
     */
    public static Result runOnTwoThreads(Config c) {
        return run(c, Parallelism.sequential(), true);
    }

    private static Result run(Config c, Parallelism parallelism, boolean concurrently) {
        LazyTask.Draw data = c.task().draw(c.dataSeed());
        Dataset probes = data.probes();
        TwoLayerNet net = net(c);
        double[] times = observationTimes(c);

        // tag::experiment-lazy-run[]
        // The linearised model, trained from the same theta0 with the same optimiser
        ProbeOutputs linearOutputs = null;
        LossRecorder linearLoss = new LossRecorder();
        FutureTask<Void> linearRun = null;
        if (c.linearized()) {
            TrainingProblem linear =
                    TrainingProblem.linearized(net, data.train(), data.loss(), parallelism);
            ProbeOutputs recorder = new ProbeOutputs(linear, probes.x(), probes.n());
            linearOutputs = recorder;
            linearRun = new FutureTask<>(() -> new GradientDescent(linear, c.optimizer())
                    .run(times, recorder.andThen(linearLoss)), null);
            if (concurrently) {
                Thread helper = new Thread(linearRun, "lazy-linearised");
                helper.setDaemon(true);
                helper.start();
            }
        }

        // The net, recording weight changes, probe outputs and the kernel
        TrainingProblem problem =
                new TrainingProblem(net, data.train(), data.loss(), parallelism);
        TrainingHistory history = new TrainingHistory(net);
        ProbeOutputs outputs = new ProbeOutputs(problem, probes.x(), probes.n());
        TrainingObserver observer = history.andThen(outputs);
        KernelDrift drift = null;
        if (c.kernel()) {
            drift = new KernelDrift(net, probes.x(), probes.n(), parallelism);
            observer = observer.andThen(drift);
        }
        new GradientDescent(problem, c.optimizer()).run(times, observer);
        // end::experiment-lazy-run[]

        if (linearRun != null) {
            if (!concurrently) {
                linearRun.run();
            }
            await(linearRun);
        }
        return collect(c, times, probes, data.loss(), history, outputs, linearOutputs, linearLoss,
                drift);
    }

    private static void await(FutureTask<Void> task) {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("lazy run interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("training the linearised model failed: " + cause, cause);
        }
    }

    /** The measured series as arrays (NaN for what was not measured). */
    private static Result collect(Config c, double[] times, Dataset probes, Loss loss, TrainingHistory history,
                                  ProbeOutputs outputs, ProbeOutputs linearOutputs, LossRecorder linearLoss,
                                  KernelDrift drift) {
        int count = times.length;
        double[] trainLoss = new double[count], rdA = new double[count], rdW = new double[count];
        for (int k = 0; k < count; k++) {
            TrainingHistory.Row row = history.rows().get(k);
            trainLoss[k] = row.loss();
            rdA[k] = row.weightChange().get(Group.A);
            rdW[k] = row.weightChange().get(Group.W);
        }
        double[] probeLoss = probeLosses(outputs, probes, loss);
        double[] trainLossLinear = nan(count), probeLossLinear = nan(count), gap = nan(count), gapRms = nan(count);
        if (linearOutputs != null) {
            trainLossLinear = linearLoss.values();
            probeLossLinear = probeLosses(linearOutputs, probes, loss);
            LinearizationGap.Series series = LinearizationGap.between(outputs, linearOutputs);
            gap = series.max();
            gapRms = series.rms();
        }
        double[] kernelDrift = nan(count);
        if (drift != null) {
            for (int k = 0; k < count; k++) {
                kernelDrift[k] = drift.drifts().get(k);
            }
        }
        return new Result(c, times, trainLoss, probeLoss, rdA, rdW, trainLossLinear, probeLossLinear, gap, gapRms,
                kernelDrift);
    }

    /**
     * Runs the configurations on {@code threads} worker threads, each run on its own thread (the loops inside a run
     * are sequential), the most expensive first; the results are in the order of the configurations and do not
     * depend on the number of threads.
     */
    public static List<Result> runAll(List<Config> configs, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be >= 1, got " + threads);
        }
        Integer[] order = new Integer[configs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -configs.get(i).cost()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lazy-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Result>> futures = new ArrayList<>(configs.size());
            for (int i = 0; i < configs.size(); i++) {
                futures.add(null);
            }
            for (int i : order) {
                Config c = configs.get(i);
                futures.set(i, pool.submit(() -> run(c, Parallelism.sequential())));
            }
            List<Result> results = new ArrayList<>(configs.size());
            for (Future<Result> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("lazy runs interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("lazy run failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The number of worker threads the sweeps use by default: one per core. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** t = 0 and the ends of {@code observations} equal blocks of steps (repeated step counts observed once). */
    static double[] observationTimes(Config c) {
        long[] steps = new long[c.observations() + 1];
        int count = 0;
        for (int j = 0; j <= c.observations(); j++) {
            long s = j * c.steps() / c.observations();
            if (count == 0 || s != steps[count - 1]) {
                steps[count++] = s;
            }
        }
        double[] times = new double[count];
        for (int k = 0; k < count; k++) {
            times[k] = steps[k] * c.optimizer().eta();
        }
        return times;
    }

    private static double[] probeLosses(ProbeOutputs outputs, Dataset probes, Loss loss) {
        double[] values = new double[outputs.count()];
        for (int k = 0; k < values.length; k++) {
            double[] f = outputs.outputsAt(k);
            double total = 0.0;
            for (int i = 0; i < f.length; i++) {
                total += loss.value(f[i], probes.y(i));
            }
            values[k] = total / f.length;
        }
        return values;
    }

    private static double[] nan(int count) {
        double[] v = new double[count];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    /** Records the loss at each observation. */
    private static final class LossRecorder implements TrainingObserver {
        private final List<Double> losses = new ArrayList<>();

        @Override
        public void observe(TrainingState s) {
            losses.add(s.loss());
        }

        double[] values() {
            double[] v = new double[losses.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = losses.get(k);
            }
            return v;
        }
    }
}
