package org.cypclass.tests.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.cypclass.kdtree.KdPoints;
import org.cypclass.kdtree.Npy;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A mutation fuzzer of {@link Npy#readPoints}, through the file path, as users call it.
 *
 * <p>The corpus starts with valid files the reader accepts (versions 1, 2 and 3; shapes from
 * (0, 1) to (40, 7); NumPy's padding and none; keys in another order) and near misses it
 * refuses (other dtypes, Fortran order, one or three dimensions). Each input is a corpus entry
 * mutated one to four times: bytes flipped or set to boundary values, the header length or
 * version rewritten, a number of the dict text replaced by a boundary value (0, -1, 2^31,
 * 2^63 - 1, 20 digits, ...), keys and values swapped, the text cut or grown, the file truncated
 * or extended, two entries spliced. Feedback, a cheap stand-in for coverage: each outcome is
 * reduced to a key (the exception's class and its message with numbers and the path taken out,
 * or "read rows x dims"), and a mutant with a new key joins the corpus, so later inputs start
 * from the branches reached so far.
 *
 * <p>Every input must end in one of two ways: an {@link IOException} whose message starts with
 * the file's path, or points whose shape and coordinates are exactly what the file holds (read
 * from its bytes here, independently). Anything else (another exception, an
 * {@link OutOfMemoryError}) fails with the seed and the input as hex; the live off-heap blocks
 * are checked every 1,000 inputs and at the end (the leak check extension checks the whole test).
 *
 * <p>Size and seed: {@code -Dcypclass.fuzz.inputs=N} (10^4 by default, as in CI;
 * {@code ./cypclass test --long} sets 10^6) and {@code -Dcypclass.fuzz.seed=N} (by default a new
 * one per run, printed with the outcome counts and in every failure).
 */
class NpyFuzzTest {

    /** The system property giving the number of inputs. */
    static final String INPUTS_PROPERTY = "cypclass.fuzz.inputs";
    private static final int CORPUS_LIMIT = 512;
    private static final Pattern NUMBERS = Pattern.compile("-?\\d+");
    private static final String[] BOUNDARY_NUMBERS = {"0", "1", "-1", "-0", "+3", "2147483647", "2147483648",
        "4294967296", "9223372036854775807", "9223372036854775808", "1152921504606846975", "99999999999999999999",
        "1e3", "3.0", "0x10", "", " ", "00000000000000000000007"};
    private static final String[] TOKENS = {"'descr'", "'<f8'", "'<f4'", "'>f8'", "'|u1'", "'fortran_order'", "True",
        "False", "'shape'", "(", ")", ",", ":", "{", "}", "'", "\n", "\0", "\u00ff", " "};

    @TempDir
    Path dir;

    @Test
    void npyFilesFromAMutationFuzzerAreReadOrRefusedWithAnIOException() throws IOException {
        int inputs = Integer.getInteger(INPUTS_PROPERTY, 10_000);
        long seed = Long.getLong("cypclass.fuzz.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> corpus = new ArrayList<>(seeds());
        Map<String, Integer> outcomes = new TreeMap<>();
        Path file = dir.resolve("fuzzed.npy");
        long liveBefore = MemoryStats.snapshot().liveBlocks();
        long start = System.nanoTime();
        int read = 0;
        for (int i = 0; i < inputs; i++) {
            byte[] input = corpus.get(random.nextInt(corpus.size()));
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                input = mutate(input, random, corpus);
            }
            Files.write(file, input);
            String outcome = outcome(file, input, seed, i);
            if (outcome.startsWith("read")) {
                read++;
            }
            Integer seen = outcomes.merge(outcome, 1, Integer::sum);
            if (seen == 1 && corpus.size() < CORPUS_LIMIT) {
                corpus.add(input);
            }
            if (i % 1000 == 999) {
                assertEquals(liveBefore, MemoryStats.snapshot().liveBlocks(), "live blocks after input " + i + " (seed " + seed + ")");
            }
        }
        assertEquals(liveBefore, MemoryStats.snapshot().liveBlocks(), "live blocks at the end (seed " + seed + ")");
        System.out.printf(Locale.ROOT, "npy fuzzing: %,d inputs in %.1f s (seed %d): %,d read, %d distinct outcomes,"
            + " corpus %d%n", inputs, (System.nanoTime() - start) / 1e9, seed, read, outcomes.size(), corpus.size());
        outcomes.forEach((key, count) -> System.out.printf(Locale.ROOT, "  %,8d  %s%n", count, key));
        // The feedback must have found more than the seeds' own outcomes, and some inputs must
        // still be read: a fuzzer that only ever hits one error tests nothing.
        assertTrue(outcomes.size() >= Math.min(12, inputs / 100), "distinct outcomes: " + outcomes.keySet());
        assertTrue(read > 0 || inputs < 100, "no fuzzed input was read whole");
    }

    /** Reads one input; returns its outcome's key, or fails the test. */
    private static String outcome(Path file, byte[] input, long seed, int index) {
        try (KdPoints points = Npy.readPoints(file)) {
            String inconsistent = check(points, input);
            if (inconsistent != null) {
                fail(failure(seed, index, input, "read, but " + inconsistent), null);
            }
            return "read rows x dims";
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.startsWith(file.toString())) {
                fail(failure(seed, index, input, "an IOException that does not name the file: " + e), e);
            }
            return e.getClass().getSimpleName() + ":" + key(message.substring(file.toString().length()));
        } catch (Throwable t) {
            fail(failure(seed, index, input, "neither read nor refused with an IOException: " + t), t);
            return null;
        }
    }

    /** A message without what it quotes of the fuzzed text, and without numbers: the branch that refused it. */
    private static String key(String message) {
        int quoted = message.indexOf("malformed .npy header:");
        String key = quoted >= 0 ? message.substring(0, quoted + "malformed .npy header:".length()) : message;
        key = key.replaceAll(" holds .*, not little-endian", " holds X, not little-endian").replaceAll("\\([^)]*\\)", "(...)");
        return NUMBERS.matcher(key).replaceAll("N");
    }

    private static String failure(long seed, int index, byte[] input, String what) {
        return String.format(Locale.ROOT, "fuzzed input %d (replay with -Dcypclass.fuzz.seed=%d), %d bytes, %s%n%s", index,
            seed, input.length, what, hex(input));
    }

    /**
     * Checks points read from {@code input} against the file's bytes, parsed here on their own:
     * the header's shape, and each coordinate's bits at the data offset.
     */
    private static String check(KdPoints points, byte[] input) {
        int version = input[6];
        int headerLength = version == 1 ? (input[8] & 0xFF) | (input[9] & 0xFF) << 8
            : ByteBuffer.wrap(input, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int dataStart = (version == 1 ? 10 : 12) + headerLength;
        String header = new String(input, version == 1 ? 10 : 12, headerLength, StandardCharsets.ISO_8859_1);
        var shape = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)").matcher(header);
        if (!shape.find()) {
            return "the header has no shape: " + header;
        }
        String[] sizes = shape.group(1).split(",");
        if (sizes.length < 2 || points.rows() != Long.parseLong(sizes[0].strip())
                || points.dims() != Long.parseLong(sizes[1].strip())) {
            return "shape " + points.rows() + " x " + points.dims() + " from a header saying " + shape.group();
        }
        long values = points.rows() * points.dims();
        if (dataStart + values * 8 > input.length) {
            return values + " values from a file with " + (input.length - dataStart) + " bytes of data";
        }
        ByteBuffer data = ByteBuffer.wrap(input, dataStart, (int) values * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v = 0; v < values; v++) {
            long expected = data.getLong();
            long actual = Double.doubleToRawLongBits(points.coords(v));
            if (expected != actual) {
                return "coordinate " + v + " is " + Long.toHexString(actual) + ", the file holds " + Long.toHexString(expected);
            }
        }
        return null;
    }

    /** Valid files the reader accepts, and near misses it refuses. */
    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        SplittableRandom data = new SplittableRandom(7);
        int[][] shapes = {{0, 1}, {1, 1}, {3, 2}, {5, 3}, {40, 7}, {2, 16}};
        for (int[] shape : shapes) {
            for (int version = 1; version <= 3; version++) {
                seeds.add(npy(version, "{'descr': '<f8', 'fortran_order': False, 'shape': (" + shape[0] + ", " + shape[1]
                    + "), }", true, shape[0] * shape[1], data));
            }
        }
        seeds.add(npy(1, "{'shape': (4, 2), 'fortran_order': False, 'descr': '<f8'}", false, 8, data));
        seeds.add(npy(1, "{'descr':'<f8','fortran_order':False,'shape':(3,3)}", false, 9, data));
        seeds.add(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }", true, 4, data));
        seeds.add(npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 2), }", true, 4, data));
        seeds.add(npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", true, 4, data));
        seeds.add(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }", true, 6, data));
        seeds.add(npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3, 1), }", true, 6, data));
        return seeds;
    }

    /** A file of {@code values} random doubles under {@code dict}, padded as NumPy pads if asked. */
    private static byte[] npy(int version, String dict, boolean pad, int values, SplittableRandom data) {
        int prefix = version == 1 ? 10 : 12;
        String header = dict;
        if (pad) {
            int unpadded = prefix + dict.length() + 1;
            header = dict + " ".repeat((unpadded + 63) / 64 * 64 - unpadded);
        }
        header += "\n";
        byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer file = ByteBuffer.allocate(prefix + text.length + values * 8).order(ByteOrder.LITTLE_ENDIAN);
        file.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) version).put((byte) 0);
        if (version == 1) {
            file.putShort((short) text.length);
        } else {
            file.putInt(text.length);
        }
        file.put(text);
        for (int i = 0; i < values; i++) {
            file.putDouble(data.nextDouble(-1e6, 1e6));
        }
        return file.array();
    }

    /** One mutation of {@code input}, a new array. */
    private static byte[] mutate(byte[] input, SplittableRandom random, List<byte[]> corpus) {
        byte[] out = input.clone();
        int kind = random.nextInt(12);
        switch (kind) {
            case 0 -> {     // flip a bit
                if (out.length > 0) {
                    int at = random.nextInt(out.length);
                    out[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {     // a boundary byte, mostly in the prefix and header
                if (out.length > 0) {
                    int at = random.nextInt(Math.min(out.length, random.nextBoolean() ? 12 : 200));
                    out[at] = (byte) new int[] {0, 1, 2, 3, 0x7F, 0x80, 0xFF, '\n', ' ', '\''}[random.nextInt(10)];
                }
            }
            case 2 -> {     // the header length, as a boundary value or off by a little
                if (out.length >= 12) {
                    int value = switch (random.nextInt(5)) {
                        case 0 -> 0;
                        case 1 -> 0xFFFF;
                        case 2 -> Integer.MAX_VALUE;
                        case 3 -> -1;
                        default -> headerLength(out) + random.nextInt(-70, 70);
                    };
                    ByteBuffer buffer = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
                    if (out[6] == 1) {
                        buffer.putShort(8, (short) value);
                    } else {
                        buffer.putInt(8, value);
                    }
                }
            }
            case 3 -> {     // the version
                if (out.length > 7) {
                    out[6] = (byte) random.nextInt(5);
                    out[7] = (byte) random.nextInt(3);
                }
            }
            case 4, 5 -> out = replaceNumber(out, random);
            case 6 -> out = editText(out, random, TOKENS[random.nextInt(TOKENS.length)]);
            case 7 -> {     // truncate
                out = Arrays.copyOf(out, out.length == 0 ? 0 : random.nextInt(out.length));
            }
            case 8 -> {     // extend with zeros or noise
                int more = random.nextInt(1, 200);
                out = Arrays.copyOf(out, out.length + more);
                if (random.nextBoolean()) {
                    for (int i = out.length - more; i < out.length; i++) {
                        out[i] = (byte) random.nextInt(256);
                    }
                }
            }
            case 9 -> {     // splice: this file's head, another's tail
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                int cut = out.length == 0 ? 0 : random.nextInt(out.length);
                int from = other.length == 0 ? 0 : random.nextInt(other.length);
                byte[] spliced = Arrays.copyOf(out, cut + other.length - from);
                System.arraycopy(other, from, spliced, cut, other.length - from);
                out = spliced;
            }
            case 10 -> {    // delete a span of the header
                int end = Math.min(out.length, 12 + Math.max(0, headerLength(out)));
                if (end > 10) {
                    int at = random.nextInt(10, end);
                    int length = Math.min(end - at, 1 + random.nextInt(8));
                    byte[] shorter = new byte[out.length - length];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + length, shorter, at, out.length - at - length);
                    out = shorter;
                }
            }
            default -> {    // a random short text where a token was
                out = editText(out, random, Integer.toString(random.nextInt(-100, 100000)));
            }
        }
        return out;
    }

    private static int headerLength(byte[] file) {
        if (file.length < 12) {
            return 0;
        }
        return file[6] == 1 ? (file[8] & 0xFF) | (file[9] & 0xFF) << 8
            : ByteBuffer.wrap(file, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** Replaces one number of the header text by a boundary value, keeping the header length right or not. */
    private static byte[] replaceNumber(byte[] file, SplittableRandom random) {
        String text = new String(file, StandardCharsets.ISO_8859_1);
        int headerEnd = Math.min(text.length(), 12 + Math.max(0, Math.min(headerLength(file), 1 << 16)));
        var numbers = NUMBERS.matcher(text).region(Math.min(10, text.length()), headerEnd);
        List<int[]> spans = new ArrayList<>();
        while (numbers.find()) {
            spans.add(new int[] {numbers.start(), numbers.end()});
        }
        if (spans.isEmpty()) {
            return file;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        String replacement = BOUNDARY_NUMBERS[random.nextInt(BOUNDARY_NUMBERS.length)];
        return fixLength(file, text.substring(0, span[0]) + replacement + text.substring(span[1]),
            replacement.length() - (span[1] - span[0]), random);
    }

    /** Inserts or swaps in {@code token} at a random place of the header text. */
    private static byte[] editText(byte[] file, SplittableRandom random, String token) {
        String text = new String(file, StandardCharsets.ISO_8859_1);
        int headerEnd = Math.min(text.length(), 12 + Math.max(0, Math.min(headerLength(file), 1 << 16)));
        if (headerEnd <= 12) {
            return file;
        }
        int at = random.nextInt(10, headerEnd);
        int removed = random.nextBoolean() ? 0 : Math.min(headerEnd - at, random.nextInt(1, 6));
        return fixLength(file, text.substring(0, at) + token + text.substring(at + removed), token.length() - removed, random);
    }

    /** The edited file, its header length moved by {@code delta} most of the time (so the edit stays in the header). */
    private static byte[] fixLength(byte[] original, String edited, int delta, SplittableRandom random) {
        byte[] out = edited.getBytes(StandardCharsets.ISO_8859_1);
        if (out.length >= 12 && random.nextInt(4) != 0) {
            ByteBuffer buffer = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            if (original[6] == 1) {
                buffer.putShort(8, (short) (headerLength(original) + delta));
            } else {
                buffer.putInt(8, headerLength(original) + delta);
            }
        }
        return out;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.length && i < 512; i++) {
            text.append(String.format(Locale.ROOT, "%02x", bytes[i])).append(i % 32 == 31 ? "\n" : " ");
        }
        return bytes.length > 512 ? text + "..." : text.toString();
    }
}
