package twolayer.run;

import twolayer.dynamics.Conventions;
import twolayer.dynamics.Dynamics;
import twolayer.dynamics.ObservationTimes;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TwoTimescale;

/**
 * Two-timescale training ({@link TwoTimescale}) for a whole number of steps; the net must have the mean-field
 * multiplier and rates, no output bias, and the loss must be squared. It records its objective and the intrinsic
 * kernel's alignment and degrees of freedom ({@link IntrinsicKernelRecorder}).
 *
 * @param config         step size, lambda, lambdaA (the inner ridge), lambdaW, rate ratio, noise seed
 * @param steps          number of first-layer steps k (&gt;= 1); the run ends at t = k eta
 * @param labelNoise     half-width sigma of the label-noise procedure ({@link TwoTimescale#withLabelNoise});
 *                       0 for none
 * @param labelNoiseSeed seed of the label noise
 */
public record TwoTimescales(TwoTimescale.Config config, long steps, double labelNoise, long labelNoiseSeed)
        implements Schedule {
    public TwoTimescales {
        Schedule.requireConfigAndSteps(config, steps);
        if (!(labelNoise >= 0) || !Double.isFinite(labelNoise)) {
            throw new IllegalArgumentException("labelNoise: must be finite and >= 0, got " + labelNoise);
        }
        if (labelNoise > 0 && !config.isExact()) {
            throw new IllegalArgumentException("labelNoise: the label-noise procedure needs the exact inner solve"
                    + " (ratio infinity), got ratio " + config.ratio());
        }
    }

    /** Without label noise. */
    public TwoTimescales(TwoTimescale.Config config, long steps) {
        this(config, steps, 0.0, 0L);
    }

    @Override public String name() { return "two-timescale"; }

    /**
     * The increments (lambda &gt; 0; P = the number of w and b coordinates per step) and the label noise come from
     * the streams ({@link RandomStreams#gaussian}, {@link RandomStreams#labelNoise}).
     */
    @Override
    public Dynamics start(TrainingProblem problem, RandomStreams streams) {
        double[] start = problem.net().initialParameters();
        TwoTimescale twoTimescale = config.lambda() == 0
                ? new TwoTimescale(problem, config, start)
                : new TwoTimescale(problem, config, start, streams.gaussian(config.seed(), steps,
                        noiseWidth(problem.net())));
        return labelNoise > 0
                ? twoTimescale.withLabelNoise(labelNoise, streams.labelNoise(labelNoise, labelNoiseSeed, steps,
                        problem.data().n()))
                : twoTimescale;
    }

    /** P, the Gaussian increments per step: every w and b coordinate (the second layer gets none). */
    public static int noiseWidth(twolayer.model.TwoLayerNet net) {
        return net.count(twolayer.model.Group.W) + net.count(twolayer.model.Group.B);
    }

    /** The final time k eta. */
    @Override public double time() { return steps * config.eta(); }

    @Override public double[] observationTimes(int observations) {
        return ObservationTimes.ofSteps(steps, config.eta(), observations);
    }

    @Override public String stepUnit() { return "first-layer steps taken"; }

    @Override public Meter meter(int observations) {
        return new Meter("train (two-timescale steps)", steps, s -> s.step());
    }

    @Override
    public Recorder recorder(TrainingRun.Config run, Dynamics dynamics) {
        return new IntrinsicKernelRecorder((TwoTimescale) dynamics, run.data().y());
    }

    @Override public boolean drawsNoise() { return config.lambda() > 0; }

    @Override public boolean drawsLabelNoise() { return labelNoise > 0; }

    @Override
    public void describe(RunDescription into) {
        into.setting("steps", steps).setting("eta", config.eta()).setting("lambda", config.lambda())
                .setting("lambda-a", config.lambdaA()).setting("lambda-w", config.lambdaW())
                .setting("ratio", config.isExact() ? "inf" : config.ratio())
                .setting("label-noise", labelNoise);
        into.convention("observations", Conventions.STEP_OBSERVATIONS)
                .convention("two_timescale", Conventions.TWO_TIMESCALE)
                .convention("objective", Conventions.OBJECTIVE);
        if (labelNoise > 0) {
            into.convention("label_noise", "every step fresh eps ~ U[-sigma, sigma]^n, sigma = label-noise, from"
                    + " its own seed; the particles also move down the gradient of +(lambda_a/2) a_(mu,eps)^2,"
                    + " a_(mu,eps) the ridge readout fitted to eps");
        }
    }
}
