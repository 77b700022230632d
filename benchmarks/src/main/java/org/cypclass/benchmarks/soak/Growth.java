package org.cypclass.benchmarks.soak;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The soak's verdict on a steady state: after warm-up, a measure must not keep growing. The
 * samples after warm-up are split in thirds; the mean of the last third may exceed the mean of
 * the first by at most a slack (an absolute floor or a fraction, whichever is larger), which
 * tolerates the garbage collector's and the allocator's step-wise growth but not a leak that
 * climbs for the whole run.
 *
 * <p>Thread-safety: stateless.
 */
final class Growth {

    private Growth() {
    }

    /**
     * Checks one measure.
     *
     * @param samples the samples after warm-up, in order
     * @param measure what to check
     * @param name its name, for the message
     * @param floorBytes the growth always allowed
     * @param fraction the growth allowed relative to the first third's mean
     * @return null if steady, else why not
     */
    static String check(List<Sample> samples, ToLongFunction<Sample> measure, String name, long floorBytes, double fraction) {
        int third = samples.size() / 3;
        if (third == 0) {
            return null;    // too short to judge: the end-of-run leak check still applies
        }
        double first = mean(samples.subList(0, third), measure);
        double last = mean(samples.subList(samples.size() - third, samples.size()), measure);
        double allowed = Math.max(floorBytes, first * fraction);
        if (last - first > allowed) {
            return String.format(java.util.Locale.ROOT, "%s kept growing after warm-up: %.1f MiB -> %.1f MiB (allowed +%.1f MiB)",
                name, first / 1048576, last / 1048576, allowed / 1048576);
        }
        return null;
    }

    private static double mean(List<Sample> samples, ToLongFunction<Sample> measure) {
        return samples.stream().mapToLong(measure).average().orElse(0);
    }
}
