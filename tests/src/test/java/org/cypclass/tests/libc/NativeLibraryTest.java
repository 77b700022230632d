package org.cypclass.tests.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cypclass.libc.NativeFunction;
import org.cypclass.libc.NativeFunction.Failure;
import org.cypclass.libc.NativeLibrary;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NativeLibrary} on a library of the test suite's own, {@code demo_library.c}, built
 * with gcc: results, each failure convention turned into the exception its errno maps to, and
 * the clear refusals (missing library, missing symbol, wrong convention, wrong arguments,
 * closed library).
 */
@ExtendWith(OpenDescriptors.class)
class NativeLibraryTest {

    private static final FunctionDescriptor SIZE = FunctionDescriptor.of(JAVA_LONG, ADDRESS);

    @TempDir
    static Path build;
    static Path so;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() throws IOException {
        Gcc.assumeAvailable();
        so = Gcc.compile(build.resolve("libdemo.so"), List.of("-shared", "-fPIC"), "demo_library.c");
    }

    @Test
    void aFunctionReturnsItsResult() throws IOException {
        Path file = Files.write(dir.resolve("five.bin"), new byte[5]);
        try (NativeLibrary lib = NativeLibrary.open(so); Arena arena = Arena.ofConfined()) {
            NativeFunction size = lib.function("demo_file_size", SIZE, Failure.MINUS_ONE_SETS_ERRNO);
            assertEquals(5L, size.invoke(arena.allocateFrom(file.toString())));
            NativeFunction add = lib.function("demo_add", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Failure.NEVER);
            assertEquals(-1, add.invoke(2, -3), "NEVER returns -1 as a result, not as a failure");
            NativeFunction greeting = lib.function("demo_greeting", FunctionDescriptor.of(ADDRESS, JAVA_INT),
                Failure.NULL_SETS_ERRNO);
            MemorySegment hello = (MemorySegment) greeting.invoke(1);
            assertEquals("bonjour", cString(hello));
            NativeFunction access = lib.function("demo_check_access", FunctionDescriptor.of(JAVA_INT, JAVA_INT),
                Failure.RETURNS_NEGATED_ERRNO);
            assertEquals(0, access.invoke(1));
        }
    }

