package twolayer.cli;

import java.io.PrintWriter;
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
        return cli;
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
        System.exit(commandLine().execute(args));
    }
}
