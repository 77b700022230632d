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
 * <p>Tail latency ({@link #checkLatency}) is noisier than memory: one interval's p99.9 is a
 * handful of requests, and on a shared 2-core machine a neighbour's build can triple it for a
 * few seconds. So its rule compares medians, not means, of the per-interval values: the samples
 * after warm-up are split in thirds, and the p99.9 has kept growing when the middle third's
 * median is above the first third's and the last third's median is more than three times the
 * first's and at least 2 ms above it (a 2-core machine shared with builds moved single
 * intervals' p99.9 between 0.1 and 7 ms in a 2-minute run, and the thirds' medians by less than
 * x2). One slow interval, or a few, moves no median (a spike
 * passes); noise around a level leaves the three medians close (a flat, noisy run passes); a
 * queue or a structure that grows without bound raises all three in order (it fails). At least
 * three samples per third are needed; a shorter run is not judged.
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

    /** The p99.9 must grow more than this many times, and by at least this much, to count as growth. */
    static final double LATENCY_FACTOR = 3.0;
    static final long LATENCY_FLOOR_NANOS = 2_000_000;

    /**
     * Checks that the requests' p99.9 latency does not keep growing (the rule of the class
     * documentation).
     *
     * @param samples the samples after warm-up, in order
     * @return null if steady or too short to judge, else why not
     */
    static String checkLatency(List<Sample> samples) {
        List<Sample> recorded = samples.stream().filter(s -> s.latency().requests() > 0).toList();
        int third = recorded.size() / 3;
        if (third < 3) {
            return null;
        }
        long first = median(recorded.subList(0, third));
        long middle = median(recorded.subList(third, recorded.size() - third));
        long last = median(recorded.subList(recorded.size() - third, recorded.size()));
        if (middle > first && last > first * LATENCY_FACTOR && last - first >= LATENCY_FLOOR_NANOS) {
            return String.format(java.util.Locale.ROOT, "the p99.9 request latency kept growing after warm-up: medians of the"
                + " thirds %s -> %s -> %s (it fails past x%.0f and +%s)", Sample.time(first), Sample.time(middle),
                Sample.time(last), LATENCY_FACTOR, Sample.time(LATENCY_FLOOR_NANOS));
        }
        return null;
    }

    private static long median(List<Sample> samples) {
        long[] values = samples.stream().mapToLong(s -> s.latency().p999()).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
            : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static double mean(List<Sample> samples, ToLongFunction<Sample> measure) {
        return samples.stream().mapToLong(measure).average().orElse(0);
    }
}
