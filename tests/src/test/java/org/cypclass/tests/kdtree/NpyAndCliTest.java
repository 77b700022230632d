package org.cypclass.tests.kdtree;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.cypclass.kdtree.KdPoints;
import org.cypclass.kdtree.Npy;
import org.cypclass.kdtree.app.KdTreeCli;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code .npy} files read and written through libc, malformed and truncated files refused with
 * a message naming the problem, and the {@code kdtree} command end to end.
 */
class NpyAndCliTest {

    @TempDir
    Path dir;

    private static double[] uniform(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble();
        }
        return values;
    }

    @Test
    void pointsRoundTripThroughNpy() throws IOException {
        double[] values = uniform(1, 300);
        Path file = dir.resolve("x.npy");
        Npy.writeDoubles(file, values, 3);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(0, (bytes.length - 300 * 8) % 64, "the data starts 64-byte aligned, as NumPy writes it");
        try (KdPoints points = Npy.readPoints(file)) {
            assertEquals(100, points.rows());
            assertEquals(3, points.dims());
            double[] back = new double[300];
            points.coordsCopyTo(0, back, 0, 300);
            assertArrayEquals(values, back);
        }
    }

    private Path npy(String name, int version, String header, int dataBytes) throws IOException {
        Path file = dir.resolve(name);
        byte[] head = header.getBytes(StandardCharsets.ISO_8859_1);
        int prefix = version == 1 ? 10 : 12;
        byte[] bytes = new byte[prefix + head.length + dataBytes];
        bytes[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, bytes, 1, 5);
        bytes[6] = (byte) version;
        bytes[8] = (byte) head.length;
        bytes[9] = (byte) (head.length >> 8);
        System.arraycopy(head, 0, bytes, prefix, head.length);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void versionTwoHeadersAreRead() throws IOException {
        Path file = npy("v2.npy", 2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }\n", 32);
        try (KdPoints points = Npy.readPoints(file)) {
            assertEquals(2, points.rows());
        }
    }

    /**
     * A short file whose header announces a huge array is refused before anything is allocated
     * (it took a 7.2 GiB peak for a 928-byte file, and an OutOfMemoryError for 9 x 10^12 rows).
     */
    @Test
    void aHeaderAnnouncingMoreDataThanTheFileHoldsIsRefusedBeforeAllocating() throws IOException {
        long before = MemoryStats.snapshot().liveBytes();
        for (String rows : new String[] {"30000000", "9000000000000", "36028797018963967"}) {
            Path file = npy("claims-" + rows + ".npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", 32), }\n",
                800);
            IOException e = assertThrows(IOException.class, () -> Npy.readPoints(file).close());
            assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(rows + " x 32")
                && e.getMessage().contains("only 800 bytes follow"), e.getMessage());
            assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
        }
        assertEquals(before, MemoryStats.snapshot().liveBytes(), "nothing allocated, nothing left");
    }

    @Test
    void malformedFilesGetAClearError() throws IOException {
        Files.write(dir.resolve("text.npy"), "hello, not numpy".getBytes(StandardCharsets.US_ASCII));
        IOException notNpy = assertThrows(IOException.class, () -> Npy.readPoints(dir.resolve("text.npy")).close());
        assertTrue(notNpy.getMessage().contains("not a NumPy .npy file"), notNpy.getMessage());
        IOException f4 = assertThrows(IOException.class, () -> Npy.readPoints(
            npy("f4.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n", 16)).close());
        assertTrue(f4.getMessage().contains("<f4"), f4.getMessage());
        IOException fortran = assertThrows(IOException.class, () -> Npy.readPoints(
            npy("fortran.npy", 1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }\n", 32)).close());
        assertTrue(fortran.getMessage().contains("Fortran"), fortran.getMessage());
        IOException oneDimension = assertThrows(IOException.class, () -> Npy.readPoints(
            npy("vector.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }\n", 32)).close());
        assertTrue(oneDimension.getMessage().contains("not (rows, dims)"), oneDimension.getMessage());
        IOException truncated = assertThrows(IOException.class, () -> Npy.readPoints(
            npy("short.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }\n", 40)).close());
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        IOException garbled = assertThrows(IOException.class, () -> Npy.readPoints(npy("garbled.npy", 1, "{oops}\n", 0)).close());
        assertTrue(garbled.getMessage().contains("malformed"), garbled.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Npy.readPoints(dir.resolve("missing.npy")).close());
    }

    /**
     * Sizes from the header that used to escape as something other than an IOException, or to
     * allocate first: a negative row count (Long.parseLong takes a sign; KdPoints refused it with
     * an IllegalArgumentException), a header longer than the file, and a header whose text would
     * go into the message whole, control characters and all.
     */
    @Test
    void hostileHeaderSizesAreIOExceptionsNamingTheFile() throws IOException {
        String[][] cases = {
            {"-2, 2", "malformed shape (-2, 2)"},
            {"+2, 2", "malformed shape (+2, 2)"},
            {"99999999999999999999, 2", "malformed shape"},
            {"2, 2, 2", "not (rows, dims)"},
            {"2, 0", "unusable shape (2, 0)"},
            {"2, 2147483648", "unusable shape"},
        };
        for (String[] c : cases) {
            Path file = npy("shape.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (" + c[0] + "), }\n", 32);
            IOException e = assertThrows(IOException.class, () -> Npy.readPoints(file).close(), c[0]);
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(c[1]), e.getMessage());
        }
        Path longHeader = npy("long-header.npy", 1, "{'descr': '<f8'" + " ".repeat(500) + "\n", 0);
        byte[] bytes = Files.readAllBytes(longHeader);
        bytes[8] = (byte) 0xFF;
        bytes[9] = (byte) 0xFF;         // announces 65,535 bytes of header; 516 follow
        Files.write(longHeader, bytes);
        IOException header = assertThrows(IOException.class, () -> Npy.readPoints(longHeader).close());
        assertTrue(header.getMessage().contains("truncated in its header: it announces 65535 bytes of header, but only 516"
            + " bytes follow"), header.getMessage());
        Path noisy = npy("noisy.npy", 1, "{\u001b[2J" + "x".repeat(1000) + "}\n", 0);
        IOException malformed = assertThrows(IOException.class, () -> Npy.readPoints(noisy).close());
        assertTrue(malformed.getMessage().contains("{\\x1b[2Jxxx") && malformed.getMessage().contains("(1006 characters)")
            && malformed.getMessage().length() < 400, malformed.getMessage());
        Path version = npy("version.npy", 1, "{}\n", 0);
        bytes = Files.readAllBytes(version);
        bytes[6] = (byte) 0xC8;
        Files.write(version, bytes);
        IOException v = assertThrows(IOException.class, () -> Npy.readPoints(version).close());
        assertTrue(v.getMessage().contains("format version 200"), v.getMessage());
    }

    /** The writers refuse values that are not whole rows instead of writing a shape the data does not fill. */
    @Test
    void writersRefuseValuesThatAreNotWholeRows() {
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
            () -> Npy.writeDoubles(dir.resolve("r.npy"), new double[7], 2));
        assertTrue(ragged.getMessage().contains("7 values do not make whole rows of 2 columns"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Npy.writeLongs(dir.resolve("r.npy"), new long[4], 0));
        assertTrue(!Files.exists(dir.resolve("r.npy")), "nothing written");
    }

    @Test
    void theCommandBuildsQueriesAndWritesNpy() throws IOException {
        int dims = 4;
        double[] data = uniform(2, 2000 * dims);
        double[] queries = uniform(3, 50 * dims);
        Npy.writeDoubles(dir.resolve("x.npy"), data, dims);
        Npy.writeDoubles(dir.resolve("q.npy"), queries, dims);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KdTreeCli.run(new String[] {"--data", dir.resolve("x.npy").toString(), "--queries",
            dir.resolve("q.npy").toString(), "--k", "3", "--leaf-size", "16", "--threads", "2", "--out-indices",
            dir.resolve("i.npy").toString(), "--out-distances", dir.resolve("d.npy").toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        assertTrue(printed.contains("built") && printed.contains("ms per point") && printed.contains("100%"), printed);
        assertTrue(!printed.contains("\r"), "no carriage return when not on a terminal: " + printed);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "progress and times go to standard error");
        try (KdPoints distances = Npy.readPoints(dir.resolve("d.npy"))) {
            assertEquals(50, distances.rows());
            assertEquals(3, distances.dims());
            for (int q = 0; q < 50; q++) {
                double best = Double.MAX_VALUE;
                for (int r = 0; r < 2000; r++) {
                    double sum = 0;
                    for (int j = 0; j < dims; j++) {
                        double delta = data[r * dims + j] - queries[q * dims + j];
                        sum += delta * delta;
                    }
                    best = Math.min(best, Math.sqrt(sum));
                }
                assertEquals(best, distances.coords(q * 3L), 1e-12, "nearest distance of query " + q);
            }
        }
        byte[] indices = Files.readAllBytes(dir.resolve("i.npy"));
        assertTrue(new String(indices, 0, 80, StandardCharsets.ISO_8859_1).contains("'<i8'"));
    }

    @Test
    void badArgumentsAndFilesGiveAStatusAndAMessage() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(64, KdTreeCli.run(new String[] {"--data", "x.npy"}, quiet, errors));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("kdtree: Missing required options: '--queries=Q.npy'"), err.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: kdtree"), "the usage follows the error");
        Npy.writeDoubles(dir.resolve("x.npy"), uniform(1, 20), 2);
        Npy.writeDoubles(dir.resolve("q3.npy"), uniform(1, 6), 3);
        String[] mismatch = {"--data", dir.resolve("x.npy").toString(), "--queries", dir.resolve("q3.npy").toString(),
            "--k", "1", "--out-indices", dir.resolve("i.npy").toString(), "--out-distances", dir.resolve("d.npy").toString()};
        assertEquals(64, KdTreeCli.run(mismatch, quiet, errors), "dimension mismatch");
        String[] missing = mismatch.clone();
        missing[1] = dir.resolve("absent.npy").toString();
        assertEquals(1, KdTreeCli.run(missing, quiet, errors), "a missing file");
        String[] tooMany = mismatch.clone();
        tooMany[3] = dir.resolve("x.npy").toString();
        tooMany[5] = "11";
        assertEquals(64, KdTreeCli.run(tooMany, quiet, errors), "k larger than n");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("k must be"), err.toString(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("folder-data.npy"));
        String[] folder = mismatch.clone();
        folder[1] = dir.resolve("folder-data.npy").toString();
        assertEquals(1, KdTreeCli.run(folder, quiet, errors), "a folder as the data");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(folder[1] + ": not a file"), err.toString(StandardCharsets.UTF_8));
        IOException read = assertThrows(IOException.class, () -> Npy.readPoints(dir.resolve("folder-data.npy")).close());
        assertTrue(read.getMessage().startsWith(folder[1]), "the reader names the folder too: " + read.getMessage());
    }

    /** Arguments that are wrong are refused before any point is read: the data here is not even a .npy file. */
    @Test
    void badArgumentsAreRefusedBeforeTheDataIsRead() throws IOException {
        Files.writeString(dir.resolve("x.npy"), "not a .npy file: read it and the error says so");
        Npy.writeDoubles(dir.resolve("q.npy"), uniform(1, 6), 2);
        double[] nan = uniform(1, 6);
        nan[3] = Double.NaN;
        Npy.writeDoubles(dir.resolve("nan.npy"), nan, 2);
        Files.createDirectories(dir.resolve("folder.npy"));

        assertRefused("--k must be 1 or more, not -3", "--k", "-3");
        assertRefused("--threads must be 1 or more, not 0", "--threads", "0");
        assertRefused("--threads must be at most 1024, not 1000000", "--threads", "1000000");
        assertRefused("Invalid value for option '--k'", "--k", "99999999999");
        assertRefused("is a folder, not a file to write", "--out-indices", dir.resolve("folder.npy").toString());
        assertRefused("does not exist", "--out-distances", dir.resolve("absent").resolve("d.npy").toString());
        assertRefused("query 1 has NaN at dimension 1", "--queries", dir.resolve("nan.npy").toString());
        assertRefused("Unknown options: '--bogus', '1'", "--bogus", "1");
    }

    /**
     * Queries x k results that no Java array holds (65,536 x 65,536 = 2^32, which wrapped to 0
     * in an int and reached the tree) are refused before the data is read.
     */
    @Test
    void moreResultsThanAnArrayHoldsAreRefusedBeforeTheDataIsRead() throws IOException {
        Files.writeString(dir.resolve("x.npy"), "not a .npy file: read it and the error says so");
        Npy.writeDoubles(dir.resolve("q.npy"), uniform(1, 65_536), 1);
        assertRefused("--k 65536 for the 65,536 queries of " + dir.resolve("q.npy") + " makes 4,294,967,296 results", "--k",
            "65536");
    }

    private void assertRefused(String message, String option, String value) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--data", dir.resolve("x.npy").toString(),
            "--queries", dir.resolve("q.npy").toString(), "--k", "1", "--out-indices", dir.resolve("i.npy").toString(),
            "--out-distances", dir.resolve("d.npy").toString()));
        int at = args.indexOf(option);
        if (at < 0) {
            args.addAll(java.util.List.of(option, value));
        } else {
            args.set(at + 1, value);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KdTreeCli.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = err.toString(StandardCharsets.UTF_8);
        assertEquals(64, status, printed);
        assertTrue(printed.contains(message), printed);
        assertTrue(!printed.contains("reading"), "refused before the data is read: " + printed);
    }
}
