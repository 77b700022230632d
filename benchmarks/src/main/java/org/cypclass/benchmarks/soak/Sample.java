package org.cypclass.benchmarks.soak;

/**
 * One line of the soak's record.
 *
 * @param seconds since the start
 * @param opsPerSecond operations over the last interval, per second
 * @param liveObjects live off-heap blocks
 * @param liveBytes live off-heap bytes
 * @param rssBytes the process's resident set size
 */
record Sample(double seconds, double opsPerSecond, long liveObjects, long liveBytes, long rssBytes) {

    /** The CSV header matching {@link #csv()}. */
    static final String CSV_HEADER = "seconds,ops_per_second,live_objects,live_bytes,rss_bytes";

    String csv() {
        return String.format(java.util.Locale.ROOT, "%.1f,%.0f,%d,%d,%d", seconds, opsPerSecond, liveObjects, liveBytes,
            rssBytes);
    }

    /** The progress line printed every interval. */
    String line() {
        return String.format(java.util.Locale.ROOT, "  soak %6.0f s  %,12.0f ops/s  %,9d live objects  %,8.1f MiB live"
            + "  %,8.1f MiB RSS", seconds, opsPerSecond, liveObjects, liveBytes / 1048576.0, rssBytes / 1048576.0);
    }
}
