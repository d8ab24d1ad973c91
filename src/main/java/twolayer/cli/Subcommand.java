package twolayer.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: its {@link CommandSpec}, the streams of its command line (so that tests can
 * capture them), and the rule that a {@link CliException} ends the command with one line on stderr and its exit
 * code, never with a stack trace.
 */
abstract class Subcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Does the work; throws {@link CliException} for anything the user can fix. */
    abstract int run() throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            rejectRepeatedOptions();
            return run();
        } catch (CliException e) {
            err().println(spec.qualifiedName() + ": " + e.getMessage());
            err().flush();
            return e.exitCode();
        } catch (OutOfMemoryError e) {
            // The commands check their sizes against the heap up front (Memory); this is the last resort, for a
            // size the checks did not foresee. The arrays of the failed run are garbage by now, so printing works.
            err().println(spec.qualifiedName() + ": out of memory: the run needs more than the "
                    + Memory.describe(Runtime.getRuntime().maxMemory()) + " this Java may use; use smaller sizes or"
                    + " give Java more memory (java -Xmx...)");
            err().flush();
            return CliException.RUNTIME;
        }
    }

    /**
     * An option given twice is an error. Picocli reports that itself for plain options, but an option inside an
     * {@code @ArgGroup} (the help sections) given again silently starts a fresh group and drops the group's other
     * values, so the check is made here on the command-line tokens.
     */
    private void rejectRepeatedOptions() {
        ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed == null) {
            return;
        }
        java.util.List<String> tokens = parsed.expandedArgs();
        int end = tokens.indexOf("--");
        if (end >= 0) {
            tokens = tokens.subList(0, end);
        }
        for (picocli.CommandLine.Model.OptionSpec option : spec.options()) {
            int count = 0;
            for (String token : tokens) {
                for (String name : option.names()) {
                    if (token.equals(name) || token.startsWith(name + "=")) {
                        count++;
                    }
                }
            }
            if (count > 1) {
                throw CliException.usage(option.longestName() + ": given " + count + " times; give it once");
            }
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Whether the user gave the option on the command line (as opposed to its default). */
    boolean given(String option) {
        ParseResult parsed = spec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(option);
    }

    /** Rejects an option that was given although it does not apply. */
    void onlyWhen(boolean applies, String option, String appliesTo) {
        if (!applies && given(option)) {
            throw CliException.usage(option + ": applies only to " + appliesTo);
        }
    }

    /** Rejects a value outside its range: "{@code option}: must be {@code range}, got {@code value}". */
    static void require(boolean ok, String option, String range, Object value) {
        if (!ok) {
            throw CliException.usage(option + ": must be " + range + ", got " + value);
        }
    }

    /** Runs a library parser and reports its IllegalArgumentException against the option. */
    static <T> T parse(String option, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(option + ": " + withoutField(e.getMessage()));
        }
    }

    /**
     * A library message without the field it starts with ("activation: unknown ...", "x1, x2: ..."), for a
     * message that names the option instead.
     */
    static String withoutField(String message) {
        String m = String.valueOf(message);
        int colon = m.indexOf(": ");
        if (colon > 0 && m.substring(0, colon).matches("[A-Za-z0-9_-]+(, [A-Za-z0-9_-]+)*")) {
            return m.substring(colon + 2);
        }
        return m;
    }
}
