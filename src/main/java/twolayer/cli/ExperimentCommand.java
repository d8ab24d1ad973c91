package twolayer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twolayer experiment}: named, reproducible experiments; each is a subcommand. */
@Command(name = "experiment",
        mixinStandardHelpOptions = true,
        version = "twolayer " + Twolayer.VERSION,
        header = "Run a named experiment (a sweep that writes its results as files).",
        subcommands = {PhaseDiagramCommand.class, KernelLearningCommand.class, LazyWidthCommand.class,
            LazyScaleCommand.class, LazyBreakdownCommand.class, TeacherStudentCommand.class, MfldToyCommand.class, MmnCommand.class, TwoTimescaleToyCommand.class,
            GolikovCommand.class, StaircaseCommand.class, UnionOfRkhsCommand.class,
            MfldDiscretisationCommand.class, TwoTimescaleErrorsCommand.class, RepopulationCommand.class,
            CommandLine.HelpCommand.class},
        commandListHeading = "%nExperiments:%n")
final class ExperimentCommand extends Subcommand {

    @Option(names = "--list", description = "List every experiment, one line each, on stdout.")
    boolean list;

    /** With --list: every experiment and its one-line header; without an experiment: the usage, exit code 2. */
    @Override
    int run() {
        if (list) {
            for (java.util.Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
                String[] header = e.getValue().getCommandSpec().usageMessage().header();
                if (!e.getKey().equals("help") && header.length > 0) {
                    out().printf("%-20s %s%n", e.getKey(), header[0]);
                }
            }
            out().flush();
            return 0;
        }
        spec.commandLine().usage(err());
        return CliException.USAGE;
    }
}
