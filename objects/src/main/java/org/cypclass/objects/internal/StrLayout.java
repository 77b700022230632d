package org.cypclass.objects.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The descriptor of a {@code CyStr} instance and the two computations over its bytes that the
 * string and the string-keyed containers share: the hash and the UTF-8 check. C struct
 * {@code org_cypclass_objects_CyStr} in {@code cypclass/str.h}.
 *
 * <pre>
 *   0                                 32                48
 *   +---------------------------------+--------+--------+---------------------------+
 *   |  CyObject ob_base (header)      | length | hash   | data[length] (UTF-8)      |
 *   +---------------------------------+--------+--------+---------------------------+
 *                                      int64    uint64   uint8[], no NUL, zero-padded to 8
 * </pre>
 *
 * <p>Both words are written once, by the factory, before the instance is frozen, and never
 * again: every reader may trust them without a lock.
 *
 * <p><b>The hash</b> ({@link #hash}) is this library's own, in the style of wyhash: the bytes are
 * read 16 at a time as two little-endian {@code long}s, each pair folded into the state with a
 * 64x64-to-128-bit multiplication whose halves are xored ({@link #mix}, one {@code mulx} on
 * x86-64 through {@link Math#unsignedMultiplyHigh}); the last 1 to 16 bytes are read with two
 * possibly overlapping loads (8, 4 or single bytes), so no load crosses the end and there is no
 * per-byte loop; a final fold with the length spreads every input bit over the high bits, which
 * the containers use for the home slot and the tag. It is not keyed: a dict of strings from an
 * adversary can be made to collide (as Java's {@code String.hashCode} can), which costs time,
 * never correctness. Fixed little-endian, so a hash is the same on every platform.
 */
public final class StrLayout {

    /** Offset of {@code int64 length}: the byte count of the string. */
    public static final long LENGTH = 32;
    /** Offset of {@code uint64 hash}: {@link #hash} of the bytes, computed once. */
    public static final long HASH = 40;
    /** Offset of {@code uint8 data[]}: the UTF-8 bytes. */
    public static final long DATA = 48;
    /**
     * The longest string, in bytes: what a Java {@code byte[]} (hence {@code toString()}) can
     * hold, {@code Integer.MAX_VALUE - 8} as the JDK's own arrays allow.
     */
    public static final long MAX_LENGTH = Integer.MAX_VALUE - 8;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt HALF = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long K0 = 0x9E37_79B9_7F4A_7C15L;
    private static final long K1 = 0xBF58_476D_1CE4_E5B9L;
    private static final long K2 = 0x94D0_49BB_1331_11EBL;
    private static final long K3 = 0xD6E8_FEB8_6659_FD93L;
    private static final long ASCII = 0x8080_8080_8080_8080L;

    private StrLayout() {
    }

    /** {@return the low and high halves of the 128-bit product of {@code a} and {@code b}, xored} */
    private static long mix(long a, long b) {
        return a * b ^ Math.unsignedMultiplyHigh(a, b);
    }

    /**
     * Hashes {@code length} bytes of {@code bytes} from {@code offset} (see the class
     * documentation); the range is the caller's to check.
     *
     * @param bytes the segment
     * @param offset where the bytes start
     * @param length how many bytes
     * @return the 64-bit hash
     */
    public static long hash(MemorySegment bytes, long offset, long length) {
        long h = K0 ^ mix(length ^ K1, K2);
        long i = 0;
        for (; length - i > 16; i += 16) {
            h = mix(bytes.get(WORD, offset + i) ^ K1, bytes.get(WORD, offset + i + 8) ^ h);
        }
        long rest = length - i;
        long a;
        long b;
        if (rest >= 8) {
            a = bytes.get(WORD, offset + i);
            b = bytes.get(WORD, offset + length - 8);
        } else if (rest >= 4) {
            a = bytes.get(HALF, offset + i) & 0xFFFF_FFFFL;
            b = bytes.get(HALF, offset + length - 4) & 0xFFFF_FFFFL;
        } else if (rest > 0) {
            a = (bytes.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFFL) << 16
                | (bytes.get(ValueLayout.JAVA_BYTE, offset + i + (rest >>> 1)) & 0xFFL) << 8
                | bytes.get(ValueLayout.JAVA_BYTE, offset + length - 1) & 0xFFL;
            b = 0;
        } else {
            a = 0;
            b = 0;
        }
        h = mix(a ^ K2, b ^ h);
        return mix(h ^ K3, length ^ K1);
    }

    /**
     * Compares the bytes of two strings of the same {@code length}, given their instance
     * addresses, a word at a time: an instance is allocated in whole 8-byte words, zeroed, and
     * only its {@code length} data bytes are written, so the padding after them is zero in both
     * and the last word compares whole.
     *
     * @param a a live {@code CyStr} instance
     * @param b another, of {@code length} bytes too
     * @param length their byte length
     * @return whether their bytes are equal
     */
    public static boolean sameData(long a, long b, long length) {
        for (long i = 0; i < length; i += 8) {
            if (ALL.get(WORD, a + DATA + i) != ALL.get(WORD, b + DATA + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares the bytes of a string with {@code length} bytes of {@code bytes} from
     * {@code offset}, for a lookup by bytes: up to 16 bytes with two possibly overlapping loads
     * on each side (as {@link #hash} reads them), so a short word costs no loop and no call;
     * longer ones with {@link MemorySegment#mismatch}. The range is the caller's to check.
     *
     * @param str a live {@code CyStr} instance of {@code length} bytes
     * @param bytes the segment
     * @param offset where the bytes start
     * @param length how many bytes
     * @return whether the bytes are equal
     */
    public static boolean sameData(long str, MemorySegment bytes, long offset, long length) {
        long data = str + DATA;
        if (length > 16) {
            return MemorySegment.mismatch(ALL, data, data + length, bytes, offset, offset + length) < 0;
        }
        if (length >= 8) {
            return ALL.get(WORD, data) == bytes.get(WORD, offset)
                && ALL.get(WORD, data + length - 8) == bytes.get(WORD, offset + length - 8);
        }
        if (length >= 4) {
            return ALL.get(HALF, data) == bytes.get(HALF, offset)
                && ALL.get(HALF, data + length - 4) == bytes.get(HALF, offset + length - 4);
        }
        for (long i = 0; i < length; i++) {
            if (ALL.get(ValueLayout.JAVA_BYTE, data + i) != bytes.get(ValueLayout.JAVA_BYTE, offset + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that {@code length} bytes of {@code bytes} from {@code offset} are well-formed
     * UTF-8 (RFC 3629: shortest forms only, no surrogates, nothing above U+10FFFF); ASCII runs
     * are passed 8 bytes at a time. The range is the caller's to check.
     *
     * @param bytes the segment
     * @param offset where the bytes start
     * @param length how many bytes
     * @return -1 if they are, else the offset (from {@code offset}) of the first bad sequence
     */
    public static long firstInvalid(MemorySegment bytes, long offset, long length) {
        long i = 0;
        while (i < length) {
            if (length - i >= 8 && (bytes.get(WORD, offset + i) & ASCII) == 0) {
                i += 8;
                continue;
            }
            int lead = bytes.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int more;
            int low = 0x80;
            int high = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                more = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                more = 2;
                low = lead == 0xE0 ? 0xA0 : 0x80;      // no overlong form
                high = lead == 0xED ? 0x9F : 0xBF;     // no surrogate
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                more = 3;
                low = lead == 0xF0 ? 0x90 : 0x80;      // no overlong form
                high = lead == 0xF4 ? 0x8F : 0xBF;     // nothing above U+10FFFF
            } else {
                return i;
            }
            if (length - i <= more) {
                return i;
            }
            int second = bytes.get(ValueLayout.JAVA_BYTE, offset + i + 1) & 0xFF;
            if (second < low || second > high) {
                return i;
            }
            for (int k = 2; k <= more; k++) {
                if ((bytes.get(ValueLayout.JAVA_BYTE, offset + i + k) & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += more + 1;
        }
        return -1;
    }
}
