package twolayer.dynamics;

import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** Gradient flow (DOP853 with error control; mean-field preset, tanh) under the dynamics contract. */
class GradientFlowContractTest extends DynamicsContract {
    @Override TrainingProblem problem(Parallelism p) {
        TwoLayerNet net = TwoLayerNet.initialize(3, 30, Activation.TANH, Parameterization.meanField(), 4L);
        return new TrainingProblem(net, regression(7, 16, 3), Loss.SQUARED, p);
    }

    @Override Dynamics create(TrainingProblem problem) {
        return new GradientFlow(problem, GradientFlow.Config.precise());
    }

    @Override double eta() { return Double.NaN; }

    /** The flow of a loss never raises it, so there is no step size to get wrong. */
    @Override Dynamics divergent(TrainingProblem problem) { return null; }
}
