package twolayer.data;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;
import twolayer.model.Activation;

/**
 * The link g of a single-index teacher y = g(&lt;u, x&gt;): every {@link Activation}, the identity, and the first
 * probabilists' Hermite polynomials He_2(z) = z^2 - 1 and He_3(z) = z^3 - 3z. For z ~ N(0, 1) the He_k are
 * orthogonal with E[He_k(z)^2] = k!, and the lowest k with a non-zero Hermite coefficient is the link's
 * <em>information exponent</em> (Ben Arous, Gheissari, Jagannath 2021, "Online stochastic gradient descent on
 * non-convex losses from high-dimensional inference", JMLR 22; arXiv:2003.10409): He_2 has exponent 2, He_3 has 3.
 */
public enum Link {
    LINEAR(z -> z),
    RELU(Activation.RELU::value),
    ERF(Activation.ERF::value),
    TANH(Activation.TANH::value),
    SIGMOID(Activation.SIGMOID::value),
    SOFTPLUS(Activation.SOFTPLUS::value),
    HE2(z -> z * z - 1.0),
    HE3(z -> z * (z * z - 3.0));

    private final DoubleUnaryOperator g;

    Link(DoubleUnaryOperator g) {
        this.g = g;
    }

    /** g(z). */
    public double value(double z) {
        return g.applyAsDouble(z);
    }

    /** The link that applies the given activation. */
    public static Link of(Activation sigma) {
        return valueOf(sigma.name());
    }

    /** Parses a name such as {@code he2} or {@code relu}, ignoring case. */
    public static Link parse(String name) {
        for (Link link : values()) {
            if (link.name().equalsIgnoreCase(name.trim())) {
                return link;
            }
        }
        throw new IllegalArgumentException("link: unknown '" + name + "'; allowed: "
                + Arrays.stream(values()).map(l -> l.name().toLowerCase()).collect(Collectors.joining(", ")));
    }
}
