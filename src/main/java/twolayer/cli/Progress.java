package twolayer.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.function.ToLongFunction;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingState;
import twolayer.run.Meter;

/**
 * A progress bar on stderr, advanced at every observation. It is shown only on an interactive terminal:
 * piped or in CI the bar library would still print a carriage-return line per update, so there it is off, as
 * it is with {@code --no-progress}.
 */
final class Progress implements TrainingObserver, AutoCloseable {

    /** The bar redraws at most once a second, so it costs nothing next to a training step. */
    private static final int UPDATE_INTERVAL_MILLIS = 1000;

    private final ProgressBar bar;                  // null when off
    private final ToLongFunction<TrainingState> position;

    private Progress(ProgressBar bar, ToLongFunction<TrainingState> position) {
        this.bar = bar;
        this.position = position;
    }

    /** A bar for a run's {@link Meter}; off when not wanted or not on a terminal. */
    static Progress start(boolean wanted, Meter meter) {
        return start(wanted, meter.label(), meter.total(), meter.position());
    }

    /**
     * @param wanted   false for {@code --no-progress}
     * @param task     the bar's label
     * @param max      the position at the end of the run
     * @param position the position of a state, from 0 to max
     */
    static Progress start(boolean wanted, String task, long max, ToLongFunction<TrainingState> position) {
        if (!wanted || !interactive()) {
            return new Progress(null, position);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setUpdateIntervalMillis(UPDATE_INTERVAL_MILLIS)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        return new Progress(bar, position);
    }

    /**
     * Whether stdin and stdout are a terminal. From JDK 22 on {@code System.console()} exists even when they are
     * redirected, and {@code Console.isTerminal()} (absent in JDK 17) tells; it is looked up by name.
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK < 22: a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    @Override
    public void observe(TrainingState state) {
        if (bar != null) {
            bar.stepTo(position.applyAsLong(state));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
