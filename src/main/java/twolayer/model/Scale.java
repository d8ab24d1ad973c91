package twolayer.model;

/**
 * One width-dependent coefficient of a parameterisation:
 * <pre>  value(m, d) = coeff * (m / mRef)^(-exponent) * d^(-fanInExponent)</pre>
 * Every multiplier, initial standard deviation and relative learning rate of a
 * {@link Parameterization} has this form (model chapter, section "Parameterisations"), so that the exponents in m can be
 * read off exactly and converted between coordinate systems (Luo et al. 2021, Golikov 2020, Yang-Hu 2021).
 *
 * @param coeff         the constant c (finite)
 * @param exponent      e, the power of the width: the value scales like m^(-e)
 * @param fanInExponent the power of the input dimension: 0.5 gives the fan-in factor 1/sqrt(d)
 */
public record Scale(double coeff, double exponent, double fanInExponent) {

    public Scale {
        if (!Double.isFinite(coeff) || !Double.isFinite(exponent) || !Double.isFinite(fanInExponent)) {
            throw new IllegalArgumentException("scale: coeff, exponent and fanInExponent must be finite, got "
                    + coeff + ", " + exponent + ", " + fanInExponent);
        }
    }

    /** A constant c, independent of m and d. */
    public static Scale constant(double c) {
        return new Scale(c, 0.0, 0.0);
    }

    /** c * m^(-e) (with mRef as the unit of width). */
    public static Scale power(double c, double e) {
        return new Scale(c, e, 0.0);
    }

    /** The value at width m and input dimension d, with mRef the reference width. */
    public double at(int m, int mRef, int d) {
        double v = coeff;
        if (exponent != 0.0) {
            v *= Math.pow((double) m / mRef, -exponent);
        }
        if (fanInExponent != 0.0) {
            v *= Math.pow(d, -fanInExponent);
        }
        return v;
    }

    /** This scale multiplied by a constant. */
    public Scale times(double factor) {
        return new Scale(coeff * factor, exponent, fanInExponent);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(coeff);
        if (exponent != 0.0) {
            s.append("*(m/mRef)^").append(-exponent);
        }
        if (fanInExponent != 0.0) {
            s.append("*d^").append(-fanInExponent);
        }
        return s.toString();
    }
}
