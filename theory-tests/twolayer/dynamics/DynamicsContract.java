package twolayer.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import twolayer.data.Dataset;
import twolayer.model.Parallelism;

/**
 * The contract every {@link Dynamics} keeps (architecture chapter, section "Adding a dynamics"), as one abstract
 * suite in the style of Hipparchus' integrator tests: a subclass per dynamics supplies a small problem, the dynamics
 * and, where the dynamics can diverge, a configuration that does; the checks are written once here.
 * <ul>
 *   <li>the clock: a fixed-step dynamics is at t = eta k after k steps and hands the observer exactly the times it
 *       was asked for; gradient flow hands exactly the requested times;</li>
 *   <li>times in the past, non-finite times and, for a fixed-step dynamics, times between two steps are refused;</li>
 *   <li>the observer sees init, then one observe per requested time, then finish, with the states in time order;</li>
 *   <li>{@link Dynamics#parameters()} and the observed states are copies: changing them changes nothing;</li>
 *   <li>the same seeds give the same bits, with 1 and 2 threads and on a rerun;</li>
 *   <li>a diverging run stops with a {@link DivergenceException} that names its step and suggests a smaller step
 *       size, also when the step that diverges is the last one asked for.</li>
 * </ul>
 * Controls, each tried once and seen to fail the suite: {@code parameters()} returning the live array instead of a
 * copy (fails the copy check); the divergence rule skipped on the state after the last step (fails the divergence
 * check, which then hands out a diverged state).
 */
abstract class DynamicsContract {

    /** The dynamics under test on {@link #problem}, started at its net's initial parameters. */
    abstract Dynamics create(TrainingProblem problem);

    /** A small training problem for this dynamics, its work split over the given threads. */
    abstract TrainingProblem problem(Parallelism parallelism);

    /** The step size of a fixed-step dynamics; NaN for gradient flow. */
    abstract double eta();

    /** The same dynamics at a step size far past its stability limit, or null if it cannot diverge. */
    abstract Dynamics divergent(TrainingProblem problem);

