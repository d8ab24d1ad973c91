package twolayer.linalg;

/**
 * The plain-Java twin of {@link VectorProducts}: the same sums in the same order, computed one output at a
 * time (four at a time for the four-way product, with the arithmetic of one output unchanged).
 */
final class ScalarProducts implements Products {

    @Override
    public void productFourWay(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff,
                               int ldc, int rows, int inner, int cols) {
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * lda, cr = cOff + r * ldc;
            int col = 0;
            for (; col + 3 < cols; col += 4) {
                fourWay4(a, ar, b, bOff + col, c, cr + col, inner, ldb);
            }
            for (; col < cols; col++) {
                c[cr + col] = fourWay1(a, ar, b, bOff + col, inner, ldb);
            }
        }
    }

    /** One output of the four-way product: row a[ar..ar+inner) against column bc of B (row stride ldb). */
    static double fourWay1(double[] a, int ar, double[] b, int bc, int inner, int ldb) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < inner; k += 4) {
            int bk = bc + k * ldb;
            s0 += a[ar + k] * b[bk];
            s1 += a[ar + k + 1] * b[bk + ldb];
            s2 += a[ar + k + 2] * b[bk + 2 * ldb];
            s3 += a[ar + k + 3] * b[bk + 3 * ldb];
        }
        for (; k < inner; k++) {
            s0 += a[ar + k] * b[bc + k * ldb];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Four adjacent outputs of one row, each with the arithmetic of {@link #fourWay1}. */
    private static void fourWay4(double[] a, int ar, double[] b, int bc, double[] c, int cc, int inner, int ldb) {
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        double u0 = 0, u1 = 0, u2 = 0, u3 = 0, v0 = 0, v1 = 0, v2 = 0, v3 = 0;
        int k = 0;
        for (; k + 3 < inner; k += 4) {
            int k0 = bc + k * ldb, k1 = k0 + ldb, k2 = k1 + ldb, k3 = k2 + ldb;
            double a0 = a[ar + k], a1 = a[ar + k + 1], a2 = a[ar + k + 2], a3 = a[ar + k + 3];
            p0 += a0 * b[k0]; q0 += a0 * b[k0 + 1]; u0 += a0 * b[k0 + 2]; v0 += a0 * b[k0 + 3];
            p1 += a1 * b[k1]; q1 += a1 * b[k1 + 1]; u1 += a1 * b[k1 + 2]; v1 += a1 * b[k1 + 3];
            p2 += a2 * b[k2]; q2 += a2 * b[k2 + 1]; u2 += a2 * b[k2 + 2]; v2 += a2 * b[k2 + 3];
            p3 += a3 * b[k3]; q3 += a3 * b[k3 + 1]; u3 += a3 * b[k3 + 2]; v3 += a3 * b[k3 + 3];
        }
        for (; k < inner; k++) {
            int k0 = bc + k * ldb;
            double a0 = a[ar + k];
            p0 += a0 * b[k0]; q0 += a0 * b[k0 + 1]; u0 += a0 * b[k0 + 2]; v0 += a0 * b[k0 + 3];
        }
        c[cc] = (p0 + p1) + (p2 + p3);
        c[cc + 1] = (q0 + q1) + (q2 + q3);
        c[cc + 2] = (u0 + u1) + (u2 + u3);
        c[cc + 3] = (v0 + v1) + (v2 + v3);
    }

    @Override
    public void productSequential(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
                                  int cOff, int ldc, int rows, int inner, int cols) {
        sequential(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, rows, inner, cols, false);
    }

    @Override
    public void productSequentialAdd(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
                                     int cOff, int ldc, int rows, int inner, int cols) {
        sequential(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, rows, inner, cols, true);
    }

    /** The sequential sums, from C's entries (acc) or from +0.0. */
    private static void sequential(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
                                   int cOff, int ldc, int rows, int inner, int cols, boolean acc) {
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * lda, cr = cOff + r * ldc;
            if (!acc) {
                java.util.Arrays.fill(c, cr, cr + cols, 0.0);
            }
            // row r of C accumulates a_rk times row k of B, k increasing: for each output, one sum in k order
            // (four terms per pass over the row, added one after the other, so C is loaded and stored less)
            int k = 0;
            for (; k + 3 < inner; k += 4) {
                double a0 = a[ar + k], a1 = a[ar + k + 1], a2 = a[ar + k + 2], a3 = a[ar + k + 3];
                int b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                for (int col = 0; col < cols; col++) {
                    c[cr + col] = c[cr + col] + a0 * b[b0 + col] + a1 * b[b1 + col] + a2 * b[b2 + col]
                            + a3 * b[b3 + col];
                }
            }
            for (; k < inner; k++) {
                double ark = a[ar + k];
                int bk = bOff + k * ldb;
                for (int col = 0; col < cols; col++) {
                    c[cr + col] += ark * b[bk + col];
                }
            }
        }
    }

    @Override
    public void productSequentialTransposedA(double[] at, int atOff, int ldat, double[] b, int bOff, int ldb,
                                             double[] c, int cOff, int ldc, int rows, int inner, int cols) {
        for (int r = 0; r < rows; r++) {
            int cr = cOff + r * ldc;
            java.util.Arrays.fill(c, cr, cr + cols, 0.0);
            // as productSequential, with a_rk read down column r of the transpose
            int k = 0;
            for (; k + 3 < inner; k += 4) {
                int ak = atOff + k * ldat + r;
                double a0 = at[ak], a1 = at[ak + ldat], a2 = at[ak + 2 * ldat], a3 = at[ak + 3 * ldat];
                int b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                for (int col = 0; col < cols; col++) {
                    c[cr + col] = c[cr + col] + a0 * b[b0 + col] + a1 * b[b1 + col] + a2 * b[b2 + col]
                            + a3 * b[b3 + col];
                }
            }
            for (; k < inner; k++) {
                double ark = at[atOff + k * ldat + r];
                int bk = bOff + k * ldb;
                for (int col = 0; col < cols; col++) {
                    c[cr + col] += ark * b[bk + col];
                }
            }
        }
    }

    // tag::linalg-scalar-sequential[]
    /** One output of the sequential product (ldb: the row stride of B). */
    static double sequential1(double[] a, int ar, double[] b, int bc, int inner, int ldb) {
        double s = 0;
        for (int k = 0; k < inner; k++) {
            s += a[ar + k] * b[bc + k * ldb];
        }
        return s;
    }
    // end::linalg-scalar-sequential[]

    @Override
    public void twoSumColumns(double[] w, double[] s, int sOff, int ld, int rows, int i0, int count, double[] hi,
                              double[] lo, double[] err, int out) {
        twoSumTail(w, s, sOff, ld, rows, i0, count, hi, lo, err, out);
    }

    /** {@link #twoSumColumns} one column at a time (also the SIMD kernel's last columns). */
    static void twoSumTail(double[] w, double[] s, int sOff, int ld, int rows, int i0, int count, double[] hi,
                           double[] lo, double[] err, int out) {
        for (int q = 0; q < count; q++) {
            int col = sOff + i0 + q;
            double h = -0.0, l = 0.0, a = 0.0;
            for (int j = 0; j < rows; j++) {
                double p = w == null ? s[col + j * ld] : w[j] * s[col + j * ld];
                double t = h + p;
                double v = t - h;
                double e = (h - (t - v)) + (p - v);
                h = t;
                l += e;
                a += Math.abs(e);
            }
            hi[out + q] = h;
            lo[out + q] = l;
            err[out + q] = a;
        }
    }
}
