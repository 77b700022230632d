package org.cypclass.libc.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Byte scans and UTF-8 encoding over native segments for the line methods of {@code CFile}:
 * finding the end of what {@code fgets} stored, finding a C string's NUL, and
 * encoding a {@link CharSequence} into a native buffer without a Java byte array.
 *
 * <p>The scans read eight bytes at a time and find the first matching byte with the
 * "has a zero byte" test ({@code (v - 0x01..01) & ~v & 0x80..80}), whose lowest set bit is
 * always exact (a borrow can only flag bytes above a true match).
 */
public final class Text {

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    private Text() {
    }

    /**
     * Finds the first newline or NUL byte.
     *
     * @param segment the bytes
     * @param from the first index to look at
     * @param to the index after the last one to look at, at most {@code segment.byteSize()}
     * @return the index of the first {@code '\n'} or {@code 0} byte in {@code [from, to)}, or
     *         -1 if there is none
     */
    public static long indexOfNewlineOrNul(MemorySegment segment, long from, long to) {
        long i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long v = segment.get(WORD, i);
            long found = zeroBytes(v) | zeroBytes(v ^ NEWLINES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = segment.get(ValueLayout.JAVA_BYTE, i);
            if (b == '\n' || b == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Finds the first newline byte.
     *
     * @param segment the bytes
     * @param from the first index to look at
     * @param to the index after the last one to look at, at most {@code segment.byteSize()}
     * @return the index of the first {@code '\n'} in {@code [from, to)}, or -1
     */
    public static long indexOfNewline(MemorySegment segment, long from, long to) {
        long i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long found = zeroBytes(segment.get(WORD, i) ^ NEWLINES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Finds the first NUL byte.
     *
     * @param segment the bytes
     * @return the index of the first {@code 0} byte, or -1 if the segment has none
     */
    public static long indexOfNul(MemorySegment segment) {
        long to = segment.byteSize();
        long i = 0;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long found = zeroBytes(segment.get(WORD, i));
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@return a word with the high bit set in each byte of {@code v} that is zero, and maybe in higher ones} */
    private static long zeroBytes(long v) {
        return (v - ONES) & ~v & HIGHS;
    }

    /**
     * Encodes {@code text} as UTF-8 into {@code dst}, as {@link String#getBytes} with UTF-8
     * would (an unpaired surrogate becomes {@code '?'}), optionally followed by a newline.
     *
     * @param text the characters
     * @param newline whether to append {@code '\n'}
     * @param dst the native buffer
     * @return the number of bytes written, or -1 if {@code dst} is too small (nothing useful
     *         was written then)
     */
    public static long encodeUtf8(CharSequence text, boolean newline, MemorySegment dst) {
        long room = dst.byteSize() - (newline ? 1 : 0);
        int length = text.length();
        long at = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (at + 1 > room) {
                    return -1;
                }
                dst.set(ValueLayout.JAVA_BYTE, at++, (byte) c);
            } else if (c < 0x800) {
                if (at + 2 > room) {
                    return -1;
                }
                dst.set(ValueLayout.JAVA_BYTE, at++, (byte) (0xC0 | c >> 6));
                dst.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low = i + 1 < length ? text.charAt(i + 1) : 0;
                if (Character.isHighSurrogate(c) && Character.isLowSurrogate(low)) {
                    if (at + 4 > room) {
                        return -1;
                    }
                    int cp = Character.toCodePoint(c, low);
                    i++;
                    dst.set(ValueLayout.JAVA_BYTE, at++, (byte) (0xF0 | cp >> 18));
                    dst.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | cp >> 12 & 0x3F));
                    dst.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | cp >> 6 & 0x3F));
                    dst.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | cp & 0x3F));
                } else {
                    if (at + 1 > room) {
                        return -1;
                    }
                    dst.set(ValueLayout.JAVA_BYTE, at++, (byte) '?');
                }
            } else {
                if (at + 3 > room) {
                    return -1;
                }
                dst.set(ValueLayout.JAVA_BYTE, at++, (byte) (0xE0 | c >> 12));
                dst.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | c >> 6 & 0x3F));
                dst.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | c & 0x3F));
            }
        }
        if (newline) {
            dst.set(ValueLayout.JAVA_BYTE, at++, (byte) '\n');
        }
        return at;
    }

    /**
     * Counts the bytes {@link #encodeUtf8} writes for {@code text}.
     *
     * @param text the characters
     * @param newline whether a newline is appended
     * @return the UTF-8 length
     */
    public static long utf8Length(CharSequence text, boolean newline) {
        int length = text.length();
        long bytes = newline ? 1 : 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
