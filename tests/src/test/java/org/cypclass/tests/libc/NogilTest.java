package org.cypclass.tests.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.cypclass.libc.CFile;
import org.cypclass.libc.Format;
import org.cypclass.libc.LineBuffer;
import org.cypclass.libc.NativeFile;
import org.cypclass.libc.PreparedFormat;
import org.cypclass.tests.support.ThreadStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The nogil promises: reads and writes allocate nothing on the Java heap, and a thread inside
 * C does not hold up the garbage collector or other threads; close waits for a running call.
 */
@ExtendWith(OpenDescriptors.class)
class NogilTest {

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @FunctionalInterface
    private interface Op {
        void run() throws IOException;
    }

    /**
     * Bytes per call of {@code op} in the steady state: rounds of 20,000 calls until a round
     * allocates nothing or 10 seconds have passed (the first calls of a thread create its
     * state, and interpreted code may allocate what compiled code does not); returns the best
     * round's average.
     */
    private static double steadyBytesPerCall(Op op) throws IOException {
        double best = Double.MAX_VALUE;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (best > 0 && System.nanoTime() < deadline) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                op.run();
            }
            best = Math.min(best, (THREADS.getCurrentThreadAllocatedBytes() - before) / 20_000.0);
        }
        return best;
    }

    /**
     * Runs {@link AllocationMain} in a child JVM and checks that every call it measured
     * allocates nothing once compiled.
     *
     * <p>Each downcall that captures {@code errno} makes a 40-byte segment inside the JDK
     * ({@code SharedUtils.checkCaptureSegment} slices the capture segment), which C2 removes
     * only when it inlines the whole downcall stub, {@code SharedUtils.checkNative} included.
     * With tiered compilation that depends on a race: if C2 compiles the caller before the
     * shared stub has a mature call-site profile, it finds {@code checkNative} "too big"
     * (-XX:+PrintInlining), the slice escapes, and that compiled code allocates 40 bytes per
     * call for good. On a loaded 2-core machine this happened to pread or line writes
     * in 4 of 18 runs, in the suite's JVM and in a fresh one alike. The child therefore runs
     * with {@code -XX:-TieredCompilation}: C2 compiles with the interpreter's full profiles,
     * and these calls show 0 bytes every time. (JMH's forks, tiered, showed the same in every
     * run; see LibcBench.)
     */
    private void assertNoAllocation(String calls) throws IOException, InterruptedException {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-ea",
            "-XX:-TieredCompilation", "-cp", System.getProperty("java.class.path"), AllocationMain.class.getName(),
            calls, dir.toString())
            .redirectErrorStream(true)
            .start();
        child.getOutputStream().close();
        String output;
        try (java.io.InputStream stdout = child.getInputStream()) {
            output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        child.getErrorStream().close(); // merged into stdout; close its pipe all the same
        assertTrue(child.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, child.exitValue(), output);
        Map<String, Double> perCall = new LinkedHashMap<>();
        for (String line : output.strip().split("\n")) {
            String[] parts = line.split("\t");
            perCall.put(parts[0], Double.parseDouble(parts[1]));
        }
        assertFalse(perCall.isEmpty(), output);
        for (Map.Entry<String, Double> e : perCall.entrySet()) {
            assertEquals(0.0, e.getValue(), 0.01, e.getKey() + " allocates on the Java heap: " + perCall);
        }
    }

    @Test
    void readsAndWritesAllocateNothingOnTheJavaHeap() throws IOException, InterruptedException {
        assertNoAllocation("files");
    }

    /** Lines, and a prepared format's fprintf: both write to {@code /dev/null}. */
    @Test
    void lineReadsAndWritesAllocateNothingOnTheJavaHeap() throws IOException, InterruptedException {
        assertNoAllocation("lines");
    }

    /** The child JVM of {@link #assertNoAllocation}: prints each call's bytes per call, tab-separated. */
    static final class AllocationMain {
        public static void main(String[] args) throws IOException {
            Path dir = Path.of(args[1]);
            Map<String, Double> perCall = args[0].equals("files") ? fileCalls(dir) : lineCalls(dir);
            perCall.forEach((name, bytes) -> System.out.println(name + "\t" + bytes));
        }
    }

    private static Map<String, Double> fileCalls(Path dir) throws IOException {
        Path file = Files.write(dir.resolve("alloc.bin"), new byte[8192]);
        try (Arena arena = Arena.ofConfined();
             CFile stream = CFile.open(file, "r+");
             NativeFile fd = NativeFile.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment buffer = arena.allocate(8192);
            Map<String, Double> perCall = new LinkedHashMap<>();
            perCall.put("fread whole segment", steadyBytesPerCall(() -> {
                stream.seek(0);
                stream.read(buffer);
            }));
            perCall.put("fread slice", steadyBytesPerCall(() -> {
                stream.seek(0);
                stream.read(buffer, 1024, 2048);
            }));
            perCall.put("fwrite + fflush", steadyBytesPerCall(() -> {
                stream.seek(0);
                stream.write(buffer, 100, 4000);
                stream.flush();
                stream.tell();
            }));
            perCall.put("fread sequential, rewinding at end of file (LibcBench.freadSequential)", steadyBytesPerCall(() -> {
                if (stream.read(buffer, 0, 1024) < 0) {
                    stream.seek(0);
                }
            }));
            perCall.put("pread whole segment", steadyBytesPerCall(() -> fd.read(0, buffer, 0, 8192)));
            perCall.put("pread slice", steadyBytesPerCall(() -> fd.read(100, buffer, 512, 1000)));
            perCall.put("pwrite slice", steadyBytesPerCall(() -> fd.write(0, buffer, 4096, 4096)));
            return perCall;
        }
    }

    private static Map<String, Double> lineCalls(Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            text.append("line ").append(i).append(": ").append("0123456789".repeat(i % 8)).append('\n');
        }
        Path file = Files.writeString(dir.resolve("lines.txt"), text);
        String line = "a line of text, written with fwrite from the thread's scratch buffer";
        try (Arena arena = Arena.ofConfined();
             CFile in = CFile.open(file, "r");
             CFile out = CFile.open(Path.of("/dev/null"), "w");
             LineBuffer buffer = new LineBuffer()) {
            MemorySegment room = arena.allocate(128);
            MemorySegment cString = arena.allocateFrom("a NUL-terminated line\n");
            Map<String, Double> perCall = new LinkedHashMap<>();
            perCall.put("readLine into a segment (fgets), rewinding at end of file", steadyBytesPerCall(() -> {
                if (in.readLine(room) < 0) {
                    in.seek(0);
                }
            }));
            perCall.put("readLine into a LineBuffer (getline) and its segment, rewinding", steadyBytesPerCall(() -> {
                if (in.readLine(buffer) < 0) {
                    in.seek(0);
                }
                buffer.segment();
            }));
            perCall.put("writeLine of a String", steadyBytesPerCall(() -> out.writeLine(line)));
            perCall.put("writeString of a NUL-terminated segment", steadyBytesPerCall(() -> out.writeString(cString)));
            PreparedFormat prepared = Format.prepare("%d %.3f %ld\n", int.class, double.class, long.class);
            int[] next = {0};
            perCall.put("prepared fprintf (LibcBench.printfPrepared)", steadyBytesPerCall(() -> {
                int i = next[0]++;
                prepared.fprintf(out, i, i * 0.5, -(long) i);
            }));
            return perCall;
        }
    }

    private Path fifo() throws IOException, InterruptedException {
        Path fifo = dir.resolve("fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeTrue(false, "needs mkfifo: " + e);
            throw e;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        return fifo;
    }

    /** Runs {@code task} on a new platform thread (the common pool may have one worker only). */
    private static <T> FutureTask<T> onNewThread(Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread.ofPlatform().daemon().start(future);
        return future;
    }

    /** The kernel's id of the calling thread, as {@code /proc/self/task} names it. */
    private static String currentTid() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    }

    /**
     * Returns once thread {@code tid} is blocked in {@code read(2)} on {@code fifo}. To Java a
     * thread inside a downcall is {@code RUNNABLE} whether it is in C or about to call it;
     * only the kernel can tell: {@code /proc/self/task/TID/syscall} gives the system call the
     * thread is blocked in (0, read, on x86-64) and its arguments, the first being the
     * descriptor, whose {@code /proc/self/fd} link names the file.
     */
    private static void awaitBlockedInRead(String tid, Path fifo) throws IOException {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "read(2) is system call 0 on x86-64 only");
        Path syscall = Path.of("/proc/self/task", tid, "syscall");
        Path target = fifo.toRealPath();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String[] call = Files.readString(syscall).strip().split(" ");
            if (call[0].equals("0") && call.length > 1) {
                Path fd = Path.of("/proc/self/fd", Long.toString(Long.decode(call[1])));
                try {
                    if (Files.readSymbolicLink(fd).equals(target)) {
                        return;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away between the two reads: look again
                }
            }
            assertTrue(System.nanoTime() - deadline < 0, "thread " + tid + " not blocked in read(2) on "
                + fifo + " after 60 s: " + String.join(" ", call));
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * A GC needs every Java thread at a safepoint; a thread in native code is at one. Were
     * fread a critical downcall or under a lock the GC needs, {@code System.gc()} would never
     * return, and every other Java thread would stop at the safepoint with it: so the check runs
     * in a child JVM ({@link GcMain}), which must finish within two minutes.
     */
    @Test
    void aThreadBlockedInFreadDoesNotStopTheGarbageCollector() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "read(2) is system call 0 on x86-64 only");
        Path fifo = fifo();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-ea",
            "-cp", System.getProperty("java.class.path"), GcMain.class.getName(), fifo.toString())
            .redirectErrorStream(true)
            .start();
        child.getOutputStream().close();
        // Read on another thread: a hung child never closes its output.
        FutureTask<String> output = onNewThread(() -> {
            try (java.io.InputStream stdout = child.getInputStream()) {
                return new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
        boolean ended = child.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly().waitFor();
        }
        String printed = output.get(1, TimeUnit.MINUTES);
        child.getErrorStream().close(); // merged into stdout; close its pipe all the same
        assertTrue(ended, "System.gc() did not finish while a thread was blocked in fread:\n" + printed);
        assertEquals(0, child.exitValue(), printed);
        assertTrue(printed.contains("GC ran 3 times beside fread"), printed);
    }

    /** The child JVM of {@link #aThreadBlockedInFreadDoesNotStopTheGarbageCollector}. */
    static final class GcMain {
        public static void main(String[] args) throws Exception {
            Path fifo = Path.of(args[0]);
            // r+ opens a FIFO without waiting for a writer (Linux); the read then blocks in C.
            try (Arena arena = Arena.ofShared(); CFile reader = CFile.open(fifo, "r+"); CFile writer = CFile.open(fifo, "w")) {
                MemorySegment buffer = arena.allocate(5);
                CompletableFuture<String> tid = new CompletableFuture<>();
                FutureTask<Long> read = onNewThread(() -> {
                    tid.complete(currentTid());
                    return reader.read(buffer);
                });
                awaitBlockedInRead(tid.get(), fifo);
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                awaitBlockedInRead(tid.get(), fifo); // still in the same read: the GCs ran beside it
                System.out.println("GC ran 3 times beside fread");
                writer.write(arena.allocateFrom("hello", StandardCharsets.US_ASCII), 0, 5);
                writer.flush();
                assertEquals(5, read.get(30, TimeUnit.SECONDS));
                assertEquals("hello", new String(buffer.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            }
        }
    }

    /**
     * Close waits for a read that runs in C: the reader is seen blocked in {@code read(2)} on
     * the FIFO, then the closing thread is seen parked in the file's gate (a close that did not
     * wait would have returned, or be stuck inside {@code fclose} on the stream's lock).
     */
    @Test
    void closeWaitsForARunningReadAndLaterCallsThrow() throws Exception {
        Path fifo = fifo();
        try (Arena arena = Arena.ofShared(); CFile writer = CFile.open(fifo, "r+")) {
            CFile reader = CFile.open(fifo, "r+");
            MemorySegment buffer = arena.allocate(3);
            CompletableFuture<String> tid = new CompletableFuture<>();
            FutureTask<Long> read = onNewThread(() -> {
                tid.complete(currentTid());
                return reader.read(buffer);
            });
            FutureTask<Void> close = new FutureTask<>(() -> {
                reader.close();
                return null;
            });
            try {
                awaitBlockedInRead(tid.get(), fifo);
                Thread closer = Thread.ofPlatform().daemon().name("closer").start(close);
                ThreadStates.awaitWaiting(closer, "the fread running on the FILE*");
                assertFalse(close.isDone(), "close must wait while fread runs on the FILE*");
                assertFalse(reader.isOpen(), "but new calls are refused at once");
                assertThrows(IllegalStateException.class, () -> reader.read(buffer));
            } finally {
                writer.write(arena.allocateFrom("abc", StandardCharsets.US_ASCII), 0, 3);
                writer.flush();
            }
            assertEquals(3, read.get(30, TimeUnit.SECONDS), "the running read completes normally");
            close.get(30, TimeUnit.SECONDS);
            reader.close(); // already closed: a no-op
        }
    }
}
