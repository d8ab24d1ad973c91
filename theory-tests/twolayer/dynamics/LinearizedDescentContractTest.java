package twolayer.dynamics;

import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** Gradient descent on the net's Taylor model at theta0 (ntk preset, erf) under the dynamics contract. */
class LinearizedDescentContractTest extends DynamicsContract {
    @Override TrainingProblem problem(Parallelism p) {
        TwoLayerNet net = TwoLayerNet.initialize(3, 40, Activation.ERF, Parameterization.ntk(1.5, 1, 0.2), 8L);
        return LinearizedDynamics.problem(net, regression(9, 20, 3), Loss.SQUARED, p);
    }

    @Override Dynamics create(TrainingProblem problem) {
        return new GradientDescent(problem, GradientDescent.Config.plain(eta()));
    }

    @Override double eta() { return 0.2; }

    @Override Dynamics divergent(TrainingProblem problem) {
        return new GradientDescent(problem, GradientDescent.Config.plain(500.0));
    }
}
