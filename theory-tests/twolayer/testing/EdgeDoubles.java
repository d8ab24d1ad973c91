package twolayer.testing;

import java.util.SplittableRandom;

/**
 * Terms for sums that stress correct rounding, drawn from a seed: ties exactly half an ulp from a kept bit (both
 * parities), subnormals, terms near the top of the range, and pairs that cancel to a small remainder, mixed with
 * ordinary widely spread terms.
 */
public final class EdgeDoubles {

    /** The kinds of a generated sum, each a different way to get the rounding wrong. */
    public enum Kind { TIE, SUBNORMAL, NEAR_OVERFLOW, CANCELLATION, SPREAD }

    private EdgeDoubles() {}

    /** About {@code n} terms of the given kind (a tie or cancellation adds a few more), in a shuffled order. */
    public static double[] terms(Kind kind, int n, SplittableRandom rng) {
        double[] v = new double[n + 3];
        int k = 0;
        switch (kind) {
            case TIE -> {
                // x + ulp(x)/2 lies exactly half way; an extra term far below breaks the tie in either direction
                double x = (rng.nextBoolean() ? 1 : -1) * Math.scalb(1 + rng.nextInt(1 << 20) * 0x1p-52, rng.nextInt(-50, 50));
                v[k++] = x;
                v[k++] = Math.copySign(Math.ulp(x) / 2, rng.nextBoolean() ? x : -x);
                if (rng.nextBoolean()) {
                    v[k++] = (rng.nextBoolean() ? 1 : -1) * Math.scalb(Math.ulp(x), -60 - rng.nextInt(200));
                }
            }
            case SUBNORMAL -> {
                for (int i = 0; i < n; i++) {
                    v[k++] = (rng.nextBoolean() ? 1 : -1) * Double.MIN_VALUE * (1 + rng.nextInt(1 << 30));
                }
                v[k++] = rng.nextBoolean() ? Double.MIN_NORMAL : -Double.MIN_NORMAL;
            }
            case NEAR_OVERFLOW -> {
                for (int i = 0; i < Math.min(n, 6); i++) {
                    double top = Double.MAX_VALUE - rng.nextInt(4) * Math.ulp(Double.MAX_VALUE);
                    v[k++] = (rng.nextBoolean() ? 1 : -1) * (rng.nextBoolean() ? top : Math.scalb(top, -rng.nextInt(3)));
                }
                v[k++] = (rng.nextBoolean() ? 1 : -1) * Math.ulp(Double.MAX_VALUE) / 2;   // a tie at the top
            }
            case CANCELLATION -> {
                for (int i = 0; i + 1 < n; i += 2) {
                    double x = (rng.nextBoolean() ? 1 : -1) * Math.scalb(rng.nextDouble(), rng.nextInt(-100, 100));
                    v[k++] = x;
                    v[k++] = -x;
                }
                v[k++] = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(-300, -100));   // the remainder
            }
            case SPREAD -> {
                for (int i = 0; i < n; i++) {
                    v[k++] = (rng.nextBoolean() ? 1 : -1) * Math.scalb(rng.nextDouble(), rng.nextInt(-60, 60));
                }
            }
        }
        double[] out = java.util.Arrays.copyOf(v, k);
        for (int i = out.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}
