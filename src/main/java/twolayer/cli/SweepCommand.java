package twolayer.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * An experiment command run by {@link Sweep}: the options every such command shares ({@code --out}, {@code --shard},
 * {@code --threads}, {@code --restart}, {@code --no-progress}); a subclass names the experiment, its settings and
 * its units (see the baseline chapter, section "Experiments as commands").
 */
abstract class SweepCommand extends Subcommand {

    @Option(names = "--shard", paramLabel = "k/N", defaultValue = "1/1", order = 100,
            description = "run only the units with index = k-1 mod N (1 <= k <= N); default ${DEFAULT-VALUE}.")
    String shard;

    @Option(names = "--threads", paramLabel = "T", order = 101,
            description = "units in parallel, >= 1 (default: all cores); the results do not depend on it.")
    Integer threads;

    @Option(names = "--restart", order = 102,
            description = {"delete the unit files and summary.csv in --out, once the options are checked, and",
                "start again (for other settings; give it to one invocation, not to every shard)."})
    boolean restart;

    @Option(names = "--out", paramLabel = "DIR", required = true, order = 103,
            description = "folder of the unit files (DIR/runs/<key>.json) and of summary.csv.")
    Path out;

    @Option(names = "--no-progress", order = 104,
            description = "No progress bar (there is one on stderr only on an interactive terminal).")
    boolean noProgress;

    /** The experiment's name, as in {@code twolayer experiment NAME}. */
    abstract String experiment();

    /**
     * The settings every unit shares, option name to canonical value (so that 1e3 and 1000 agree); a folder holds
     * units of one setting. The options that list the units (widths, seeds, ...) are not settings: a sweep may grow.
     */
    abstract Map<String, String> settings();

    /** The units, in a fixed order (shards split by index in it); each unit's work is single-threaded. */
    abstract List<Sweep.Unit> units();

    @Override
    final int run() {
        int[] kn = Sweep.shard(shard);
        int used = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        require(used >= 1, "--threads", "an integer >= 1", used);
        Map<String, String> settings;
        List<Sweep.Unit> units;
        try {
            settings = settings();
            units = units();
        } catch (IllegalArgumentException e) {
            // a chapter's Config refusing a combination the options did not check: still one line, exit 2
            throw CliException.usage(String.valueOf(e.getMessage()));
        }
        Sweep.run(experiment(), settings, units, new Sweep.Run(out, kn[0], kn[1], used, restart, !noProgress), err());
        return 0;
    }

    /** A map of settings from alternating names and values, values as {@link String#valueOf}. */
    static Map<String, String> settingsOf(Object... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], String.valueOf(pairs[i + 1]));
        }
        return m;
    }

    /**
     * The result of a certified run: the final free energy and its certified bounds, the grid optimum's free energy,
     * and the series along time.
     */
    static Map<String, Object> certifiedResult(List<twolayer.measure.CertifiedBounds> b, double reference) {
        twolayer.measure.CertifiedBounds last = b.get(b.size() - 1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("final_energy", last.energy());
        out.put("final_lower", last.lower());
        out.put("final_upper", last.upper());
        out.put("reference_free_energy", reference);
        out.put("times", b.stream().mapToDouble(twolayer.measure.CertifiedBounds::time).toArray());
        out.put("energy", b.stream().mapToDouble(twolayer.measure.CertifiedBounds::energy).toArray());
        out.put("lower", b.stream().mapToDouble(twolayer.measure.CertifiedBounds::lower).toArray());
        out.put("upper", b.stream().mapToDouble(twolayer.measure.CertifiedBounds::upper).toArray());
        return out;
    }

    /**
     * A value several units share (a grid optimum, say), computed by the first unit that asks for it and then kept:
     * it is deterministic, so which unit computes it does not change a bit.
     */
    static <T> java.util.function.Supplier<T> once(java.util.function.Supplier<T> compute) {
        return new java.util.function.Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = compute.get();
                }
                return value;
            }
        };
    }

    /** A unit key from alternating names and values. */
    static Map<String, String> keyOf(Object... pairs) {
        return settingsOf(pairs);
    }
}
