package twolayer.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code twolayer} command. Each task is a subcommand class of this package, listed in
 * {@code subcommands} below: today {@code train}, {@code replay}, {@code kernel}, {@code predict}, {@code conformance} and {@code experiment}
 * (whose experiments are subcommands of their own).
 *
 * <p>Exit codes: 0 success, 1 a run that failed (divergence, unreadable data, a failed write), 2 invalid input
 * (picocli's convention for usage errors). Every error is one line on stderr that names the option concerned.
 *
 * <p>Standard output is checked after every command ({@link #commandLine}): a {@link PrintWriter} never throws, it
 * only remembers that a write failed, so without the check {@code twolayer kernel ... > /dev/full} (or a full disk
 * behind a redirection) would end with exit code 0 and a truncated or empty result.
 */
@Command(name = "twolayer",
        mixinStandardHelpOptions = true,
        version = "twolayer " + Twolayer.VERSION,
        subcommands = {TrainCommand.class, ReplayCommand.class, KernelCommand.class, PredictCommand.class, ConformanceCommand.class,
            ExperimentCommand.class,
            CommandLine.HelpCommand.class},
        usageHelpWidth = 100,
        descriptionHeading = "%n",
        optionListHeading = "%n",
        commandListHeading = "%nCommands:%n",
        description = {
            "Reference implementation of how two-layer networks train:",
            "  f(x) = alpha * (kA sum_j a_j sigma(kW <w_j,x> + kB b_j) + kC c),",
            "  loss L = 1/(2n) sum_i (f(x_i) - y_i)^2 (squared) or the logistic loss,",
            "  t = gradient-flow time; gradient descent after k steps of size eta is at t = k*eta."},
        footer = {"", "Run 'twolayer <command> --help' for the options of a command.",
            "Exit codes: 0 done, 1 the run failed, 2 invalid options."})
public final class Twolayer implements Callable<Integer> {

    /** The software version, written into every run.json. Keep it equal to the version in pom.xml. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    @Spec
    CommandSpec spec;

    /** Without a subcommand: the usage on stderr and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CliException.USAGE;
    }

    /**
     * The command line as {@link #main} runs it: a parse error (an unknown option, a value that is not a
     * number) is reported in one line instead of the message followed by the whole usage.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Twolayer());
        cli.setParameterExceptionHandler(Twolayer::reportParseError);
        cli.setExecutionExceptionHandler(Twolayer::reportUnexpected);
        cli.setExecutionStrategy(Twolayer::executeChecked);
        // no @file expansion: run.json records the arguments as given, and replay must see the same ones
        cli.setExpandAtFiles(false);
        return cli;
    }

    /**
     * Runs the command (or prints its help), then checks that standard output took everything: a failed write is
     * exit code 1 with one line on stderr, whatever the command, so no command can report success for output
     * that never arrived. Works for any writer given with {@link CommandLine#setOut}.
     */
    private static int executeChecked(CommandLine.ParseResult parsed) {
        int code = new CommandLine.RunLast().execute(parsed);
        CommandLine cmd = parsed.commandSpec().commandLine();
        PrintWriter out = cmd.getOut();
        if (out.checkError()) {             // flushes first
            String why = out instanceof CheckedStdout c && c.failure() != null ? ": " + c.failure() : "";
            PrintWriter err = cmd.getErr();
            CommandLine last = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
            err.println(last.getCommandSpec().qualifiedName() + ": cannot write to standard output" + why
                    + "; the output is incomplete");
            err.flush();
            return CliException.RUNTIME;
        }
        return code;
    }

    /**
     * What {@link Subcommand} does not turn into a one-line message: running out of memory (the commands check
     * their sizes up front, this is the last resort) and a bug. One line on stderr, exit code 1, no stack trace.
     */
    private static int reportUnexpected(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": internal error, please report it: " + e);
        err.flush();
        return CliException.RUNTIME;
    }

    /**
     * Standard output as a writer that remembers why a write failed ("No space left on device", "Broken pipe"),
     * for the message of {@link #executeChecked}; {@link System#out} would swallow the reason.
     */
    static final class CheckedStdout extends PrintWriter {
        private final Recorder recorder;

        private CheckedStdout(Recorder recorder, Charset charset) {
            super(new OutputStreamWriter(recorder, charset), true);
            this.recorder = recorder;
        }

        /** Standard output of this process. */
        static CheckedStdout open() {
            String name = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
            Charset charset;
            try {
                charset = name == null ? Charset.defaultCharset() : Charset.forName(name);
            } catch (IllegalArgumentException e) {
                charset = Charset.defaultCharset();
            }
            return new CheckedStdout(new Recorder(new FileOutputStream(FileDescriptor.out)), charset);
        }

        /** The reason of the first failed write, or null. */
        String failure() {
            return recorder.failure;
        }

        /** Passes bytes through and keeps the message of the first failure. */
        private static final class Recorder extends FilterOutputStream {
            private String failure;

            Recorder(OutputStream out) {
                super(out);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    remember(e);
                    throw e;
                }
            }

            @Override
            public void write(int b) throws IOException {
                try {
                    out.write(b);
                } catch (IOException e) {
                    remember(e);
                    throw e;
                }
            }

            @Override
            public void flush() throws IOException {
                try {
                    out.flush();
                } catch (IOException e) {
                    remember(e);
                    throw e;
                }
            }

            private void remember(IOException e) {
                if (failure == null) {
                    failure = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                }
            }
        }
    }

    private static int reportParseError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
        UnmatchedArgumentException.printSuggestions(e, err);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    public static void main(String[] args) {
        CommandLine cli = commandLine();
        cli.setOut(CheckedStdout.open());
        System.exit(cli.execute(args));
    }
}
