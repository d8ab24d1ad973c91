package twolayer.run;

import twolayer.dynamics.Conventions;
import twolayer.dynamics.Dynamics;
import twolayer.dynamics.MeanFieldLangevin;
import twolayer.dynamics.ObservationTimes;
import twolayer.dynamics.TrainingProblem;

/**
 * Mean-field Langevin dynamics ({@link MeanFieldLangevin}) for a whole number of steps; the net must have the
 * mean-field rates rho = m. It records the particles' regularised energy and, where it applies, the certified
 * bounds on the optimal free energy ({@link FreeEnergyRecorder}).
 *
 * @param config step size, entropy temperature lambda, L2 strengths lambdaA and lambdaW, noise seed
 * @param steps  number of steps k (&gt;= 1); the run ends at t = k eta
 */
public record Langevin(MeanFieldLangevin.Config config, long steps) implements Schedule {
    public Langevin {
        Schedule.requireConfigAndSteps(config, steps);
    }

    @Override public String name() { return "mfld"; }

    /**
     * With lambda &gt; 0 the increments come from the streams ({@link RandomStreams#gaussian}), P = the number of
     * a, w and b coordinates per step; lambda = 0 draws none.
     */
    @Override
    public Dynamics start(TrainingProblem problem, RandomStreams streams) {
        double[] start = problem.net().initialParameters();
        if (config.lambda() == 0) {
            return new MeanFieldLangevin(problem, config, start);
        }
        return new MeanFieldLangevin(problem, config, start,
                streams.gaussian(config.seed(), steps, noiseWidth(problem.net())));
    }

    /** P, the Gaussian increments per step: every a, w and b coordinate (the output bias c is no particle's). */
    public static int noiseWidth(twolayer.model.TwoLayerNet net) {
        return net.count(twolayer.model.Group.A) + net.count(twolayer.model.Group.W)
                + net.count(twolayer.model.Group.B);
    }

    /** The final time k eta. */
    @Override public double time() { return steps * config.eta(); }

    @Override public double[] observationTimes(int observations) {
        return ObservationTimes.ofSteps(steps, config.eta(), observations);
    }

    @Override public String stepUnit() { return "MFLD steps taken"; }

    @Override public Meter meter(int observations) {
        return new Meter("train (mfld steps)", steps, s -> s.step());
    }

    @Override
    public Recorder recorder(TrainingRun.Config run, Dynamics dynamics) {
        return new FreeEnergyRecorder(run, dynamics.net(), config);
    }

    @Override public boolean drawsNoise() { return config.lambda() > 0; }

    @Override
    public void describe(RunDescription into) {
        into.setting("steps", steps).setting("eta", config.eta()).setting("lambda", config.lambda())
                .setting("lambda-a", config.lambdaA()).setting("lambda-w", config.lambdaW());
        into.convention("observations", Conventions.STEP_OBSERVATIONS)
                .convention("mfld", Conventions.MFLD)
                .convention("free_energy", Conventions.FREE_ENERGY);
    }
}
