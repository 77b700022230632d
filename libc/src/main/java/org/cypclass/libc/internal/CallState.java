package org.cypclass.libc.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;

/**
 * What one thread needs for its downcalls, found with one {@link ThreadLocal} lookup: the
 * segment where captured {@code errno} lands, the pointer segment to hand to C for a range of
 * a caller's buffer, and, made on first use, a scratch buffer where text is encoded for
 * {@code fwrite} and a {@code getline} buffer for lines read as {@code String}s.
 *
 * <p>Zero allocation per call: C must receive a segment, not a raw address, so that the
 * downcall keeps the buffer's arena alive (a shared arena cannot be closed under a running
 * {@code fread}). A whole segment is passed as it is. A range of it needs a slice; rather than
 * count on escape analysis to remove that object (it does in a quiet JVM, but a polluted
 * profile of the shared downcall path defeats it), each thread remembers the last slice it
 * made, weakly so that it never keeps an automatic arena's memory alive, and reuses it while
 * calls ask for the same range of the same memory, as loops do. A new range costs one slice
 * and one weak reference.
 *
 * <p>Thread-safety: confined to the owning thread: each thread has its own instance
 * ({@link #current()}).
 */
public final class CallState {

    private static final ThreadLocal<CallState> CURRENT = ThreadLocal.withInitial(CallState::new);

    private static final WeakReference<MemorySegment> NONE = new WeakReference<>(null);

    /** The capture segment, from an automatic arena: freed once the thread is gone. */
    private final MemorySegment errno = Arena.ofAuto().allocate(Errno.CAPTURE_LAYOUT);

    /** The last range slice this thread made; plain field, only this thread touches it. */
    private WeakReference<MemorySegment> lastSlice = NONE;

    /** Size of {@link #scratch()}: text up to this many UTF-8 bytes is written without a copy arena. */
    public static final int SCRATCH_SIZE = 8192;

    /** A {@link #lineBuffer()} grown past this many bytes is freed after use. */
    private static final long LINE_BUFFER_KEPT = 64 * 1024;

    /** {@link #bytes(int)} keeps arrays up to this size. */
    private static final int BYTES_KEPT = 64 * 1024;

    private MemorySegment scratch;
    private GetlineBuffer lineBuffer;
    private byte[] bytes;

    private CallState() {
    }

    /**
     * {@return the calling thread's state, created on the thread's first call, to be used by the
     * calling thread only}
     */
    public static CallState current() {
        return CURRENT.get();
    }

    /**
     * Returns the capture segment to pass first to every handle linked by
     * {@link Downcalls#withErrno}; read it with {@link Errno#value}.
     *
     * @return this thread's capture segment
     */
    public MemorySegment errno() {
        return errno;
    }

    /**
     * Returns this thread's scratch buffer, allocated on first use from an automatic arena
     * (freed once the thread is gone).
     *
     * @return {@value #SCRATCH_SIZE} native bytes that only this thread uses, between two of
     *         its calls
     */
    public MemorySegment scratch() {
        MemorySegment s = scratch;
        if (s == null) {
            s = scratch = Arena.ofAuto().allocate(SCRATCH_SIZE);
        }
        return s;
    }

    /**
     * Returns a byte array of this thread to decode text from, reused while requests stay
     * within 64 KiB.
     *
     * @param length the number of bytes needed
     * @return an array of at least {@code length} bytes, to be used before this thread's next
     *         call into this class
     */
    public byte[] bytes(int length) {
        if (length > BYTES_KEPT) {
            return new byte[length];
        }
        byte[] b = bytes;
        if (b == null || b.length < length) {
            b = bytes = new byte[Math.max(length, 256)];
        }
        return b;
    }

    /**
     * Returns this thread's {@code getline} buffer, without views, created on first use.
     * Callers hand it back with {@link #releaseLineBuffer()}.
     *
     * @return the buffer
     */
    public GetlineBuffer lineBuffer() {
        GetlineBuffer b = lineBuffer;
        if (b == null) {
            b = lineBuffer = new GetlineBuffer(false);
        }
        return b;
    }

    /** Frees the {@code getline} buffer's block if a long line made it larger than 64 KiB. */
    public void releaseLineBuffer() {
        if (lineBuffer != null && lineBuffer.capacity() > LINE_BUFFER_KEPT) {
            lineBuffer.free();
        }
    }

    /**
     * Returns the segment to pass to C for {@code [offset, offset + length)} of {@code base}.
     *
     * @param base a native segment, already checked to contain the range
     * @param offset the start of the range
     * @param length the length of the range
     * @return {@code base} itself, the remembered slice of the same range and scope, or a new
     *         slice
     */
    public MemorySegment pointer(MemorySegment base, long offset, long length) {
        if (offset == 0 && length == base.byteSize()) {
            return base;
        }
        MemorySegment last = lastSlice.get();
        if (last != null && last.address() == base.address() + offset && last.byteSize() == length
                && last.scope().equals(base.scope())) {
            return last;
        }
        MemorySegment slice = base.asSlice(offset, length);
        lastSlice = new WeakReference<>(slice);
        return slice;
    }
}
