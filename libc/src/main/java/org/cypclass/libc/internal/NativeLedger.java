package org.cypclass.libc.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the C-heap resources this module holds that a caller must give back: open
 * {@code FILE*} streams, and the {@code getline} blocks of open {@code LineBuffer}s with their
 * sizes. Tests compare the counts before and after a test, as they compare the allocator's
 * live blocks, to find a file or line buffer left open.
 *
 * <p>What is counted: a stream from the moment {@code fopen} returns it until {@code fclose}
 * frees it (whether the caller closed its file or the cleaner did); a line buffer's block from
 * the {@code getline} that allocated it until it is freed, its bytes following each
 * {@code realloc}. Not counted: each thread's own {@code getline} block for
 * {@code CFile.readLine} (a cache of at most 64 KiB per thread, kept on purpose and freed when
 * the thread's state is collected), and what glibc allocates inside a stream (freed by
 * {@code fclose}).
 *
 * <p>Thread-safety: safe to use from any thread; each count is one {@code AtomicLong}, updated
 * with volatile read-modify-writes, so a reader sees every update made before its read began.
 */
public final class NativeLedger {

    /** {@code FILE*} streams that {@code fopen} returned and {@code fclose} has not freed. */
    private static final AtomicLong STREAMS = new AtomicLong();
    /** Live {@code getline} blocks of line buffers. */
    private static final AtomicLong LINE_BLOCKS = new AtomicLong();
    /** Their sizes in bytes, as {@code getline} reported them. */
    private static final AtomicLong LINE_BYTES = new AtomicLong();

    private NativeLedger() {
    }

    /** {@return the number of open {@code FILE*} streams} */
    public static long openStreams() {
        return STREAMS.get();
    }

    /** {@return the number of live {@code getline} blocks of line buffers} */
    public static long lineBufferBlocks() {
        return LINE_BLOCKS.get();
    }

    /** {@return the bytes of the live {@code getline} blocks of line buffers} */
    public static long lineBufferBytes() {
        return LINE_BYTES.get();
    }

    static void streamOpened() {
        STREAMS.incrementAndGet();
    }

    static void streamClosed() {
        STREAMS.decrementAndGet();
    }

    /**
     * Records that a line buffer's block went from {@code (oldAddress, oldSize)} to
     * {@code (newAddress, newSize)}; an address of 0 means no block.
     */
    static void lineBlockChanged(long oldAddress, long oldSize, long newAddress, long newSize) {
        if (oldAddress == newAddress && oldSize == newSize) {
            return;
        }
        long blocks = (newAddress != 0 ? 1 : 0) - (oldAddress != 0 ? 1 : 0);
        if (blocks != 0) {
            LINE_BLOCKS.addAndGet(blocks);
        }
        LINE_BYTES.addAndGet((newAddress != 0 ? newSize : 0) - (oldAddress != 0 ? oldSize : 0));
    }
}
