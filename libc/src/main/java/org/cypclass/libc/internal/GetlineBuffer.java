package org.cypclass.libc.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import org.cypclass.bindings.libc.libc_h;

/**
 * The buffer C's {@code getline} reads into: a block that C allocates with {@code malloc} and
 * grows with {@code realloc}, so that any line fits, freed with {@code free}.
 *
 * <pre>
 *   cell (16 bytes, automatic arena)        C heap
 *   +-----------------+-------------+        +---------------------------+
 *   | char *line      | size_t size | -----> | line bytes | NUL | ...    |  size bytes
 *   +-----------------+-------------+        +---------------------------+
 *   0                 8             16
 * </pre>
 *
 * <p>The cell's two words are {@code getline}'s {@code char **} and {@code size_t *}
 * arguments; C updates both when it moves the block. Views of the block for Java
 * ({@link #view()}) come from a confined arena that {@link #refreshView()} closes as soon as
 * the block has moved, and {@link #free()} closes before freeing it: a stale view throws
 * {@link IllegalStateException} instead of reading freed memory. Each view keeps this object
 * reachable, so the cleaner that frees an unclosed buffer cannot run while a view is in use.
 *
 * <p>Thread-safety: confined to the owning thread, the one that created the buffer: only it may
 * call the methods, and the views are confined to it, so no other thread can read the block while C
 * moves it. (The cleaner thread frees it only once nothing refers to the buffer or a view.)
 */
public final class GetlineBuffer {

    /** {@code getline}'s two cells. */
    private static final StructLayout CELL = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("line"), ValueLayout.JAVA_LONG.withName("size"));
    private static final long LINE = 0;
    private static final long SIZE = 8;

    /** The cells, from an automatic arena: the cleaner action holds them until it runs. */
    private final MemorySegment cell = Arena.ofAuto().allocate(CELL);
    private final MemorySegment sizeCell = cell.asSlice(SIZE, ValueLayout.JAVA_LONG.byteSize());
    private final Cleaner.Cleanable freer;
    private final boolean withViews;

    /** The arena of the current view, or {@code null}; views are made by the owner thread. */
    private Arena viewArena;
    private MemorySegment view = MemorySegment.NULL;
    private long viewAddress;
    private long viewSize;

    /**
     * Creates an empty buffer; {@code getline} allocates the block on the first read.
     *
     * @param withViews whether {@link #view()} is used, so that every read refreshes it: a
     *        {@code LineBuffer}'s, whose block {@link NativeLedger} counts (a thread's own
     *        buffer has none)
     */
    public GetlineBuffer(boolean withViews) {
        this.withViews = withViews;
        this.freer = HandleCloser.CLEANER.register(this, new Freer(cell, withViews));
    }

    /**
     * Reads one line with {@code getline}, then refreshes the view if the block moved.
     *
     * @param errno this thread's capture segment
     * @param stream a live stream
     * @return the length of the line, newline included, or -1 at end of file or on error
     */
    public long getline(MemorySegment errno, MemorySegment stream) {
        // Only a line buffer's block is counted: a thread's own buffer skips both reads.
        long oldAddress = withViews ? address() : 0;
        long oldSize = withViews ? capacity() : 0;
        try {
            return Stdio.getline(errno, cell, sizeCell, stream);
        } finally {
            if (withViews) {
                NativeLedger.lineBlockChanged(oldAddress, oldSize, address(), capacity());
                refreshView();
            }
        }
    }

    /** {@return the address of the block, 0 before the first read} */
    public long address() {
        return cell.get(ValueLayout.JAVA_LONG, LINE);
    }

    /** {@return the size of the block in bytes, 0 before the first read} */
    public long capacity() {
        return cell.get(ValueLayout.JAVA_LONG, SIZE);
    }

    /**
     * {@return a segment over the whole block, the same object until the block moves; a zero-length
     * segment before the first read}
     */
    public MemorySegment view() {
        return view;
    }

    /** Closes the view if the block moved or grew, and makes a new one over it. */
    private void refreshView() {
        long address = address();
        long size = capacity();
        if (address == viewAddress && size == viewSize) {
            return;
        }
        closeView();
        if (address != 0) {
            viewArena = Arena.ofConfined();
            view = Downcalls.view(address, size, viewArena, this);
        }
        viewAddress = address;
        viewSize = size;
    }

    private void closeView() {
        if (viewArena != null) {
            viewArena.close();
            viewArena = null;
        }
        view = MemorySegment.NULL;
    }

    /**
     * Decodes the first {@code length} bytes of the block as UTF-8.
     *
     * @param length the number of bytes, at most {@link #capacity()}
     * @param stripNewline whether to leave out a final {@code "\n"} or {@code "\r\n"}
     * @param call the calling thread's state, whose byte array the bytes are copied into
     * @return the text
     */
    public String decode(long length, boolean stripNewline, CallState call) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a line of " + length + " bytes is too long for a Java String");
        }
        byte[] bytes = call.bytes((int) length);
        Downcalls.copy(address(), (int) length, bytes);
        int end = (int) length;
        if (stripNewline && end > 0 && bytes[end - 1] == '\n') {
            end--;
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** Frees the block, after closing the view; the buffer can be read into again afterwards. */
    public void free() {
        closeView();
        viewAddress = 0;
        viewSize = 0;
        Freer.free(cell, withViews);
    }

    /** Frees the block for good: the cleaner will not run again. */
    public void close() {
        closeView();
        freer.clean();
    }

    /**
     * The cleaner action: frees the block that the cells point to. It holds the cells, never
     * the buffer, so that the buffer can become unreachable.
     *
     * @param cell the two cells
     * @param counted whether the block is a line buffer's, counted by {@link NativeLedger}
     */
    private record Freer(MemorySegment cell, boolean counted) implements Runnable {
        @Override
        public void run() {
            free(cell, counted);
        }

        static void free(MemorySegment cell, boolean counted) {
            long address = cell.get(ValueLayout.JAVA_LONG, LINE);
            if (counted) {
                NativeLedger.lineBlockChanged(address, cell.get(ValueLayout.JAVA_LONG, SIZE), 0, 0);
            }
            cell.set(ValueLayout.JAVA_LONG, LINE, 0);
            cell.set(ValueLayout.JAVA_LONG, SIZE, 0);
            if (address != 0) {
                libc_h.free(MemorySegment.ofAddress(address));
            }
        }
    }
}
