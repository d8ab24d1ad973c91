package twolayer.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a run's {@code run.json} that depend on its dynamics, filled in by its {@link Schedule} and
 * {@link Recorder}: the settings in effect, the conventions and any further sections (the certificate of an MFLD
 * run). The seeds are not the schedule's to declare: run.json records those the run's streams actually drew from
 * ({@link RandomStreams#seedsDrawn}). Insertion order is kept, so the file's text is deterministic.
 */
public final class RunDescription {
    final Map<String, Object> settings = new LinkedHashMap<>();
    final Map<String, Object> conventions = new LinkedHashMap<>();
    final Map<String, Object> sections = new LinkedHashMap<>();

    /** A setting the run used, e.g. ("eta", 0.1). */
    public RunDescription setting(String name, Object value) {
        settings.put(name, value);
        return this;
    }

    /** A convention the run's outputs follow. */
    public RunDescription convention(String name, String text) {
        conventions.put(name, text);
        return this;
    }

    /** A further top-level section of run.json. */
    public RunDescription section(String name, Object value) {
        sections.put(name, value);
        return this;
    }

    /** The settings, in the order given. */
    public Map<String, Object> settings() { return settings; }

    /** The conventions, in the order given. */
    public Map<String, Object> conventions() { return conventions; }

    /** The further sections, in the order given. */
    public Map<String, Object> sections() { return sections; }
}
