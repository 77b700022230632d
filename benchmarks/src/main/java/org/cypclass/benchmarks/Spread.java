package org.cypclass.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * The samples of one measurement reduced to what a verdict needs: their median and their
 * range. For a JMH row the samples are its measurement iterations (of every fork); for the
 * KDTree comparison, its trials.
 *
 * <p>A ratio of two spreads spans every ratio their samples allow: from the smallest sample
 * over the largest of the other side to the largest over the smallest. A goal that holds over
 * that whole span holds whichever samples are taken as representative; that is what
 * {@link Verdict#of} asks of a MET.
 *
 * @param median the median of the samples (the mean of the middle two for an even count)
 * @param min    the smallest sample
 * @param max    the largest sample
 */
public record Spread(double median, double min, double max) {

    /** A spread of {@code samples}; NaN everywhere when there are none. */
    public static Spread of(double... samples) {
        if (samples.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int half = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
        return new Spread(median, sorted[0], sorted[sorted.length - 1]);
    }

    /** A single value, with no spread to show (a measurement taken once). */
    public static Spread exactly(double value) {
        return new Spread(value, value, value);
    }

    /**
     * {@return this spread divided by {@code base}: the ratio of the medians, and the widest
     * range of ratios the two sides' samples allow}
     */
    public Spread over(Spread base) {
        return new Spread(median / base.median, min / base.max, max / base.min);
    }

    /** {@return the range as {@code "min-max"} with the given format for each end} */
    public String range(String format) {
        return String.format(Locale.ROOT, format + "-" + format, min, max);
    }
}
