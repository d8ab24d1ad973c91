package twolayer.dynamics;

import java.util.Objects;
import org.apache.commons.math3.exception.MaxCountExceededException;
import org.apache.commons.math3.exception.NumberIsTooSmallException;
import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.apache.commons.math3.ode.nonstiff.AdaptiveStepsizeIntegrator;
import org.apache.commons.math3.ode.nonstiff.DormandPrince853Integrator;
import org.apache.commons.math3.ode.sampling.StepHandler;
import org.apache.commons.math3.ode.sampling.StepInterpolator;
import twolayer.model.TwoLayerNet;

/**
 * Gradient flow d theta_g/dt = -rho_g grad_g L(theta), integrated by the adaptive Dormand-Prince 8(5,3)
 * Runge-Kutta method of commons-math3 (Hairer, Norsett, Wanner, "Solving ODEs I", section II.10).
 *
 * <p>Error control (commons-math3 {@code AdaptiveStepsizeIntegrator}): a step is accepted iff
 * sqrt( (1/P) sum_i (err_i / (absTol + relTol * max(|theta_i|, |theta_i'|)))^2 ) &lt; 1, so the local error of each
 * coordinate stays below absTol + relTol |theta_i|. States at the requested times come from the method's dense
 * output (its continuous extension), not from extra steps.
 */
public final class GradientFlow implements Dynamics {

    /**
     * @param absoluteTolerance absTol of the error control (> 0)
     * @param relativeTolerance relTol of the error control (>= 0)
     * @param maxStep           largest time step (> 0; +inf for no limit)
     * @param maxEvaluations    largest number of vector-field evaluations before giving up
     */
    public record Config(double absoluteTolerance, double relativeTolerance, double maxStep, int maxEvaluations) {
        public Config {
            if (!(absoluteTolerance > 0)) {
                throw new IllegalArgumentException("absoluteTolerance: must be > 0, got " + absoluteTolerance);
            }
            if (!(relativeTolerance >= 0)) {
                throw new IllegalArgumentException("relativeTolerance: must be >= 0, got " + relativeTolerance);
            }
            if (!(maxStep > 0)) {
                throw new IllegalArgumentException("maxStep: must be > 0, got " + maxStep);
            }
            if (maxEvaluations < 1) {
                throw new IllegalArgumentException("maxEvaluations: must be >= 1, got " + maxEvaluations);
            }
        }

        /** Tight tolerances (1e-10 absolute and relative): the reference trajectory of the claims. */
        public static Config precise() {
            return new Config(1e-10, 1e-10, Double.POSITIVE_INFINITY, 50_000_000);
        }
    }

    /** The smallest step the integrator may take before the flow is reported as diverging. */
    private static final double MIN_STEP = 1e-14;

    private final TrainingProblem problem;
    private final Config config;
    private final TwoLayerNet net;
    private double[] theta;
    private double time;
    private long steps;
    private long evaluations;
    private DivergenceRule rule;

    /** Starts at the net's initial parameters, at t = 0. */
    public GradientFlow(TrainingProblem problem, Config config) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.config = Objects.requireNonNull(config, "config");
        this.net = problem.net();
        this.theta = net.initialParameters();
    }

    @Override public TwoLayerNet net() { return net; }

    @Override public double time() { return time; }

    /** The number of accepted integrator steps. */
    @Override public long steps() { return steps; }

    /** The number of vector-field (gradient) evaluations. */
    public long evaluations() { return evaluations; }

    @Override public double[] parameters() { return theta.clone(); }

    @Override
    public void run(double[] times, TrainingObserver observer) {
        Dynamics.checkTimes(times, time);
        observer.init(checked(new TrainingState(time, steps, problem.loss(theta), theta.clone())));
        int next = 0;
        while (next < times.length && times[next] == time) {
            observer.observe(checked(new TrainingState(time, steps, problem.loss(theta), theta.clone())));
            next++;
        }
        if (next < times.length) {
            integrate(times, next, observer);
        }
        observer.finish(checked(new TrainingState(time, steps, problem.loss(theta), theta.clone())));
    }

    /** The state, after {@link DivergenceRule}'s check (the rule is fixed at the first state checked). */
    private TrainingState checked(TrainingState state) {
        if (rule == null) {
            rule = DivergenceRule.at(state.loss(), state.theta(), problem.nullLoss());
        }
        String why = rule.violation(state.loss(), state.theta());
        if (why != null) {
            throw new DivergenceException("gradient flow diverged at t = " + state.time() + ": " + why
                    + "; the flow has no bounded solution from this initialisation at these rates",
                    state.step(), state.time(), new double[0], Double.NaN);
        }
        return state;
    }

    private void integrate(double[] times, int first, TrainingObserver observer) {
        final int size = theta.length;
        final double[] grad = new double[size];
        FirstOrderDifferentialEquations field = new FirstOrderDifferentialEquations() {
            @Override public int getDimension() { return size; }

            @Override public void computeDerivatives(double t, double[] y, double[] yDot) {
                evaluations++;
                double value = problem.velocity(y, grad, yDot);
                if (!Double.isFinite(value)) {
                    throw new DivergenceException("gradient flow diverged at t = " + t + ": the loss became " + value
                            + "; the flow has no finite solution from this initialisation at these rates",
                            steps, t, new double[0], Double.NaN);
                }
            }
        };
        AdaptiveStepsizeIntegrator integrator = new DormandPrince853Integrator(MIN_STEP, config.maxStep(),
                config.absoluteTolerance(), config.relativeTolerance());
        integrator.setMaxEvaluations(config.maxEvaluations());
        integrator.addStepHandler(new StepHandler() {
            private int next = first;

            @Override public void init(double t0, double[] y0, double t) { }

            // tag::dynamics-dense-output[]
            @Override public void handleStep(StepInterpolator interpolator, boolean isLast) {
                steps++;
                double end = interpolator.getCurrentTime();
                while (next < times.length && (times[next] <= end || (isLast && next == times.length - 1))) {
                    interpolator.setInterpolatedTime(Math.min(times[next], end));
                    double[] state = interpolator.getInterpolatedState().clone();
                    observer.observe(checked(new TrainingState(times[next], steps, problem.loss(state), state)));
                    next++;
                }
            }
            // end::dynamics-dense-output[]
        });
        double[] end = new double[size];
        try {
            integrator.integrate(field, time, theta.clone(), times[times.length - 1], end);
        } catch (NumberIsTooSmallException e) {
            throw new DivergenceException("gradient flow: the step size fell below " + MIN_STEP + " near t = "
                    + time + "; the flow is too stiff or blows up (try smaller rates or a looser tolerance)",
                    steps, time, new double[0], Double.NaN);
        } catch (MaxCountExceededException e) {
            throw new IllegalStateException("gradient flow: more than " + config.maxEvaluations()
                    + " gradient evaluations (--max-evaluations); raise that limit or loosen the tolerances", e);
        }
        theta = end;
        time = times[times.length - 1];
    }
}
