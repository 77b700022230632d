package org.cypclass.libc.internal;

import java.lang.foreign.MemorySegment;

/**
 * Argument checks shared by every read and write: the segment is present, native, writable
 * when C writes into it, and {@code [offset, offset + length)} lies inside it. The checks
 * allocate nothing unless they fail; the failure paths are out of line so that callers stay
 * small enough to inline.
 */
public final class SegmentChecks {

    private SegmentChecks() {
    }

    /**
     * Checks a buffer that C will write into.
     *
     * @param segment the caller's buffer
     * @param offset where in it the data goes
     * @param length how many bytes at most
     * @param file the file, named in messages
     * @param operation the operation, named in messages, such as {@code "read"}
     * @throws NullPointerException if {@code segment} is null
     * @throws IllegalArgumentException if {@code segment} is a heap or read-only segment, or
     *         {@code offset} or {@code length} is negative
     * @throws IndexOutOfBoundsException if the range does not fit in {@code segment}
     */
    public static void checkDestination(MemorySegment segment, long offset, long length, Object file, String operation) {
        checkSource(segment, offset, length, file, operation);
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException(
                operation + " on " + file + ": the destination segment is read-only; C would write into it");
        }
    }

    /**
     * Checks a buffer that C will read from.
     *
     * @param segment the caller's buffer
     * @param offset where in it the data starts
     * @param length how many bytes
     * @param file the file, named in messages
     * @param operation the operation, named in messages
     * @throws NullPointerException if {@code segment} is null
     * @throws IllegalArgumentException if {@code segment} is a heap segment, or {@code offset}
     *         or {@code length} is negative
     * @throws IndexOutOfBoundsException if the range does not fit in {@code segment}
     */
    public static void checkSource(MemorySegment segment, long offset, long length, Object file, String operation) {
        if (segment == null) {
            throw new NullPointerException(operation + " on " + file + ": the segment is null");
        }
        long size = segment.byteSize();
        if ((offset | length) < 0 || length > size - offset || !segment.isNative()) {
            throw badRange(segment, offset, length, file, operation);
        }
    }

    private static RuntimeException badRange(MemorySegment segment, long offset, long length, Object file, String operation) {
        String what = operation + " on " + file;
        if (!segment.isNative()) {
            return new IllegalArgumentException(what + ": " + segment
                + " is a heap segment; C can only reach native segments (Arena.allocate)");
        }
        if (length < 0) {
            return new IllegalArgumentException(what + ": negative length " + length);
        }
        if (offset < 0) {
            return new IllegalArgumentException(what + ": negative offset " + offset);
        }
        return new IndexOutOfBoundsException(what + ": segment of " + segment.byteSize()
            + " bytes is too small for " + length + " bytes at offset " + offset);
    }
}
