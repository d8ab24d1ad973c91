package twolayer.dynamics;

import twolayer.data.Dataset;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.TwoLayerNet;

/**
 * The first-order Taylor model of a net at its initial parameters, trained exactly:
 * <pre>
 *   f_lin(x; theta) = f(x; theta0) + &lt;d f(x; theta0)/d theta, theta - theta0&gt;
 * </pre>
 * (Lee et al. 2019, "Wide neural networks of any depth evolve as linear models under gradient descent",
 * arXiv:1902.06720, eq. (5)). Its parameters follow the same gradient flow d theta_g/dt = -rho_g grad_g L as the
 * net's, with the gradient J0^T r taken at theta0 for ever, so on the training set its outputs follow
 * df/dt = -(1/n) Theta0 (f - y) for the squared loss, with Theta0 the empirical NTK at theta0, whose solution is the
 * closed form of {@code twolayer.kernel.KernelRegression} (claim NTK-3).
 *
 * <p>There is no separate integrator: the factories wrap {@link TrainingProblem#linearized} in the very
 * {@link GradientFlow} and {@link GradientDescent} that train the net, so the model and the net differ in nothing but
 * the model. Read the model's outputs, not the net's, through a linearised problem of the same net,
 * {@link #problem}{@code (...).outputs(theta, batch, out)} (the Taylor model is a function of the net and theta
 * alone), or record them with {@code ProbeOutputs} built on that problem.
 */
public final class LinearizedDynamics {

    private LinearizedDynamics() {
    }

    /** The risk of the net's Taylor model at theta0 on the data: what the factories below train. */
    public static TrainingProblem problem(TwoLayerNet net, Dataset data, Loss loss, Parallelism parallelism) {
        return TrainingProblem.linearized(net, data, loss, parallelism);
    }

    // tag::dynamics-linearized[]
    /** Gradient flow of the Taylor model, from theta0 at t = 0. */
    public static GradientFlow flow(TwoLayerNet net, Dataset data, Loss loss,
                                    Parallelism parallelism, GradientFlow.Config config) {
        return new GradientFlow(problem(net, data, loss, parallelism), config);
    }

    /** Gradient descent (momentum, mini-batches if configured) on the Taylor model, from theta0. */
    public static GradientDescent descent(TwoLayerNet net, Dataset data, Loss loss,
                                          Parallelism parallelism, GradientDescent.Config config) {
        return new GradientDescent(problem(net, data, loss, parallelism), config);
    }
    // end::dynamics-linearized[]
}
