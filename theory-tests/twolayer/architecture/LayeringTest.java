package twolayer.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import twolayer.site.PackageGraph;

/**
 * The layering rule of the architecture chapter on the compiled classes: no package uses a package of its own or a
 * higher layer, so no chapter package uses another chapter's, and every package is in a layer. Control, tried
 * once: an import of {@code twolayer.run.TrainingRun} added to a class of {@code twolayer.dynamics} fails it
 * ("twolayer.dynamics uses twolayer.run: a lower layer must not use a higher one").
 */
class LayeringTest {

    private static PackageGraph graph() throws IOException {
        return PackageGraph.read(Path.of("target", "classes"));
    }

    @Test
    void noPackageUsesItsOwnLayerOrAHigherOne() throws IOException {
        List<String> violations = graph().violations();
        assertEquals(List.of(), violations, String.join("\n", violations));
    }

    @Test
    void theGraphIsReadFromTheClasses() throws IOException {
        PackageGraph g = graph();
        assertTrue(g.uses().get("twolayer.cli").contains("twolayer.run"), g.uses().toString());
        assertTrue(g.uses().get("twolayer.linalg").isEmpty(), "the bottom layer uses nothing: " + g.uses());
        assertTrue(g.uses().keySet().stream().filter(p -> p.startsWith("twolayer.chapter.")).count() >= 8,
                "one package per chapter: " + g.uses().keySet());
        assertEquals(9, PackageGraph.layer("twolayer.chapter.mfld"));
        assertEquals(-1, PackageGraph.layer("twolayer.experiment"));
    }
}
