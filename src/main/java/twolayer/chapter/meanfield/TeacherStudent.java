package twolayer.chapter.meanfield;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import twolayer.data.TeacherNetwork;
import twolayer.dynamics.OnlineSgd;
import twolayer.model.Activation;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * The mean-field teacher-student benchmark of the NTK-and-MF study (hendrydong/NTK-and-MF-examples, MF/MF.ipynb;
 * Fang, Dong, Zhang 2021): a student f(x) = (1/m) sum_j u_j sigmoid(&lt;theta_j, x&gt;), u_j, theta_j ~ N(0, 1),
 * learns the teacher f*(x) = (1/4) sum_r sigmoid(&lt;theta*_r, x&gt;) with theta* = (2,0), (1,2), (2,1), (0,2)
 * ({@link TeacherNetwork#meanFieldStudyTeacher()}) from inputs x ~ N(0, 100^2 I_2) and labels with noise 0.1,
 * by online SGD ({@link OnlineSgd}, a fresh batch every step) on the squared loss, in the meanField preset
 * (here u = a, theta = w). At input scale 100 a sigmoid unit is nearly the step 1[&lt;theta, x&gt; &gt; 0], so only
 * the direction of theta matters, and the optimal measure puts its mass on the four teacher rays.
 *
 * <p>The schedule differs from the study's and is scaled down to fit the test budget (the chapter discusses why):
 * <ul>
 *   <li>the study uses torch SGD with lr 10 on MSE for every width, a per-particle step 20/m in this project's
 *       units (eta rho with the 1/2 in the loss): 5 at m = 4, 0.5 at m = 40. Here every width uses the same
 *       mean-field rate, eta = 0.5 (the study's m = 40 value), so all widths are compared at the same time t;</li>
 *   <li>batches of 1000 instead of 10 000 and 4000 steps instead of 10 000; the SGD noise floor of the test
 *       error grows like eta / batch, so a second phase of 1000 steps at eta / 10 brings it back to the study's
 *       level (the notebook itself remarks that decaying the rate lowers the m = 40 error below 1e-5).</li>
 * </ul>
 * The test error is the study's: the mean squared error against the clean teacher, here on a fixed sample of
 * 2000 points instead of the current batch.
 */
public final class TeacherStudent {

    /** The teacher directions theta*_r, (4, 2) row-major. */
    public static double[] teacherDirections() {
        return TeacherNetwork.meanFieldStudyTeacher().w();
    }

    /**
     * @param m         width
     * @param lambdaA   ridge on the output weights ((lambdaA / 2)(1/m) sum u_j^2, see {@link OnlineSgd})
     * @param batchSize fresh points per step
     * @param eta       step size of the first phase
     * @param steps     steps of the first phase
     * @param decay     factor of the step size in the second phase (1 for none)
     * @param decayedSteps steps of the second phase
     * @param observations observations per phase (the steps of each phase must be a multiple)
     * @param seed      seed of the initialisation and of the data stream
     */
    public record Config(int m, double lambdaA, int batchSize, double eta, int steps, double decay, int decayedSteps,
                         int observations, long seed) {
        public Config {
            if (m < 1 || steps < 1 || decayedSteps < 0 || observations < 1) {
                throw new IllegalArgumentException("m, steps, observations >= 1, decayedSteps >= 0: got " + m + ", "
                        + steps + ", " + observations + ", " + decayedSteps);
            }
            if (steps % observations != 0 || decayedSteps % observations != 0) {
                throw new IllegalArgumentException("steps, decayedSteps: must be multiples of observations = "
                        + observations);
            }
            if (!(decay > 0 && decay <= 1)) {
                throw new IllegalArgumentException("decay: must be in (0, 1], got " + decay);
            }
        }

        // tag::experiment-teacher-student-config[]
        /**
         * The chapter's run at width m: eta = 0.5 for 4000 steps, then 0.05 for 1000 steps, batches of
         * 1000, and the study's ridge 0.01 on u at m = 400 only (the study adds it there "for
         * convergence to the optimal distribution").
         */
        public static Config study(int m, long seed) {
            return new Config(m, m >= 400 ? 0.01 : 0.0, 1000, 0.5, 4000, 0.1, 1000, 20, seed);
        }
        // end::experiment-teacher-student-config[]

        /** The same run at another width (the ridge unchanged). */
        public Config withWidth(int newM) {
            return new Config(newM, lambdaA, batchSize, eta, steps, decay, decayedSteps, observations, seed);
        }

        /** The same run with another number of steps per phase and batch size (for the cheaper claim runs). */
        public Config scaled(int newSteps, int newDecayedSteps, int newBatch) {
            return new Config(m, lambdaA, newBatch, eta, newSteps, decay, newDecayedSteps, observations, seed);
        }
    }

    /**
     * One run: the test error at each observed time and the parameters there.
     *
     * @param net        the student (its layout and initialisation)
     * @param times      observed times t (0 first)
     * @param testErrors mean (f - f*)^2 on the fixed test sample at each time
     * @param thetas     the parameters at each time
     */
    public record Run(TwoLayerNet net, double[] times, double[] testErrors, List<double[]> thetas) {
        /** The test error at the end of the run. */
        public double finalTestError() {
            return testErrors[testErrors.length - 1];
        }

        /** The parameters at the end of the run. */
        public double[] finalTheta() {
            return thetas.get(thetas.size() - 1).clone();
        }
    }

    private TeacherStudent() {
    }

    // tag::experiment-teacher-student-run[]
    /** Trains one student: phase 1 at eta, phase 2 at decay * eta from where phase 1 ended. */
    public static Run run(Config c) {
        SplittableRandom rng = new SplittableRandom(c.seed());
        TwoLayerNet net = TwoLayerNet.initialize(2, c.m(), Activation.SIGMOID,
                Parameterization.meanField(), rng.nextLong());
        TeacherNetwork teacher = TeacherNetwork.meanFieldStudyTeacher();
        long testSeed = rng.nextLong(), dataSeed = rng.nextLong(), decayedSeed = rng.nextLong();
        OnlineSgd phase1 = new OnlineSgd(net, teacher, new OnlineSgd.Config(c.eta(),
                c.batchSize(), c.lambdaA(), 100.0, 0.1, 2000, testSeed, dataSeed));
        List<Double> times = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        List<double[]> thetas = new ArrayList<>();
        record(phase1, 0.0, times, errors, thetas);
        observe(phase1, c.steps(), c.observations(), 0.0, times, errors, thetas);
        if (c.decayedSteps() > 0) {
            // The same test sample (testSeed), fresh batches (decayedSeed)
            OnlineSgd.Config decayed = new OnlineSgd.Config(c.eta() * c.decay(), c.batchSize(),
                    c.lambdaA(), 100.0, 0.1, 2000, testSeed, decayedSeed);
            OnlineSgd phase2 = new OnlineSgd(net, teacher, decayed, phase1.parameters());
            observe(phase2, c.decayedSteps(), c.observations(), phase1.time(), times, errors,
                    thetas);
        }
        return new Run(net, times.stream().mapToDouble(Double::doubleValue).toArray(),
                errors.stream().mapToDouble(Double::doubleValue).toArray(), thetas);
    }
    // end::experiment-teacher-student-run[]

    private static void observe(OnlineSgd sgd, int steps, int observations, double t0, List<Double> times,
                                List<Double> errors, List<double[]> thetas) {
        int every = steps / observations;
        for (int k = 0; k < observations; k++) {
            for (int s = 0; s < every; s++) {
                sgd.step();
            }
            record(sgd, t0, times, errors, thetas);
        }
    }

    private static void record(OnlineSgd sgd, double t0, List<Double> times, List<Double> errors,
                               List<double[]> thetas) {
        double[] theta = sgd.parameters();
        times.add(t0 + sgd.time());
        errors.add(sgd.testError(theta));
        thetas.add(theta);
    }
}
