package org.cypclass.kdtree;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/**
 * Points in float64, row-major, off-heap: {@code rows} rows of {@code dims} coordinates in one
 * flexible array member ({@code coords[row * dims + dim]}), the layout NumPy's C-order
 * {@code float64} arrays have, so a {@code .npy} file reads straight into it.
 */
@Cypclass
public class KdPoints extends Cy_KdPoints {

    /** For the generated factories: instances come from {@code create}. */
    KdPoints() {
    }

    interface Fields {
        long rows();

        int dims();

        double[] coords();
    }

    @Init
    void init(long rows, int dims) {
        if (rows < 0 || dims < 1 || coordsLength() != rows * dims) {
            throw new IllegalArgumentException("points need rows >= 0, dims >= 1 and rows * dims coordinates; got rows="
                + rows + ", dims=" + dims + ", coordinates=" + coordsLength());
        }
        rows(rows);
        dims(dims);
    }

    /**
     * Creates zeroed points.
     *
     * @param rows how many points
     * @param dims coordinates per point, at least 1
     * @return the only reference to them
     * @throws IllegalArgumentException if a size is out of range
     */
    public static KdPoints of(long rows, int dims) {
        if (rows < 0 || dims < 1 || rows > Long.MAX_VALUE / 8 / dims) {
            throw new IllegalArgumentException("cannot make " + rows + " points of " + dims + " dimensions");
        }
        return create(rows * dims, rows, dims);
    }

    /**
     * Copies Java rows into new points.
     *
     * @param rowMajor {@code rows * dims} coordinates, row after row
     * @param dims coordinates per point, at least 1
     * @return the only reference to the new points
     * @throws IllegalArgumentException if the length is not a multiple of {@code dims}
     */
    public static KdPoints copyOf(double[] rowMajor, int dims) {
        if (dims < 1 || rowMajor.length % dims != 0) {
            throw new IllegalArgumentException(rowMajor.length + " coordinates do not make rows of " + dims);
        }
        KdPoints points = of(rowMajor.length / dims, dims);
        points.coordsCopyFrom(0, rowMajor, 0, rowMajor.length);
        return points;
    }
}
