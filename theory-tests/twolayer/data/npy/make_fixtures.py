"""Writes the .npy fixtures of NpyTest with NumPy itself; run once from this directory, commit the files.

    python3 make_fixtures.py

Every array is stated literally here and again in NpyTest, which reads each file and compares.
"""
import numpy as np
from numpy.lib import format as npy_format

M = np.array([[1.5, -2.0, 0.25], [3.0, 1e-300, -0.0]])           # 2x3, used in several byte orders and layouts
T = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 4.0          # 3-d, value (i, j, k) = (12 i + 4 j + k) / 4


def save(name, array):
    np.save(name, array, allow_pickle=False)


def write_version(name, array, version):
    with open(name, "wb") as f:
        npy_format.write_array(f, array, version=version, allow_pickle=False)


save("f8_le_2x3.npy", M.astype("<f8"))
save("f8_be_2x3.npy", M.astype(">f8"))
save("f4_le_3.npy", np.array([0.1, -2.5, 1e-45], dtype="<f4"))    # 1e-45 is the smallest float32 subnormal
save("f4_be_2x2.npy", np.array([[0.5, -0.75], [1e30, 7.0]], dtype=">f4"))
save("fortran_2x3.npy", np.asfortranarray(M))
save("fortran_2x3x4.npy", np.asfortranarray(T))
save("c_2x3x4.npy", T)
save("scalar.npy", np.array(-7.25))
save("vector_5.npy", np.array([0.0, 1.0, -1.0, 2.5, 1e300]))
save("specials.npy", np.array([np.nan, np.inf, -np.inf, -0.0, 5e-324, 1.7976931348623157e308]))
write_version("v2_2x3.npy", M, (2, 0))
write_version("v3_2x3.npy", M, (3, 0))
save("i8_3.npy", np.array([1, 2, 3], dtype="<i8"))
with open("f8_le_2x3.npy", "rb") as f:
    whole = f.read()
with open("truncated_2x3.npy", "wb") as f:
    f.write(whole[:-8])                                              # the last value is missing
