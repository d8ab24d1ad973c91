package twolayer.chapter.meanfield;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replications chapter's teacher-student page drawn from unit files as {@code twolayer experiment
 * teacher-student} writes them: seed statistics at the study's iterations, provenance, and clear errors for files
 * that are not unit files or disagree on the settings.
 */
class TeacherStudentReplicationTest {

    private static final String SETTINGS = "{\"--steps\":\"10000\",\"--decayed-steps\":\"0\",\"--batch\":\"10000\","
            + "\"--eta\":\"study\",\"--decay\":\"0.1\",\"--observations\":\"10\"}";

    /** A unit file whose test error at observation i (iteration 1000 i) is scale / (i + 1). */
    private static String unit(int m, int seed, double scale, String settings) {
        StringBuilder errors = new StringBuilder();
        for (int i = 0; i <= 10; i++) {
            errors.append(i == 0 ? "" : ",").append(scale / (i + 1));
        }
        return "{\"experiment\":\"teacher-student\",\"version\":1,\"key\":{\"m\":\"" + m + "\",\"seed\":\"" + seed
                + "\"},\"settings\":" + settings + ",\"result\":{\"final_test_error\":" + scale / 11
                + ",\"times\":[],\"test_errors\":[" + errors + "]},\"provenance\":{\"java\":\"Test 17\","
                + "\"wall_seconds\":1800.0}}";
    }

    @Test
    void tablesSeedStatisticsAtTheStudysIterations(@TempDir Path tmp) throws IOException {
        Path figures = Files.createDirectories(tmp.resolve("figures"));
        Path gen = Files.createDirectories(tmp.resolve("gen"));
        TeacherStudentReplication.writeAll(tmp, figures, gen);
        assertTrue(Files.readString(gen.resolve(TeacherStudentReplication.TABLE)).startsWith("NOTE: No results"));
        assertFalse(Files.exists(figures.resolve(TeacherStudentReplication.FIGURE)));

        Path runs = Files.createDirectories(tmp.resolve(TeacherStudentReplication.NAME).resolve("runs"));
        Files.writeString(runs.resolve("m=4,seed=1.json"), unit(4, 1, 1.0, SETTINGS));
        Files.writeString(runs.resolve("m=4,seed=2.json"), unit(4, 2, 3.0, SETTINGS));
        Files.writeString(runs.resolve("m=40,seed=1.json"), unit(40, 1, 0.01, SETTINGS));
        TeacherStudentReplication.writeAll(tmp, figures, gen);
        String table = Files.readString(gen.resolve(TeacherStudentReplication.TABLE));
        // m = 4 at iteration 1000 (observation 1): errors 1/2 and 3/2, mean 1, min 0.5, max 1.5; the study's 9.0e-3
        assertTrue(table.contains("| 4 | 1000 | 9.0e-03 | 1.00e+00 [5.00e-01, 1.50e+00]"), table);
        // m = 40 at iteration 10000 (observation 10): 0.01 / 11; the study's 9.8e-6
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "| 40 | 10000 | 9.8e-06 | %.2e", 0.01 / 11)),
                table);
        assertTrue(table.contains("3 units, 1.5 hours of unit wall time; JDK Test 17; no invocation log"), table);
        assertTrue(Files.size(figures.resolve(TeacherStudentReplication.FIGURE)) > 1000);

        // a unit made under other settings, and a file that is not a unit file: refused, naming the file
        Files.writeString(runs.resolve("m=8,seed=1.json"), unit(8, 1, 1.0, SETTINGS.replace("10000\",\"--d", "5000\",\"--d")));
        IOException mixed = assertThrows(IOException.class, () -> TeacherStudentReplication.writeAll(tmp, figures, gen));
        assertTrue(mixed.getMessage().contains("m=8,seed=1.json: its experiment or settings differ"), mixed.getMessage());
        Files.writeString(runs.resolve("m=8,seed=1.json"), "{\"note\":1}");
        IOException garbage = assertThrows(IOException.class, () -> TeacherStudentReplication.writeAll(tmp, figures, gen));
        assertTrue(garbage.getMessage().contains("m=8,seed=1.json: not a unit file"), garbage.getMessage());
        Files.writeString(runs.resolve("m=8,seed=1.json"), "{\"experiment\": ");
        IOException truncated = assertThrows(IOException.class, () -> TeacherStudentReplication.writeAll(tmp, figures, gen));
        assertTrue(truncated.getMessage().contains("m=8,seed=1.json: not JSON"), truncated.getMessage());
        Files.delete(runs.resolve("m=8,seed=1.json"));
        // settings that are not the command's (a hand-edited folder): one line naming the folder and the field
        for (String f : new String[] {"m=4,seed=1.json", "m=4,seed=2.json", "m=40,seed=1.json"}) {
            Path p = runs.resolve(f);
            Files.writeString(p, Files.readString(p).replace("\"--observations\":\"10\"", "\"--observations\":\"ten\""));
        }
        IOException setting = assertThrows(IOException.class, () -> TeacherStudentReplication.writeAll(tmp, figures, gen));
        assertTrue(setting.getMessage().contains("--observations must be an integer >= 1, found ten"), setting.getMessage());
    }
}
