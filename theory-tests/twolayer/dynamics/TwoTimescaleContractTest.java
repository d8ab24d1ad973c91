package twolayer.dynamics;

import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** Two-timescale training (exact inner ridge, noise, hidden biases, tanh) under the dynamics contract. */
class TwoTimescaleContractTest extends DynamicsContract {
    @Override TrainingProblem problem(Parallelism p) {
        TwoLayerNet net = TwoLayerNet.initialize(2, 30, Activation.TANH,
                Parameterization.meanField().withBiases(true, false), 1L);
        return new TrainingProblem(net, regression(10, 12, 2), Loss.SQUARED, p);
    }

    @Override Dynamics create(TrainingProblem problem) {
        return new TwoTimescale(problem, TwoTimescale.Config.exact(eta(), 0.01, 0.05, 0.2, 9L));
    }

    @Override double eta() { return 0.05; }

    /** Past 2/lambdaW the prior's drift w &lt;- (1 - eta lambdaW) w alone grows |w| by |1 - eta lambdaW| per step. */
    @Override Dynamics divergent(TrainingProblem problem) {
        return new TwoTimescale(problem, TwoTimescale.Config.exact(500.0, 0.01, 0.05, 0.2, 9L));
    }
}
