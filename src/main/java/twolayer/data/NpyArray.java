package twolayer.data;

import java.util.Arrays;

/**
 * An array of doubles with a shape, as a NumPy {@code .npy} file holds it ({@link Npy}): {@code data} lists the
 * values in C order (row-major, the last index fastest), so the value at index {@code (i_0, ..., i_{k-1})} is
 * {@code data[sum_j i_j * prod_{l > j} shape[l]]}. A 0-d array has shape {@code []} and one value; a dimension
 * may be 0, and then there are no values. See the baseline chapter, section "Data as .npy files".
 *
 * @param shape the length of each axis, each {@code >= 0}; {@code []} for a scalar
 * @param data  the values in C order, {@code prod(shape)} of them; any doubles, NaN and infinities included
 */
public record NpyArray(int[] shape, double[] data) {

    public NpyArray {
        if (shape == null || data == null) {
            throw new IllegalArgumentException("shape, data: must not be null");
        }
        shape = shape.clone();
        long count = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("shape: every length must be >= 0, got " + Arrays.toString(shape));
            }
            count *= s;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("data: shape " + Arrays.toString(shape) + " needs " + count
                    + " values, got " + data.length);
        }
        data = data.clone();
    }

    /** A 2-d array of {@code rows} rows and {@code columns} columns, {@code data} row-major. */
    public static NpyArray matrix(double[] data, int rows, int columns) {
        return new NpyArray(new int[] {rows, columns}, data);
    }

    /** A 1-d array. */
    public static NpyArray vector(double[] data) {
        return new NpyArray(new int[] {data.length}, data);
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** A copy of the values, in C order. */
    @Override
    public double[] data() {
        return data.clone();
    }

    /** The number of axes: 0 for a scalar. */
    public int ndim() {
        return shape.length;
    }

    /** The number of values, {@code prod(shape)}. */
    public int size() {
        return data.length;
    }

    /** The value at position {@code k} of the C-order listing. */
    public double at(int k) {
        return data[k];
    }

    /** The multi-index {@code (i_0, ..., i_{k-1})} of position {@code k} of the C-order listing. */
    public int[] index(int k) {
        int[] index = new int[shape.length];
        for (int j = shape.length - 1; j >= 0; j--) {
            index[j] = k % shape[j];
            k /= shape[j];
        }
        return index;
    }

    /** Equal shapes and equal values as {@link Double#doubleToLongBits}: NaN equals NaN, -0.0 differs from 0.0. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray" + Npy.pythonShape(shape) + (data.length <= 12 ? Arrays.toString(data) : "[" + data.length
                + " values]");
    }
}