    @Test
    void errnoBecomesTheLibcLayersException() throws IOException {
        try (NativeLibrary lib = NativeLibrary.open(so); Arena arena = Arena.ofConfined()) {
            NativeFunction size = lib.function("demo_file_size", SIZE, Failure.MINUS_ONE_SETS_ERRNO);
            NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> size.invoke(arena.allocateFrom(dir.resolve("missing").toString())));
            assertEquals("demo_file_size in " + so + ": No such file or directory (ENOENT, demo_file_size)",
                missing.getMessage());
            Path plain = Files.write(dir.resolve("plain.bin"), new byte[1]);
            FileSystemException notDirectory = assertThrows(FileSystemException.class,
                () -> size.invoke(arena.allocateFrom(plain.resolve("below").toString())));
            assertEquals(FileSystemException.class, notDirectory.getClass(), "ENOTDIR has no narrower type");
            assertTrue(notDirectory.getMessage().endsWith("Not a directory (ENOTDIR, demo_file_size)"), notDirectory.getMessage());

            NativeFunction greeting = lib.function("demo_greeting", FunctionDescriptor.of(ADDRESS, JAVA_INT),
                Failure.NULL_SETS_ERRNO);
            FileSystemException invalid = assertThrows(FileSystemException.class, () -> greeting.invoke(7));
            assertEquals(FileSystemException.class, invalid.getClass());
            assertTrue(invalid.getMessage().endsWith("Invalid argument (EINVAL, demo_greeting)"), invalid.getMessage());

            NativeFunction access = lib.function("demo_check_access", FunctionDescriptor.of(JAVA_INT, JAVA_INT),
                Failure.RETURNS_NEGATED_ERRNO);
            AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> access.invoke(0));
            assertTrue(denied.getMessage().endsWith("Permission denied (EACCES, demo_check_access)"), denied.getMessage());
        }
    }

    /** Each thread's errno is its own: one thread's failures never show in another's results. */
    @Test
    void threadsCallConcurrentlyEachWithItsOwnErrno() throws Exception {
        Path file = Files.write(dir.resolve("three.bin"), new byte[3]);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (NativeLibrary lib = NativeLibrary.open(so); Arena arena = Arena.ofShared()) {
            NativeFunction size = lib.function("demo_file_size", SIZE, Failure.MINUS_ONE_SETS_ERRNO);
            MemorySegment good = arena.allocateFrom(file.toString());
            MemorySegment bad = arena.allocateFrom(dir.resolve("missing").toString());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean failing = t % 2 == 0;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < 2_000; i++) {
                        if (failing) {
                            assertThrows(NoSuchFileException.class, () -> size.invoke(bad));
                        } else {
                            assertEquals(3L, size.invoke(good));
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertEquals(2_000, result.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void aMissingLibraryOrSymbolIsNamed() throws IOException {
        Path nowhere = dir.resolve("libnowhere.so");
        NoSuchFileException noFile = assertThrows(NoSuchFileException.class, () -> NativeLibrary.open(nowhere));
        assertEquals(nowhere.toString(), noFile.getFile());
        assertTrue(noFile.getMessage().contains("no shared library at this path"), noFile.getMessage());

        Path directory = Files.createDirectory(dir.resolve("libdirectory.so"));
        FileSystemException notFile = assertThrows(FileSystemException.class, () -> NativeLibrary.open(directory));
        assertTrue(notFile.getMessage().endsWith("not a regular file; dlopen loads shared library files"), notFile.getMessage());
        Path text = Files.writeString(dir.resolve("libtext.so"), "not an ELF file");
        FileSystemException notElf = assertThrows(FileSystemException.class, () -> NativeLibrary.open(text));
        assertTrue(notElf.getMessage().endsWith("not a shared library: it has no ELF header"), notElf.getMessage());
        // A shared library that needs one which is gone: dlopen refuses it.
        Path dependency = Gcc.compile(dir.resolve("libdemo_dep.so"), List.of("-shared", "-fPIC"), "demo_library.c");
        Path needing = Gcc.compile(dir.resolve("libneeding.so"), List.of("-shared", "-fPIC", "-L" + dir,
            "-Wl,--no-as-needed", "-ldemo_dep"), "demo_library.c");
        Files.delete(dependency);
        FileSystemException refused = assertThrows(FileSystemException.class, () -> NativeLibrary.open(needing));
        assertTrue(refused.getMessage().contains("dlopen refused it"), refused.getMessage());
        assertTrue(refused.getMessage().contains("ldd " + needing), refused.getMessage());

        NoSuchFileException noName = assertThrows(NoSuchFileException.class,
            () -> NativeLibrary.load("libcypclass-no-such-library.so.9"));
        assertTrue(noName.getMessage().startsWith("libcypclass-no-such-library.so.9: dlopen found no loadable library"),
            noName.getMessage());

        try (NativeLibrary lib = NativeLibrary.open(so)) {
            IllegalArgumentException noSymbol = assertThrows(IllegalArgumentException.class,
                () -> lib.function("demo_file_sise", SIZE, Failure.MINUS_ONE_SETS_ERRNO));
            assertEquals(so + " has no symbol \"demo_file_sise\": check its spelling, and that the library exports it"
                + " (nm -D --defined-only " + so + " lists what it exports)", noSymbol.getMessage());
        }
    }

    @Test
    void aLibraryLoadsByName() throws IOException {
        try (NativeLibrary libc = NativeLibrary.load("libc.so.6")) {
            NativeFunction abs = libc.function("abs", FunctionDescriptor.of(JAVA_INT, JAVA_INT), Failure.NEVER);
            assertEquals(42, abs.invoke(-42));
            assertTrue(libc.toString().contains("libc.so.6"), libc.toString());
        }
    }

    @Test
    void aConventionMustFitTheResultAndArgumentsTheSignature() throws IOException {
        try (NativeLibrary lib = NativeLibrary.open(so)) {
            IllegalArgumentException convention = assertThrows(IllegalArgumentException.class,
                () -> lib.function("demo_greeting", FunctionDescriptor.of(ADDRESS, JAVA_INT), Failure.MINUS_ONE_SETS_ERRNO));
            assertTrue(convention.getMessage().contains("needs an int or long"), convention.getMessage());
            assertThrows(IllegalArgumentException.class,
                () -> lib.function("demo_file_size", SIZE, Failure.NULL_SETS_ERRNO));
            assertThrows(IllegalArgumentException.class,
                () -> lib.function("demo_add", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT), Failure.NEGATIVE_SETS_ERRNO));

            NativeFunction add = lib.function("demo_add", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Failure.NEVER);
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> add.invoke(1));
            assertTrue(count.getMessage().contains("takes 2 arguments"), count.getMessage());
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> add.invoke(1, 2L));
            assertTrue(type.getMessage().contains("argument 2 is a java.lang.Long"), type.getMessage());
            assertThrows(NullPointerException.class, () -> add.invoke(1, null));
            NativeFunction size = lib.function("demo_file_size", SIZE, Failure.MINUS_ONE_SETS_ERRNO);
            IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                () -> size.invoke(MemorySegment.ofArray(new byte[8])));
            assertTrue(heap.getMessage().contains("heap segment"), heap.getMessage());
        }
    }

    @Test
    void aClosedLibraryRefusesCalls() throws IOException {
        NativeLibrary lib = NativeLibrary.open(so);
        NativeFunction add = lib.function("demo_add", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Failure.NEVER);
        assertEquals(5, add.invoke(2, 3));
        assertTrue(lib.isOpen());
        lib.close();
        assertFalse(lib.isOpen());
        IllegalStateException call = assertThrows(IllegalStateException.class, () -> add.invoke(2, 3));
        assertEquals("demo_add on closed NativeLibrary " + so + ": its functions cannot be called after close() unloaded it",
            call.getMessage());
        assertThrows(IllegalStateException.class,
            () -> lib.function("demo_add", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Failure.NEVER));
        lib.close(); // again: nothing
        assertTrue(lib.toString().endsWith(", closed]"), lib.toString());
    }

    /**
     * close() waits for a call running in C: a thread in {@code usleep(300 ms)} entered the
     * library before another closed it, and the close returns only after the call has. (Should
     * the closer win the race to the gate, the call is refused instead; the round is run again.)
     */
    @Test
    void closeWaitsForARunningCall() throws Exception {
        for (int round = 0; round < 5; round++) {
            NativeLibrary libc = NativeLibrary.load("libc.so.6");
            NativeFunction usleep = libc.function("usleep", FunctionDescriptor.of(JAVA_INT, JAVA_INT),
                Failure.MINUS_ONE_SETS_ERRNO);
            CountDownLatch calling = new CountDownLatch(1);
            long[] returnedAt = new long[1];
            java.util.concurrent.FutureTask<Object> call = new java.util.concurrent.FutureTask<>(() -> {
                calling.countDown();
                Object result = usleep.invoke(300_000);
                returnedAt[0] = System.nanoTime();
                return result;
            });
            Thread caller = Thread.ofPlatform().daemon().start(call);
            calling.await();
            Thread.sleep(50);
            libc.close();
            long closedAt = System.nanoTime();
            caller.join(TimeUnit.MINUTES.toMillis(1));
            try {
                assertEquals(0, call.get());
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
                continue; // the closer reached the gate first
            }
            assertTrue(closedAt - returnedAt[0] >= 0, "close() returned before the call it must wait for");
            assertThrows(IllegalStateException.class, () -> usleep.invoke(1));
            return;
        }
        throw new AssertionError("in 5 rounds, no call entered the library within 50 ms of starting");
    }

    @SuppressWarnings("restricted")
    private static String cString(MemorySegment pointer) {
        return pointer.reinterpret(64).getString(0);
    }
}
