package twolayer.dynamics;

import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** Mean-field Langevin dynamics (noise, both L2 priors, relu) under the dynamics contract. */
class MeanFieldLangevinContractTest extends DynamicsContract {
    @Override TrainingProblem problem(Parallelism p) {
        TwoLayerNet net = TwoLayerNet.initialize(3, 50, Activation.RELU, Parameterization.meanField(), 2L);
        return new TrainingProblem(net, regression(8, 20, 3), Loss.SQUARED, p);
    }

    @Override Dynamics create(TrainingProblem problem) {
        return new MeanFieldLangevin(problem, new MeanFieldLangevin.Config(eta(), 0.01, 0.1, 0.1, 1L));
    }

    @Override double eta() { return 0.05; }

    @Override Dynamics divergent(TrainingProblem problem) {
        return new MeanFieldLangevin(problem, new MeanFieldLangevin.Config(500.0, 0.01, 0.1, 0.1, 1L));
    }
}
