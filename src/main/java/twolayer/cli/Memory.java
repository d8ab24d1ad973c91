package twolayer.cli;

import java.util.Locale;

/**
 * The up-front size check of a command: the memory its arrays will need, compared with what this Java may use
 * ({@link Runtime#maxMemory()}), before anything is allocated. A run that cannot fit is refused in one line that
 * says what was asked for and what fits, instead of ending, after minutes, in an {@link OutOfMemoryError} (or a
 * negative array size when a product of sizes overflows an int).
 */
final class Memory {

    /** Bytes of one double. */
    static final long DOUBLE = Double.BYTES;

    /** The largest Java array: a few header words below Integer.MAX_VALUE elements. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Memory() {
    }

    /**
     * Refuses an array of {@code elements} that one Java array cannot hold, naming what it is for, e.g.
     * "--width: the net of width 2147483647 has 8589934589 parameters, more than one Java array holds (2147483639)".
     */
    static void requireArray(String option, String subject, double elements, String noun) {
        if (!(elements <= MAX_ARRAY)) {
            throw CliException.usage(option + ": " + subject + " has " + count(elements) + " " + noun
                    + ", more than one Java array holds (" + MAX_ARRAY + ")");
        }
    }

    /**
     * Refuses a run whose arrays need more than this Java may use. {@code bytes} is the estimate (a double, so that a
     * product of sizes cannot wrap around); half of the maximum heap is allowed, the rest is for the copies and
     * the output text a run makes besides its main arrays.
     */
    static void requireFits(String option, String what, double bytes) {
        long max = Runtime.getRuntime().maxMemory();
        double allowed = max == Long.MAX_VALUE ? Double.MAX_VALUE : max / 2.0;
        if (!(bytes <= allowed)) {
            throw CliException.usage(option + ": " + what + " would take about " + describe(bytes) + ", more than the "
                    + describe(allowed) + " that fit (half of the " + describe(max) + " this Java may use; java -Xmx"
                    + " raises it)");
        }
    }

    /** "1.5 GB", "640 MB", "12 kB". */
    static String describe(double bytes) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return String.format(Locale.ROOT, "%.0f bytes", v);
        }
        return v >= 1e4 ? String.format(Locale.ROOT, "%.3g %s", v, units[u])
                : String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    private static String count(double n) {
        return n == Math.rint(n) && n < 9e18 ? Long.toString((long) n) : String.format(Locale.ROOT, "%.3g", n);
    }
}
