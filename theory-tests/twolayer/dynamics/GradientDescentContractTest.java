package twolayer.dynamics;

import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** Full-batch gradient descent (ntk preset, relu) under the dynamics contract. */
class GradientDescentContractTest extends DynamicsContract {
    @Override TrainingProblem problem(Parallelism p) {
        TwoLayerNet net = TwoLayerNet.initialize(3, 50, Activation.RELU, Parameterization.ntk(1, 1, 1), 2L);
        return new TrainingProblem(net, regression(5, 20, 3), Loss.SQUARED, p);
    }

    @Override Dynamics create(TrainingProblem problem) {
        return new GradientDescent(problem, GradientDescent.Config.plain(eta()));
    }

    @Override double eta() { return 0.1; }

    @Override Dynamics divergent(TrainingProblem problem) {
        return new GradientDescent(problem, GradientDescent.Config.plain(500.0));
    }
}
