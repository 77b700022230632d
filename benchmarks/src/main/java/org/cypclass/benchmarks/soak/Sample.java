package org.cypclass.benchmarks.soak;

/**
 * One line of the soak's record.
 *
 * @param seconds since the start
 * @param opsPerSecond operations over the last interval, per second
 * @param liveObjects live off-heap blocks
 * @param liveBytes live off-heap bytes
 * @param rssBytes the process's resident set size
 * @param latency the requests' latency percentiles over the last interval
 */
record Sample(double seconds, double opsPerSecond, long liveObjects, long liveBytes, long rssBytes, Latency latency) {

    /** The CSV header matching {@link #csv()}. */
    static final String CSV_HEADER = "seconds,ops_per_second,live_objects,live_bytes,rss_bytes,requests,p50_ns,p99_ns,p999_ns,max_ns";

    /**
     * Latency percentiles of the requests completed in one interval, in nanoseconds.
     *
     * @param requests how many requests the interval recorded
     * @param p50 the median
     * @param p99 the 99th percentile
     * @param p999 the 99.9th percentile
     * @param max the slowest request
     */
    record Latency(long requests, long p50, long p99, long p999, long max) {

        /** No request recorded. */
        static final Latency NONE = new Latency(0, 0, 0, 0, 0);
    }

    String csv() {
        return String.format(java.util.Locale.ROOT, "%.1f,%.0f,%d,%d,%d,%d,%d,%d,%d,%d", seconds, opsPerSecond, liveObjects,
            liveBytes, rssBytes, latency.requests(), latency.p50(), latency.p99(), latency.p999(), latency.max());
    }

    /** The progress line printed every interval. */
    String line() {
        return String.format(java.util.Locale.ROOT, "  soak %6.0f s  %,12.0f ops/s  %,9d live objects  %,8.1f MiB live"
            + "  %,8.1f MiB RSS  latency p50 %s  p99 %s  p99.9 %s  max %s", seconds, opsPerSecond, liveObjects,
            liveBytes / 1048576.0, rssBytes / 1048576.0, time(latency.p50()), time(latency.p99()), time(latency.p999()),
            time(latency.max()));
    }

    /** Nanoseconds in the unit that keeps three or four figures. */
    static String time(long nanos) {
        if (nanos < 10_000) {
            return String.format(java.util.Locale.ROOT, "%,d ns", nanos);
        }
        if (nanos < 1_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        return String.format(java.util.Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
