package org.cypclass.libc;

import java.lang.foreign.MemorySegment;
import org.cypclass.libc.internal.CallState;
import org.cypclass.libc.internal.GetlineBuffer;
import org.cypclass.libc.internal.Platform;

/**
 * A growable native buffer for reading whole lines with C's {@code getline}, through
 * {@link CFile#readLine(LineBuffer)}: C allocates the buffer and grows it so that every line
 * fits, however long, and reports the exact length, NUL bytes included.
 * {@snippet :
 * try (CFile in = CFile.open(path, "r"); LineBuffer line = new LineBuffer()) {
 *     long n;
 *     while ((n = in.readLine(line)) >= 0) {
 *         MemorySegment bytes = line.segment(); // the line is bytes [0, n), newline included
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>After each read, {@link #length()} is the line's length in bytes with its newline (the
 *       last line of a file may have none), or -1 at end of file; {@link #segment()} holds
 *       the line at {@code [0, length())}, then a NUL.</li>
 *   <li>A segment from {@link #segment()} stays valid until a read moves the buffer to grow
 *       it, or until {@link #close()}; using it afterwards throws
 *       {@link IllegalStateException} (it never reads freed memory). Take
 *       {@link #segment()} again after each read.</li>
 *   <li>{@link #close()} frees the buffer, once. A buffer that is never closed is freed by a
 *       {@link java.lang.ref.Cleaner} once neither it nor any of its segments is
 *       reachable.</li>
 * </ul>
 *
 * <h2>nogil</h2>
 * A read allocates nothing on the Java heap unless it grows the buffer (C's
 * {@code realloc}, then one new segment object); a reused buffer soon stops growing.
 *
 * <p>Thread-safety: confined to the owning thread, the one that created it, like a confined
 * {@link java.lang.foreign.Arena}: reads into it, its segments and {@link #close()} throw
 * {@link WrongThreadException} on any other thread, because C may move the buffer during a
 * read. Threads that read lines from one shared {@link CFile} each use their own
 * {@code LineBuffer}; {@code getline} locks the stream, so each line goes whole to one thread.
 */
public final class LineBuffer implements AutoCloseable {

    private final Thread owner;
    private final GetlineBuffer buffer;
    private long length = -1;
    private boolean closed;

    /**
     * Creates an empty buffer for the calling thread; C allocates memory at the first read.
     *
     * @throws UnsupportedOperationException on any platform but Linux x86-64 with glibc
     */
    public LineBuffer() {
        Platform.requireSupported();
        owner = Thread.currentThread();
        buffer = new GetlineBuffer(true);
    }

    /**
     * {@return the length in bytes of the last line read into this buffer, newline included; -1
     * before the first read and after a read at end of file}
     *
     * @throws WrongThreadException if called from another thread than the owner
     * @throws IllegalStateException if the buffer is closed
     */
    public long length() {
        checkUsable("length");
        return length;
    }

    /**
     * {@return the size in bytes of the native buffer, which C grows as lines need; 0 before the
     * first read}
     *
     * @throws WrongThreadException if called from another thread than the owner
     * @throws IllegalStateException if this buffer is closed
     */
    public long capacity() {
        checkUsable("capacity");
        return buffer.capacity();
    }

    /**
     * Returns the whole native buffer: the last line read is at {@code [0, length())},
     * followed by a NUL. The same segment is returned until a read grows the buffer.
     *
     * @return a segment of {@link #capacity()} bytes, confined to the owner thread; empty
     *         before the first read
     * @throws WrongThreadException if called from another thread than the owner
     * @throws IllegalStateException if this buffer is closed
     */
    public MemorySegment segment() {
        checkUsable("segment");
        return buffer.view();
    }

    /**
     * Decodes the last line read as UTF-8, as it was read: with its newline, if it had one.
     *
     * @return the line, or {@code null} if {@link #length()} is -1
     * @throws WrongThreadException if called from another thread than the owner
     * @throws IllegalStateException if this buffer is closed
     */
    public String text() {
        checkUsable("text");
        return length < 0 ? null : buffer.decode(length, false, CallState.current());
    }

    /**
     * Tells whether this buffer is open.
     *
     * @return {@code false} once {@link #close()} has been called
     */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Frees the native buffer, once; later calls do nothing. Segments taken from it become
     * invalid.
     *
     * @throws WrongThreadException if called from another thread than the owner
     */
    @Override
    public void close() {
        checkOwner("close");
        if (!closed) {
            closed = true;
            length = -1;
            buffer.close();
        }
    }

    /**
     * Describes this buffer.
     *
     * @return {@code LineBuffer[length 12, capacity 120]}, or {@code LineBuffer[closed]}
     */
    @Override
    public String toString() {
        if (closed) {
            return "LineBuffer[closed]";
        }
        return "LineBuffer[length " + length + ", capacity " + (Thread.currentThread() == owner ? buffer.capacity() : "?") + "]";
    }

    /**
     * Reads a line into this buffer; called by {@link CFile#readLine(LineBuffer)} inside the
     * file's gate, after {@link #checkUsable}.
     *
     * @param errno the thread's capture segment
     * @param stream the live stream
     * @return the line's length, or -1 at end of file or on error
     */
    long read(MemorySegment errno, MemorySegment stream) {
        long n = buffer.getline(errno, stream);
        length = n < 0 ? -1 : n;
        return n;
    }

    /**
     * Checks that the calling thread owns this open buffer.
     *
     * @param operation named in the exception
     */
    void checkUsable(String operation) {
        checkOwner(operation);
        if (closed) {
            throw new IllegalStateException(operation + " on a closed LineBuffer: a LineBuffer cannot be used after close()");
        }
    }

    private void checkOwner(String operation) {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new WrongThreadException(operation + " on a LineBuffer of thread \"" + owner.getName() + "\" (id "
                + owner.threadId() + ") from thread \"" + current.getName() + "\" (id " + current.threadId()
                + "): a LineBuffer is confined to the thread that created it; give each thread its own");
        }
    }
}
