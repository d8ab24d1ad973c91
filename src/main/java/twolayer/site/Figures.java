package twolayer.site;

import java.io.IOException;
import java.nio.file.Path;
import twolayer.chapter.gradientflow.GradientFlowFigures;
import twolayer.chapter.lazy.LazyFigures;
import twolayer.chapter.lazy.LazyReplication;
import twolayer.chapter.meanfield.MeanFieldFigures;
import twolayer.chapter.meanfield.TeacherStudentReplication;
import twolayer.chapter.mfld.MfldFigures;
import twolayer.chapter.mfld.MmnFigures;
import twolayer.chapter.model.ModelFigures;
import twolayer.chapter.ntk.NtkFigures;
import twolayer.chapter.ntk.NtkPredictionFigures;
import twolayer.chapter.performance.PerformanceFigures;
import twolayer.chapter.phasediagram.PhaseDiagramFigures;
import twolayer.chapter.phasediagram.PhaseDiagramReplication;
import twolayer.chapter.scalings.ScalingsFigures;
import twolayer.chapter.twotimescale.KernelLearningReplication;
import twolayer.chapter.twotimescale.TwoTimescaleExperimentFigures;
import twolayer.chapter.twotimescale.TwoTimescaleFigures;
import twolayer.chapter.twotimescale.UnionOfRkhsFigures;
import twolayer.plot.Charts;

/**
 * The figures of the site, produced by the build from real experiment runs (architecture chapter, section "Figures").
 *
 * <p>Each figure is written into the figures directory (the site's {@code figures/}, which is the chapters'
 * {@code imagesdir}, so a chapter shows {@code name.svg} with {@code image::name.svg[...]}) through
 * {@link Charts}, which writes atomically and puts beside each figure its data ({@code name.csv}) and provenance
 * ({@code name.json}), which the site links under it. Each chapter's figures live in one class
 * (e.g. {@link GradientFlowFigures}), in that chapter's package.
 */
public final class Figures {

    private Figures() {}

    /**
     * Writes every figure of the site into {@code figuresDir}, which exists when this is called.
     *
     * @throws IOException if a figure cannot be written
     */
    public static void writeAll(Path figuresDir) throws IOException {
        ModelFigures.writeAll(figuresDir);
        GradientFlowFigures.writeAll(figuresDir);
        NtkFigures.writeAll(figuresDir);
        NtkPredictionFigures.writeAll(figuresDir);
        MfldFigures.writeAll(figuresDir);
        MmnFigures.writeAll(figuresDir);
        MeanFieldFigures.writeAll(figuresDir);
        TwoTimescaleFigures.writeAll(figuresDir);
        LazyFigures.writeAll(figuresDir);
        TwoTimescaleExperimentFigures.writeAll(figuresDir);
        UnionOfRkhsFigures.writeAll(figuresDir);
        ScalingsFigures.writeAll(figuresDir);
        PhaseDiagramFigures.writeAll(figuresDir);
    }

    /**
     * Writes every figure as {@link #writeAll(Path)} does, and the performance chapter's figure and table from the
     * committed benchmark results in {@code benchmarkResults} ({@code benchmarks/results}; the build runs no
     * benchmark), the table into {@code genDir}, and the replications chapter's figures and tables from the
     * committed results in {@code replicationResults} ({@code results/}; the build reruns none of them).
     *
     * @throws IOException if a figure cannot be written or a results file is malformed
     */
    public static void writeAll(Path figuresDir, Path genDir, Path benchmarkResults, Path replicationResults)
            throws IOException {
        writeAll(figuresDir);
        PerformanceFigures.writeAll(benchmarkResults, figuresDir, genDir);
        // each replication is drawn by the chapter whose experiment it runs at the papers' scale
        TeacherStudentReplication.writeAll(replicationResults, figuresDir, genDir);
        PhaseDiagramReplication.writeAll(replicationResults, figuresDir, genDir);
        KernelLearningReplication.writeAll(replicationResults, figuresDir, genDir);
        LazyReplication.writeAll(replicationResults, figuresDir, genDir);
    }
}