    /** A smooth regression problem: x ~ N(0, I_d), y = tanh(2 x_1) - x_d / 2. */
    static Dataset regression(long seed, int n, int d) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.tanh(2 * x[i * d]) - 0.5 * x[i * d + d - 1];
        }
        return new Dataset(x, y, n, d);
    }

    private boolean discrete() {
        return !Double.isNaN(eta());
    }

    /** Requested times: three whole steps apart for a fixed-step dynamics, 0.3 apart for the flow. */
    private double[] times(int count) {
        double[] t = new double[count];
        for (int j = 0; j < count; j++) {
            t[j] = discrete() ? (3 * (j + 1)) * eta() : 0.3 * (j + 1);
        }
        return t;
    }

    /** Records the order of the observer's calls and the states it was handed. */
    static final class Recording implements TrainingObserver {
        final List<String> calls = new ArrayList<>();
        final List<TrainingState> states = new ArrayList<>();

        @Override public void init(TrainingState s) { calls.add("init"); states.add(s); }
        @Override public void observe(TrainingState s) { calls.add("observe"); states.add(s); }
        @Override public void finish(TrainingState s) { calls.add("finish"); states.add(s); }
    }

    @Test
    void clockIsGradientFlowTimeAndObservationsAreAtTheRequestedTimes() {
        Dynamics dynamics = create(problem(Parallelism.sequential()));
        double[] times = times(4);
        Recording r = new Recording();
        dynamics.run(times, r);
        for (int j = 0; j < times.length; j++) {
            assertEquals(times[j], r.states.get(1 + j).time(), 0.0, "observation " + j);
        }
        assertEquals(times[times.length - 1], dynamics.time(), 0.0, "the clock ends at the last requested time");
        if (discrete()) {
            assertEquals(dynamics.steps() * eta(), dynamics.time(), 0.0, "t = eta k");
            assertEquals(Math.round(times[times.length - 1] / eta()), dynamics.steps(), "k = t / eta");
            for (int j = 0; j < times.length; j++) {
                assertEquals(r.states.get(1 + j).step() * eta(), r.states.get(1 + j).time(), 0.0, "t = eta k");
            }
        }
    }

    @Test
    void refusesTimesInThePastNonFiniteTimesAndTimesBetweenSteps() {
        Dynamics dynamics = create(problem(Parallelism.sequential()));
        double[] times = times(2);
        dynamics.run(times, TrainingObserver.none());
        double[] past = {times[0]};
        assertThrows(IllegalArgumentException.class, () -> dynamics.run(past, TrainingObserver.none()), "past");
        double[] nan = {Double.NaN};
        assertThrows(IllegalArgumentException.class, () -> dynamics.run(nan, TrainingObserver.none()), "NaN");
        double[] decreasing = {times[1] + 2 * (discrete() ? eta() : 0.1), times[1] + (discrete() ? eta() : 0.05)};
        assertThrows(IllegalArgumentException.class, () -> dynamics.run(decreasing, TrainingObserver.none()),
                "decreasing");
        if (discrete()) {
            double[] between = {times[1] + 0.5 * eta()};
            assertThrows(IllegalArgumentException.class, () -> dynamics.run(between, TrainingObserver.none()),
                    "between two steps");
        }
    }

    @Test
    void observerSeesInitThenEachTimeThenFinish() {
        Dynamics dynamics = create(problem(Parallelism.sequential()));
        double[] times = times(3);
        Recording r = new Recording();
        dynamics.run(times, r);
        assertEquals(List.of("init", "observe", "observe", "observe", "finish"), r.calls);
        assertEquals(0.0, r.states.get(0).time(), 0.0, "init is the starting state");
        for (int j = 1; j < r.states.size(); j++) {
            assertTrue(r.states.get(j).time() >= r.states.get(j - 1).time(), "states in time order");
        }
        TrainingState last = r.states.get(3), end = r.states.get(4);
        assertEquals(last.time(), end.time(), 0.0, "finish is the state of the last observation");
        assertArrayEquals(last.theta(), end.theta(), 0.0);
    }

    @Test
    void parametersAndObservedStatesAreCopies() {
        Dynamics a = create(problem(Parallelism.sequential()));
        Dynamics b = create(problem(Parallelism.sequential()));
        double[] p = a.parameters();
        double first = p[0];
        p[0] = Double.NaN;
        assertEquals(first, a.parameters()[0], 0.0, "parameters() is a copy");
        // Scribble over every state a hands out; it must still train exactly like b
        TrainingObserver vandal = state -> java.util.Arrays.fill(state.theta(), Double.NaN);
        double[] times = times(2);
        a.run(times, vandal);
        b.run(times, TrainingObserver.none());
        assertArrayEquals(b.parameters(), a.parameters(), 0.0, "observed states are copies");
    }

    @Test
    void sameSeedsGiveTheSameBitsForAnyThreadCountAndOnARerun() {
        double[] times = times(3);
        Dynamics one = create(problem(Parallelism.sequential()));
        Dynamics two = create(problem(new Parallelism(2)));
        Dynamics again = create(problem(Parallelism.sequential()));
        one.run(times, TrainingObserver.none());
        two.run(times, TrainingObserver.none());
        again.run(times, TrainingObserver.none());
        assertTrue(java.util.Arrays.equals(one.parameters(), two.parameters()), "1 vs 2 threads, bit for bit");
        assertTrue(java.util.Arrays.equals(one.parameters(), again.parameters()), "rerun, bit for bit");
        assertFalse(java.util.Arrays.equals(one.parameters(), one.net().initialParameters()), "it trained");
    }

    @Test
    void divergenceStopsWithTheStepAndASmallerStepSize() {
        Dynamics dynamics = divergent(problem(Parallelism.sequential()));
        assumeTrue(dynamics != null, "this dynamics decreases its objective and cannot diverge");
        Recording r = new Recording();
        double horizon = 10_000 * eta(dynamics);
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> dynamics.run(new double[] {horizon}, r));
        assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
        assertTrue(e.step() > 0, "theta0 itself is fine: " + e.getMessage());
        assertTrue(e.suggestedStepSize() > 0 && e.suggestedStepSize() < eta(dynamics), e.getMessage());
        assertFalse(r.calls.contains("finish"), "a diverged run is not finished");

        // The step that diverges is the last one asked for: the state after it must not be handed out either
        Dynamics rerun = divergent(problem(Parallelism.sequential()));
        double last = e.step() * eta(dynamics);
        Recording r2 = new Recording();
        assertThrows(DivergenceException.class, () -> rerun.run(new double[] {last}, r2));
        assertFalse(r2.calls.contains("observe"), "no observation of a diverged state");
    }

    private static double eta(Dynamics d) {
        return ((DiscreteDynamics) d).eta();
    }
}
