package twolayer.dynamics;

/** Observation schedules of the fixed-step toys (MFLD and two-timescale). */
public final class ObservationTimes {

    private ObservationTimes() {}

    /**
     * {@code observations} equally spaced times on (0, time], each a whole number of steps of size eta:
     * t_k = k (K / N) eta for k = 1..N, with K = round(time / eta) steps and N observations.
     *
     * @throws IllegalArgumentException if K is not a multiple of N
     */
    public static double[] wholeSteps(double time, double eta, int observations) {
        long steps = Math.round(time / eta);
        if (steps % observations != 0) {
            throw new IllegalArgumentException("time/eta = " + steps + " steps must be a multiple of the "
                    + observations + " observations");
        }
        double[] times = new double[observations];
        for (int k = 0; k < times.length; k++) {
            times[k] = (k + 1) * (steps / observations) * eta;
        }
        return times;
    }
}
