package twolayer.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import twolayer.dynamics.TrainingState;
import twolayer.dynamics.TwoTimescale;
import twolayer.kernel.IntrinsicKernel;

/**
 * A two-timescale run at each observation (Takakura and Suzuki 2024; two-timescale chapter, section "The
 * intrinsic kernel"): its objective without entropy ({@link TwoTimescale#energy()}), the intrinsic kernel K_mu
 * of its particles with its kernel-target alignment y^T K y / (||K||_F ||y||^2) and its degrees of freedom
 * tr(K (K + n lambdaA I)^-1) ({@link IntrinsicKernel}), and, at a finite rate ratio, the joint objective
 * J(a, mu) = L + (lambdaA/2) E a^2 + (lambdaW/2) E ||w||^2 of the actual second layer, which is at least
 * G(mu) - lambda Ent(mu). One observation costs one Gram and one Cholesky of the size the step itself
 * factorises, so about one step.
 */
final class IntrinsicKernelRecorder implements Recorder {
    private final TwoTimescale dynamics;
    private final double[] y;
    private final boolean joint;
    private final List<double[]> rows = new ArrayList<>();

    IntrinsicKernelRecorder(TwoTimescale dynamics, double[] y) {
        this.dynamics = dynamics;
        this.y = y;
        this.joint = !dynamics.config().isExact();
    }

    @Override
    public void observe(TrainingState state) {
        IntrinsicKernel k = dynamics.kernel();
        double alignment;
        try {
            alignment = k.alignment(y);
        } catch (IllegalArgumentException e) {
            alignment = Double.NaN; // y = 0 or K = 0: the alignment is undefined
        }
        double df = k.degreesOfFreedom(dynamics.config().lambdaA());
        rows.add(joint ? new double[] {dynamics.energy(), alignment, df, dynamics.jointEnergy()}
                : new double[] {dynamics.energy(), alignment, df});
    }

    @Override
    public List<String> columns() {
        return joint ? List.of("energy", "alignment", "df", "joint_energy") : List.of("energy", "alignment", "df");
    }

    @Override
    public List<double[]> rows() {
        return List.copyOf(rows);
    }

    @Override
    public Map<String, Object> end() {
        Map<String, Object> end = new LinkedHashMap<>();
        double[] last = rows.get(rows.size() - 1);
        List<String> names = columns();
        for (int k = 0; k < names.size(); k++) {
            end.put(names.get(k), last[k]);
        }
        return end;
    }

    @Override
    public String summary() {
        double[] last = rows.get(rows.size() - 1);
        return ", energy " + last[0] + ", alignment " + last[1] + ", df " + last[2];
    }

    @Override
    public void describe(RunDescription into) {
        into.convention("kernel", "alignment = y^T K y / (||K||_F ||y||^2), df = tr(K (K + n lambda_a I)^-1) of the"
                + " intrinsic kernel K of the particles at each observation");
        into.convention("rd_a", "theta_a(0) is the random initial a, which two-timescale training replaces by its"
                + " ridge optimum before the first observation (ratio inf), so rd_a(0) > 0");
        if (joint) {
            into.convention("joint_energy", "the objective of the actual second layer at a finite ratio,"
                    + " (1/2n)|f - y|^2 + (lambda_a/2) E a^2 + (lambda_w/2) E ||w||^2 >= energy");
        }
    }
}
