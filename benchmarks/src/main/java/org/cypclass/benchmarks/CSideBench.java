package org.cypclass.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.CreatesMustCallFor;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.objects.generated.CExports;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * C calling a cypclass method: a loop in C ({@code cside_loop.c}, compiled by the setup with the
 * system's gcc) calls {@code add} of a thread-local {@link BenchAdder} through its exported table
 * ({@code @CExport}: the receiver found under the thread rules, the checked field accessors, the
 * result stored through C's pointer, the status returned), against the same loop through a bare
 * upcall stub of the same signature whose Java target adds to the same field with raw memory
 * access and no check. One operation is one call from C; the downcall that runs the loop is
 * shared by {@value #CALLS} calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Baseline("plainUpcall")
@InheritableMustCall("tearDown")
public class CSideBench {

    /** Calls from C per benchmark invocation. */
    static final int CALLS = 1000;
    private static final ValueLayout.OfInt VALUE = ValueLayout.JAVA_INT;

    private Arena arena;
    private MethodHandle addLoop;
    private @Owning BenchAdder adder;
    private MemorySegment self;
    private MemorySegment exportedAdd;
    private MemorySegment plainAdd;
    /** The offset of {@code value} in a BenchAdder, for the bare upcall's raw access: a constant, as a hand-written stub's. */
    private static final long VALUE_OFFSET = BenchAdder.TYPE.offsetOf("value");

    /**
     * Compiles and loads the C loop, makes the adder (on the benchmark thread, which owns it) and
     * the bare upcall stub.
     *
     * @throws IOException if gcc cannot be run
     * @throws IllegalStateException if gcc is not installed, or fails
     */
    @Setup(Level.Trial)
    @CreatesMustCallFor("this")
    @SuppressWarnings("restricted")
    public void setUp() throws IOException {
        arena = Arena.ofShared();
        SymbolLookup loop = SymbolLookup.libraryLookup(compileLoop(), arena);
        addLoop = Linker.nativeLinker().downcallHandle(loop.find("add_loop").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        if (adder != null) { // // null on JMH's fresh state; the checker asks that an owning field be closed before it is set
            adder.close();
        }
        adder = BenchAdder.create(0);
        self = adder.pointer();
        // add is the table's only function: the first after the head.
        exportedAdd = BenchAdder.TYPE.cMethods().reinterpret(CExports.HEAD_SIZE + 8).get(ValueLayout.ADDRESS, CExports.HEAD_SIZE);
        try {
            MethodHandle plain = MethodHandles.lookup().findStatic(MethodHandles.lookup().lookupClass(), "plainAddTarget",
                MethodType.methodType(int.class, long.class, int.class, long.class));
            plainAdd = Linker.nativeLinker().upcallStub(plain, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), arena);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Releases the adder and unloads the C loop. */
    @TearDown(Level.Trial)
    @EnsuresCalledMethods(value = "this.adder", methods = "close")
    public void tearDown() {
        // Null after a set-up that failed (gcc missing), which the test's tear-down follows.
        if (arena != null) {
            arena.close();
        }
        if (adder != null) {
            adder.close(); // last: a later call would make the checker forget it
        }
    }

    /** {@return the adder's value, read through Java} */
    int value() {
        return adder.value();
    }

    /**
     * {@value #CALLS} calls of the exported {@code add} from C.
     *
     * @return the sum of the results, negative if a call failed
     * @throws Throwable never: the downcall does not throw
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    @Goal(vs = "plainUpcall", atMost = 1.2)
    public long cCallsMethod() throws Throwable {
        return (long) addLoop.invokeExact(exportedAdd, self, (long) CALLS);
    }

    /**
     * {@value #CALLS} calls from C of a bare upcall stub of {@code add}'s C signature.
     *
     * @return the sum of the results
     * @throws Throwable never: the downcall does not throw
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long plainUpcall() throws Throwable {
        return (long) addLoop.invokeExact(plainAdd, self, (long) CALLS);
    }

    /** The bare target: adds to the value field with raw access, stores the result, returns 0. */
    private static int plainAddTarget(long self, int v, long result) {
        MemorySegment all = org.cypclass.memory.internal.NativeAccess.ALL;
        int sum = all.get(VALUE, self + VALUE_OFFSET) + v;
        all.set(VALUE, self + VALUE_OFFSET, sum);
        all.set(VALUE, result, sum);
        return 0;
    }

    /**
     * Writes {@code cside_loop.c} from this jar to a temporary folder and compiles it with gcc.
     *
     * @return the shared library
     * @throws IllegalStateException if gcc is missing or fails, with what to do
     */
    static Path compileLoop() throws IOException {
        Path dir = Files.createTempDirectory("cside-bench");
        Path source = dir.resolve("cside_loop.c");
        try (InputStream in = CSideBench.class.getResourceAsStream("cside_loop.c")) {
            if (in == null) {
                throw new IllegalStateException("cside_loop.c is missing from the benchmarks jar");
            }
            Files.copy(in, source);
        }
        Path library = dir.resolve("libcside_loop.so");
        List<String> command = new ArrayList<>(List.of("gcc", "-std=c11", "-O2", "-Wall", "-Werror", "-shared", "-fPIC",
            "-o", library.toString(), source.toString()));
        Process gcc;
        try {
            gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("gcc is not installed (not found on PATH): CSideBench compiles its C loop with"
                + " it; install gcc (Debian: apt-get install gcc) to run CSideBench", e);
        }
        gcc.getOutputStream().close();
        String output;
        try (InputStream out = gcc.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (gcc.waitFor() != 0) {
                throw new IllegalStateException("gcc failed on cside_loop.c: " + String.join(" ", command) + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return library;
    }
}
