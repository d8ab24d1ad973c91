package twolayer.model;

/**
 * A frozen additive term g(x) of the output, fixed at initialisation and carrying no gradient.
 * <ul>
 *   <li>{@link #NONE}: g = 0.</li>
 *   <li>{@link #CENTRED}: g(x) = -f(x; theta0), so the model is f(x; theta) - f(x; theta0)
 *       (Chizat, Oyallon and Bach 2019, "On lazy training in differentiable programming", section 2).</li>
 *   <li>{@link #INIT_CORRECTED}: g(x) = f_ref(x; theta0) - f(x; theta0), with f_ref the reference
 *       parameterisation evaluated on the same normalised initial draw (Golikov 2020, IC-MF:
 *       f_MF(theta) - f_MF(theta0) + f_ref(theta0); its gradient equals the MF gradient).</li>
 * </ul>
 */
public enum Offset {
    NONE, CENTRED, INIT_CORRECTED
}
