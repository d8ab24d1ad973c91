package twolayer.dynamics;

import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** Heavy-ball gradient descent on seeded mini-batches (standard preset, tanh, biases) under the dynamics contract. */
class MiniBatchMomentumContractTest extends DynamicsContract {
    @Override TrainingProblem problem(Parallelism p) {
        TwoLayerNet net = TwoLayerNet.initialize(3, 40, Activation.TANH, Parameterization.standard(1, 1, 0.5), 3L);
        return new TrainingProblem(net, regression(6, 24, 3), Loss.SQUARED, p);
    }

    @Override Dynamics create(TrainingProblem problem) {
        return new GradientDescent(problem, new GradientDescent.Config(eta(), 0.5, 6, 11L));
    }

    @Override double eta() { return 0.05; }

    @Override Dynamics divergent(TrainingProblem problem) {
        return new GradientDescent(problem, new GradientDescent.Config(400.0, 0.5, 6, 11L));
    }
}
