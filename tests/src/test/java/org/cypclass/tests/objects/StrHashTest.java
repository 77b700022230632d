package org.cypclass.tests.objects;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.cypclass.objects.CyStr;
import org.cypclass.objects.internal.StrLayout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The string hash ({@link StrLayout#hash}) is fit for the dicts, which take their home slot and
 * tag from its top bits: sequential keys spread evenly over the top bits, every input bit of
 * every length up to 40 bytes flips about half the output bits, lengths and offsets are part
 * of it, and the UTF-8 check accepts and refuses what RFC 3629 says.
 */
class StrHashTest {

    private static long hash(byte[] bytes) {
        return StrLayout.hash(MemorySegment.ofArray(bytes), 0, bytes.length);
    }

    @Test
    void sequentialKeysSpreadEvenlyOverTheTopBits() {
        int keys = 1 << 18;
        int buckets = 1 << 12;
        int[] counts = new int[buckets];
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < keys; i++) {
            long h = hash(("key" + i).getBytes(StandardCharsets.UTF_8));
            assertTrue(seen.add(h), "a 64-bit collision at key" + i);
            counts[(int) (h >>> 52)]++;
        }
        // Chi-square over 4095 degrees of freedom: mean 4095, standard deviation about 90.
        double expected = (double) keys / buckets;
        double chi = 0;
        for (int count : counts) {
            chi += (count - expected) * (count - expected) / expected;
        }
        assertTrue(chi < 4095 + 6 * 90, "chi-square " + chi);
    }

    @Test
    void everyInputBitFlipsAboutHalfTheOutputBits() {
        SplittableRandom random = new SplittableRandom(5);
        for (int length = 1; length <= 40; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            long base = hash(bytes);
            long flipped = 0;
            int flips = 0;
            for (int bit = 0; bit < length * 8; bit++) {
                bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                long h = hash(bytes);
                bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                assertNotEquals(base, h, "length " + length + ", bit " + bit);
                flipped += Long.bitCount(base ^ h);
                flips++;
            }
            double mean = (double) flipped / flips;
            assertTrue(mean > 26 && mean < 38, "length " + length + ": " + mean + " bits flipped on average");
        }
    }

    @Test
    void lengthAndOffsetArePartOfTheHash() {
        byte[] zeros = new byte[64];
        Set<Long> hashes = new HashSet<>();
        for (int length = 0; length <= 64; length++) {
            assertTrue(hashes.add(StrLayout.hash(MemorySegment.ofArray(zeros), 0, length)), "zeros of length " + length);
        }
        byte[] text = "xxabcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8);
        assertEquals(hash("abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8)),
            StrLayout.hash(MemorySegment.ofArray(text), 2, text.length - 2));
    }

    @Test
    void theUtf8CheckFollowsRfc3629() {
        assertEquals(-1, StrLayout.firstInvalid(MemorySegment.ofArray("plain ascii text, long enough".getBytes()), 0, 29));
        assertEquals(-1, StrLayout.firstInvalid(MemorySegment.ofArray("ß€😀".getBytes(StandardCharsets.UTF_8)), 0, 9));
        byte[][] bad = {{(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF},
            {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
            {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xC2, (byte) 0xC2}};
        for (byte[] bytes : bad) {
            assertEquals(0, StrLayout.firstInvalid(MemorySegment.ofArray(bytes), 0, bytes.length));
        }
        byte[] late = "0123456789\u00e9\u00e9".getBytes(StandardCharsets.UTF_8);
        late[late.length - 1] = 'x';
        assertEquals(12, StrLayout.firstInvalid(MemorySegment.ofArray(late), 0, late.length));
    }

    /**
     * The comparison a lookup by bytes uses ({@link StrLayout#sameData(long, MemorySegment, long,
     * long)}): at every length from 0 to 40 (its overlapping loads up to 16, the general path
     * above), equal bytes at an odd offset inside a larger array compare equal, and a change at any
     * single position compares different.
     */
    @Test
    void aComparisonByBytesSeesEveryPosition() {
        SplittableRandom random = new SplittableRandom(9);
        for (int length = 0; length <= 40; length++) {
            byte[] text = new byte[length];
            for (int i = 0; i < length; i++) {
                text[i] = (byte) ('a' + random.nextInt(26));
            }
            byte[] around = new byte[length + 7];
            random.nextBytes(around);
            System.arraycopy(text, 0, around, 3, length);
            MemorySegment bytes = MemorySegment.ofArray(around);
            try (CyStr str = CyStr.of(new String(text, StandardCharsets.UTF_8))) {
                long instance = str.pointer().address();
                assertTrue(StrLayout.sameData(instance, bytes, 3, length), "equal bytes of length " + length);
                for (int at = 0; at < length; at++) {
                    around[3 + at] ^= 0x20;
                    assertFalse(StrLayout.sameData(instance, bytes, 3, length), "a change at " + at + " of " + length);
                    around[3 + at] ^= 0x20;
                }
            }
        }
    }

    /**
     * The hash equals a plain rendering of its definition (16-byte blocks, then the last 1 to 16
     * bytes read with two overlapping loads, then the length folded in) at every length to 100,
     * so that a change to its code that changes a value is caught (the C view and every stored
     * string carry these values).
     */
    @Test
    void theHashFollowsItsDefinitionAtEveryLength() {
        SplittableRandom random = new SplittableRandom(13);
        for (int length = 0; length <= 100; length++) {
            byte[] bytes = new byte[length + 5];
            random.nextBytes(bytes);
            assertEquals(reference(bytes, 5, length), StrLayout.hash(MemorySegment.ofArray(bytes), 5, length),
                "length " + length);
        }
    }

    private static long reference(byte[] bytes, int offset, int length) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long k0 = 0x9E37_79B9_7F4A_7C15L;
        long k1 = 0xBF58_476D_1CE4_E5B9L;
        long k2 = 0x94D0_49BB_1331_11EBL;
        long k3 = 0xD6E8_FEB8_6659_FD93L;
        long h = k0 ^ mix(length ^ k1, k2);
        int i = 0;
        while (length - i > 16) {
            h = mix(buffer.getLong(offset + i) ^ k1, buffer.getLong(offset + i + 8) ^ h);
            i += 16;
        }
        int rest = length - i;
        long a = 0;
        long b = 0;
        if (rest >= 8) {
            a = buffer.getLong(offset + i);
            b = buffer.getLong(offset + length - 8);
        } else if (rest >= 4) {
            a = buffer.getInt(offset + i) & 0xFFFF_FFFFL;
            b = buffer.getInt(offset + length - 4) & 0xFFFF_FFFFL;
        } else if (rest > 0) {
            a = (bytes[offset + i] & 0xFFL) << 16 | (bytes[offset + i + (rest >>> 1)] & 0xFFL) << 8
                | bytes[offset + length - 1] & 0xFFL;
        }
        h = mix(a ^ k2, b ^ h);
        return mix(h ^ k3, length ^ k1);
    }

    private static long mix(long a, long b) {
        return a * b ^ Math.unsignedMultiplyHigh(a, b);
    }
}
