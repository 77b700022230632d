package org.cypclass.benchmarks;

/**
 * The verdict on one goal of a bench run. A goal is judged over the {@link Spread} of its
 * measurement, not over one number: MET when it holds at both ends of the spread, MISS when it
 * fails at both ends, UNCLEAR when the spread straddles the bound (the run cannot tell, and a
 * quieter or longer one must), SKIP when one side was not measured.
 */
public enum Verdict {
    /** The goal holds over the whole spread. */
    MET,
    /** The goal fails over the whole spread. */
    MISS,
    /** Some samples meet the goal and some miss it. */
    UNCLEAR,
    /** The goal could not be judged in this run. */
    SKIP;

    /**
     * Judges a measured ratio against a bound.
     *
     * @param ratio   the measured ratio and its spread
     * @param atMost  the largest allowed ratio, or NaN for none
     * @param atLeast the smallest allowed ratio, or NaN for none
     * @return MET, MISS or UNCLEAR; SKIP when the ratio is not a number
     */
    public static Verdict of(Spread ratio, double atMost, double atLeast) {
        if (Double.isNaN(ratio.median()) || Double.isNaN(ratio.min()) || Double.isNaN(ratio.max())) {
            return SKIP;
        }
        boolean bestHolds = holds(Double.isNaN(atMost) ? ratio.max() : ratio.min(), atMost, atLeast);
        boolean worstHolds = holds(Double.isNaN(atMost) ? ratio.min() : ratio.max(), atMost, atLeast);
        if (bestHolds && worstHolds) {
            return MET;
        }
        return bestHolds ? UNCLEAR : MISS;
    }

    private static boolean holds(double ratio, double atMost, double atLeast) {
        return (Double.isNaN(atMost) || ratio <= atMost) && (Double.isNaN(atLeast) || ratio >= atLeast);
    }

    /** {@return the verdict padded to the width of the report's verdict column} */
    public String label() {
        return String.format("%-7s", name());
    }
}
