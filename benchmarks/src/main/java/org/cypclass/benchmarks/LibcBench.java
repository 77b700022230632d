package org.cypclass.benchmarks;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.CreatesMustCallFor;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.libc.CFile;
import org.cypclass.libc.Format;
import org.cypclass.libc.NativeFile;
import org.cypclass.libc.PreparedFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Reading a page-cached 256 MiB file from start to end (and again), five ways, with 64 KiB
 * and 1 MiB buffers. One operation is one read of one buffer ({@code bufferSize} bytes): so
 * bytes per second = score x bufferSize, ratios to the baseline compare throughputs directly,
 * and {@code gc.alloc.rate.norm} is the allocation per read call (with an operation of a whole
 * 256 MiB pass, JMH's own allocation per iteration would swamp it).
 *
 * <ul>
 *   <li>{@code freadSequential}: {@link CFile#read} ({@code fread}) into a native segment;</li>
 *   <li>{@code preadSequential}: {@link NativeFile#read} ({@code pread}) into a native segment;</li>
 *   <li>{@code preadTwoThreads}: the same on two threads sharing one {@link NativeFile}, the
 *       second starting half a file further, so that they read disjoint parts at any moment;
 *       JMH sums the two threads' reads per second;</li>
 *   <li>{@code fileChannelDirect} (the baseline): {@link FileChannel#read(ByteBuffer)} into a
 *       direct buffer;</li>
 *   <li>{@code fileChannelTwoThreads}: positional {@link FileChannel} reads on two threads, to
 *       show how far two threads scale on the machine at all;</li>
 *   <li>{@code fileChannelSegment}: {@link FileChannel#read(ByteBuffer)} into
 *       {@link MemorySegment#asByteBuffer()} of a native segment;</li>
 *   <li>{@code fileInputStream}: {@link FileInputStream#read(byte[])} into a heap array.</li>
 * </ul>
 *
 * <p>Apart from the reads, one line printed to {@code /dev/null} per operation, no parameter:
 * {@code printfPrepared} with a {@link PreparedFormat} (no boxing, no arena: goal 0 B/op), and
 * its baseline {@code fprintfBoxed} with {@link Format#fprintf} (boxed arguments, an arena and a
 * list per call).
 *
 * <p>At the end of the file the sequential benchmarks rewind: once every 256 operations at
 * 1 MiB. So rare a path is still interpreted or C1-compiled at the end of JMH's warm-up, and
 * there it allocates: {@code CFile.seek}'s {@code fseek} downcall, like every downcall that
 * captures {@code errno}, makes a 40-byte segment per call ({@code SharedUtils.checkCaptureSegment}
 * slices the capture segment) until C2 compiles the call and removes it, and the 128th call
 * from non-C2 code customizes the downcall's method handle (about 130 kB allocated, once).
 * That showed as several bytes per operation at 1 MiB. {@link Reader#open} therefore runs each
 * benchmark's end-of-file path {@value #PRIMING_REWINDS} times before measuring, the
 * FileChannel and FileInputStream baselines' too. Likewise the trial's tear-down, which JMH
 * runs inside the last measured iteration: its first {@code fclose}, {@code close} and file
 * deletion of the JVM linked method handles and loaded classes (about 200 kB, on every row),
 * so {@link SharedFile#create} makes those calls once before. What remains is JMH's own
 * allocation, about 7 kB/s whatever the benchmark does (a benchmark that only parks for the
 * same time per operation shows the same), so a few tenths of a byte per 1 MiB read.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Baseline("fileChannelDirect")
public class LibcBench {

    /** The file size: 256 MiB. */
    static final long FILE_SIZE = 256L << 20;

    /** End-of-file paths run before measuring, so that they are compiled like the rest. */
    static final int PRIMING_REWINDS = 20_000;

    /** The file, written once per trial and deleted after it; shared by all threads. */
    @State(Scope.Benchmark)
    @InheritableMustCall("delete")
    public static class SharedFile {
        Path path;
        NativeFile shared;
        @Owning FileChannel channel;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        @CreatesMustCallFor("this")
        public void create() throws IOException {
            path = Files.createTempFile("cypclass-libcbench-", ".bin");
            byte[] chunk = new byte[1 << 20];
            new Random(42).nextBytes(chunk);
            try (OutputStream out = Files.newOutputStream(path)) {
                for (long written = 0; written < FILE_SIZE; written += chunk.length) {
                    out.write(chunk);
                }
            }
            // Read it once so that every page is in the page cache before measuring.
            try (FileChannel channel = FileChannel.open(path)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
                while (channel.read(buffer) > 0) {
                    buffer.clear();
                }
            }
            shared = NativeFile.open(path);
            if (channel != null) { // // null on JMH's fresh state; the checker asks that an owning field be closed before it is set
                channel.close();
            }
            channel = FileChannel.open(path, StandardOpenOption.READ);
            // The tear-down's first calls (fclose, close, delete...) would link their method
            // handles and load their classes inside the last measured iteration: make them here.
            for (int i = 0; i < 3; i++) {
                CFile.open(path, "r").close();
                NativeFile.open(path).close();
                FileChannel.open(path, StandardOpenOption.READ).close();
                new FileInputStream(path.toFile()).close();
                Arena.ofConfined().close();
                Files.deleteIfExists(Files.createTempFile("cypclass-libcbench-", ".tmp"));
            }
        }

        @TearDown(Level.Trial)
        @EnsuresCalledMethods(value = "this.channel", methods = "close")
        public void delete() throws IOException {
            try {
                shared.close();
                Files.deleteIfExists(path);
            } finally {
                channel.close();
            }
        }
    }

    /** One thread's buffers and its own open files. */
    @State(Scope.Thread)
    @InheritableMustCall("close")
    public static class Reader {
        @Param({"65536", "1048576"})
        int bufferSize;

        Arena arena;
        MemorySegment segment;
        ByteBuffer direct;
        ByteBuffer segmentView;
        byte[] array;
        CFile stream;
        @Owning FileChannel channel;
        @Owning FileInputStream input;
        /** The next file position of this thread's positional reads. */
        long position;

        @Setup(Level.Trial)
        @CreatesMustCallFor("this")
        public void open(SharedFile file) throws IOException {
            arena = Arena.ofConfined();
            segment = arena.allocate(bufferSize, 4096);
            segmentView = segment.asByteBuffer();
            direct = ByteBuffer.allocateDirect(bufferSize);
            array = new byte[bufferSize];
            stream = CFile.open(file.path, "r");
            if (channel != null) { // // null on JMH's fresh state; the checker asks that an owning field be closed before it is set
                channel.close();
            }
            channel = FileChannel.open(file.path, StandardOpenOption.READ);
            if (input != null) {
                input.close();
            }
            input = new FileInputStream(file.path.toFile());
            // Thread 0 starts at 0, thread 1 half a file further, so that two threads read
            // disjoint parts of the file at any moment.
            position = (file.threads.getAndIncrement() % 2) * (FILE_SIZE / 2);
            primeRewinds();
        }

        /**
         * Runs the end-of-file path of each sequential benchmark (a read that finds the end,
         * then the rewind) {@link #PRIMING_REWINDS} times, so that it is compiled like the rest
         * before measuring; see the class comment.
         */
        void primeRewinds() throws IOException {
            for (int i = 0; i < PRIMING_REWINDS; i++) {
                stream.seek(0, CFile.Whence.END);
                channel.position(FILE_SIZE);
                input.getChannel().position(FILE_SIZE);
                if (stream.read(segment) >= 0 || channel.read(direct.clear()) >= 0 || channel.read(segmentView.clear()) >= 0
                        || input.read(array) >= 0) {
                    throw new IllegalStateException("not at the end of the file");
                }
                stream.seek(0);
                channel.position(0);
                input.getChannel().position(0);
            }
        }

        /** Moves {@link #position} past {@code n} bytes just read, back to 0 at the end. */
        long advance(long n) {
            position += n;
            if (position >= FILE_SIZE) {
                position = 0;
            }
            return n;
        }

        @TearDown(Level.Trial)
        // The fields are not final (JMH sets them in @Setup), so the checker forgets each close()
        // at the next call, which could in its view reassign the field; nothing here does.
        @SuppressWarnings("calledmethods:contracts.postcondition")
        @EnsuresCalledMethods(value = {"this.channel", "this.input"}, methods = "close")
        public void close() throws IOException {
            try {
                stream.close();
                arena.close();
            } finally {
                try {
                    channel.close();
                } finally {
                    input.close();
                }
            }
        }
    }

    /** Reads the next buffer with {@code fread}; at the end of the file, starts again. */
    @Benchmark
    @NoHeapAllocation
    @Goal(vs = "fileChannelDirect", atLeast = 0.9)
    public long freadSequential(Reader r) throws IOException {
        long n = r.stream.read(r.segment);
        if (n < 0) {
            r.stream.seek(0);
            n = r.stream.read(r.segment);
        }
        return n;
    }

    /** Reads the next buffer with {@code pread} through the shared {@link NativeFile}. */
    @Benchmark
    @NoHeapAllocation
    public long preadSequential(SharedFile file, Reader r) throws IOException {
        return pread(file.shared, r);
    }

    /** The same as {@link #preadSequential} on two threads sharing one {@link NativeFile}. */
    @Benchmark
    @Threads(2)
    @NoHeapAllocation
    @Goal(vs = "preadSequential", atLeast = 1.6)
    public long preadTwoThreads(SharedFile file, Reader r) throws IOException {
        return pread(file.shared, r);
    }

    private static long pread(NativeFile file, Reader r) throws IOException {
        return r.advance(file.read(r.position, r.segment, 0, r.bufferSize));
    }

    /** Reads the next buffer with {@link FileChannel#read(ByteBuffer)} into a direct buffer. */
    @Benchmark
    public long fileChannelDirect(Reader r) throws IOException {
        return channelRead(r.channel, r.direct);
    }

    /**
     * The same as {@link #fileChannelDirect} with positional reads on two threads sharing one
     * channel: how far two threads scale on this machine without this library.
     */
    @Benchmark
    @Threads(2)
    public long fileChannelTwoThreads(SharedFile file, Reader r) throws IOException {
        return r.advance(file.channel.read(r.direct.clear(), r.position));
    }

    /** Reads the next buffer with {@link FileChannel#read(ByteBuffer)} into a native segment's view. */
    @Benchmark
    public long fileChannelSegment(Reader r) throws IOException {
        return channelRead(r.channel, r.segmentView);
    }

    private static long channelRead(FileChannel channel, ByteBuffer buffer) throws IOException {
        int n = channel.read(buffer.clear());
        if (n < 0) {
            channel.position(0);
            n = channel.read(buffer.clear());
        }
        return n;
    }

    /** Reads the next buffer with {@link FileInputStream#read(byte[])} into a heap array. */
    @Benchmark
    public long fileInputStream(Reader r) throws IOException {
        int n = r.input.read(r.array);
        if (n < 0) {
            r.input.getChannel().position(0);
            n = r.input.read(r.array);
        }
        return n;
    }

    /** A C stream on {@code /dev/null} and the line format, prepared and not; one per thread. */
    @State(Scope.Thread)
    public static class Printer {
        static final String LINE = "%d %.3f %ld\n";

        CFile out;
        PreparedFormat prepared;
        Format boxing;
        int next;

        @Setup(Level.Trial)
        public void open() throws IOException {
            // The tear-down's first fclose would link its handle inside the last measured
            // iteration (see the class comment): make it here.
            for (int i = 0; i < 3; i++) {
                CFile.open(Path.of("/dev/null"), "w").close();
            }
            out = CFile.open(Path.of("/dev/null"), "w");
            prepared = Format.prepare(LINE, int.class, double.class, long.class);
            boxing = Format.of(LINE, int.class, double.class, long.class);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            out.close();
        }
    }

    /** Prints one line to {@code /dev/null} with a prepared format: allocation-free. */
    @Benchmark
    @NoHeapAllocation
    @Baseline("fprintfBoxed")
    public int printfPrepared(Printer p) throws IOException {
        int i = p.next++;
        return p.prepared.fprintf(p.out, i, i * 0.5, -(long) i);
    }

    /** The same line with {@link Format#fprintf}: boxed arguments, an arena and a list per call. */
    @Benchmark
    @Baseline("fprintfBoxed")
    public int fprintfBoxed(Printer p) throws IOException {
        int i = p.next++;
        return p.boxing.fprintf(p.out, i, i * 0.5, -(long) i);
    }
}
