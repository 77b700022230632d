package org.cypclass.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.CreatesMustCallFor;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.libc.CFile;
import org.cypclass.libc.LineBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reading a page-cached text file line by line (16 MiB of ASCII lines of 0 to 120
 * characters, 61 on average), one line per operation, starting again at the end: so
 * {@code gc.alloc.rate.norm} is the Java heap allocation per line.
 *
 * <ul>
 *   <li>{@code bufferedReaderReadLine} (the baseline): {@link BufferedReader#readLine()} over a
 *       UTF-8 {@link java.io.FileReader}, one {@code String} per line;</li>
 *   <li>{@code cfileReadLineString}: {@link CFile#readLine()}, the same contract
 *       ({@code getline}, then one {@code String} per line);</li>
 *   <li>{@code cfileReadLineSegment}: {@link CFile#readLine(MemorySegment)} ({@code fgets})
 *       into a 256-byte native segment, the bytes left as they are;</li>
 *   <li>{@code cfileReadLineBuffer}: {@link CFile#readLine(LineBuffer)} ({@code getline})
 *       into a {@link LineBuffer}.</li>
 * </ul>
 *
 * <p>The rewind at the end of the file comes once every 275,000 lines or so: what it allocates
 * before the JIT compiles it (see {@link LibcBench}) is below 0.01 byte per line here.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Baseline("bufferedReaderReadLine")
public class LineBench {

    /** The file size: 16 MiB. */
    static final long FILE_SIZE = 16L << 20;

    /** The file, written once per trial and deleted after it. */
    @State(Scope.Benchmark)
    public static class TextFile {
        Path path;

        @Setup(Level.Trial)
        public void create() throws IOException {
            path = Files.createTempFile("cypclass-linebench-", ".txt");
            Random random = new Random(42);
            char[] letters = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789,.;:-".toCharArray();
            StringBuilder line = new StringBuilder();
            try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
                for (long written = 0; written < FILE_SIZE; ) {
                    line.setLength(0);
                    int length = random.nextInt(121);
                    for (int i = 0; i < length; i++) {
                        line.append(letters[random.nextInt(letters.length)]);
                    }
                    out.append(line).append('\n');
                    written += length + 1;
                }
            }
            Files.readAllBytes(path); // into the page cache
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            Files.deleteIfExists(path);
        }
    }

    /** One thread's open files and buffers. */
    @State(Scope.Thread)
    @InheritableMustCall("close")
    public static class Reader {
        Path path;
        @Owning BufferedReader reader;
        CFile stream;
        LineBuffer line;
        Arena arena;
        MemorySegment room;

        @Setup(Level.Trial)
        @CreatesMustCallFor("this")
        public void open(TextFile file) throws IOException {
            path = file.path;
            if (reader != null) { // // null on JMH's fresh state; the checker asks that an owning field be closed before it is set
                reader.close();
            }
            reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
            stream = CFile.open(path, "r");
            line = new LineBuffer();
            arena = Arena.ofConfined();
            room = arena.allocate(256);
        }

        /** Starts the {@link BufferedReader} again at the start of the file. */
        @CreatesMustCallFor("this")
        void reopen() throws IOException {
            reader.close();
            reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
        }

        @TearDown(Level.Trial)
        @EnsuresCalledMethods(value = "this.reader", methods = "close")
        public void close() throws IOException {
            try {
                stream.close();
                line.close();
                arena.close();
            } finally {
                reader.close(); // last: a later call would make the checker forget it
            }
        }
    }

    /** The next line with {@link BufferedReader#readLine()}: a new {@code String}. */
    @Benchmark
    @CreatesMustCallFor("#1") // reopen() may give r a new reader
    public int bufferedReaderReadLine(Reader r) throws IOException {
        String s = r.reader.readLine();
        if (s == null) {
            r.reopen();
            s = r.reader.readLine();
        }
        return s.length();
    }

    /** The next line with {@link CFile#readLine()}: {@code getline}, then a new {@code String}. */
    @Benchmark
    public int cfileReadLineString(Reader r) throws IOException {
        String s = r.stream.readLine();
        if (s == null) {
            r.stream.seek(0);
            s = r.stream.readLine();
        }
        return s.length();
    }

    /** The next line with {@link CFile#readLine(MemorySegment)}: {@code fgets} into a segment. */
    @Benchmark
    @NoHeapAllocation
    public long cfileReadLineSegment(Reader r) throws IOException {
        long n = r.stream.readLine(r.room);
        if (n < 0) {
            r.stream.seek(0);
            n = r.stream.readLine(r.room);
        }
        return n;
    }

    /** The next line with {@link CFile#readLine(LineBuffer)}: {@code getline} into a {@link LineBuffer}. */
    @Benchmark
    @NoHeapAllocation
    public long cfileReadLineBuffer(Reader r) throws IOException {
        long n = r.stream.readLine(r.line);
        if (n < 0) {
            r.stream.seek(0);
            n = r.stream.readLine(r.line);
        }
        return n;
    }
}
