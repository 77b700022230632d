package org.cypclass.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.TimeUnit;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.LocalHeap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One 32-byte allocation and its release, four ways: the library's allocator, a Java
 * {@code new} (the cost the GC world pays up front), libc malloc/free through an FFM
 * downcall, and a confined arena; and the same inside a short-lived virtual thread, where
 * what counts is what a thread's first allocation costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Baseline("javaNew")
public class AllocBench {

    private static final int TYPE = BlockTypes.register("bench.Block32");
    /** malloc with its size bound to 32: see mallocFree. */
    private static final MethodHandle MALLOC_32;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        MethodHandle malloc = downcall(linker, "malloc", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        MALLOC_32 = MethodHandles.insertArguments(malloc, 0, 32L);
        FREE = downcall(linker, "free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    /** A Java object of the same payload: four longs. */
    record FourLongs(long a, long b, long c, long d) {
    }

    private long seed = 42;
    /** The benchmark thread's heap, looked up once as the object layer does per thread. */
    private final LocalHeap heap = LocalHeap.current();

    /** Allocate and free a 32-byte block through the thread's local heap. */
    @Benchmark
    @NoHeapAllocation
    @Goal(vs = "javaNew", atMost = 1.5)
    @Goal(vs = "mallocFree", atMost = 0.33)
    public long cypAllocFree() {
        long block = heap.allocate(TYPE, 32);
        heap.free(block);
        return block;
    }

    /** The same through the static entry points, which look the thread's heap up each time. */
    @Benchmark
    @NoHeapAllocation
    public long cypAllocFreeLookup() {
        long block = Allocator.allocate(TYPE, 32);
        Allocator.free(block);
        return block;
    }

    /** A new Java object of four longs, kept alive by the blackhole. */
    @Benchmark
    public void javaNew(Blackhole blackhole) {
        blackhole.consume(new FourLongs(seed, seed, seed, seed));
    }

    /** What the started thread made, read by the benchmark thread after the join. */
    private int created;
    private Object made;

    /**
     * Start a virtual thread that creates and closes one cypclass instance, and join it: the
     * thread's first allocation takes over a dead thread's heap instead of making a new one.
     *
     * @return the instance's value, read after the join
     * @throws InterruptedException if interrupted while joining
     */
    @Benchmark
    @Baseline("virtualThreadJavaNew")
    @Goal(vs = "virtualThreadJavaNew", atMost = 1.5)
    public int virtualThreadCreateClose() throws InterruptedException {
        Thread.ofVirtual().start(() -> {
            try (BenchAdder adder = BenchAdder.create(1)) {
                created = adder.value();
            }
        }).join();
        return created;
    }

    /**
     * The same with a Java object.
     *
     * @return the object, read after the join
     * @throws InterruptedException if interrupted while joining
     */
    @Benchmark
    @Baseline("virtualThreadJavaNew")
    public Object virtualThreadJavaNew() throws InterruptedException {
        Thread.ofVirtual().start(() -> made = new FourLongs(seed, seed, seed, seed)).join();
        return made;
    }

    /**
     * libc malloc(32) and free through FFM downcalls, as a user would write them, except that
     * the size is bound into the handle (a constant the JIT folds, the same downcall): a call of
     * invokeExact with one primitive argument crashes Checker Framework 3.53.0's type hierarchy
     * ("DefaultTypeHierarchy: unexpected combination", long against the Object[] of its varargs).
     */
    @Benchmark
    public void mallocFree(Blackhole blackhole) throws Throwable {
        MemorySegment block = (MemorySegment) MALLOC_32.invokeExact();
        blackhole.consume(block.address());
        FREE.invokeExact(block);
    }

    /** A confined arena that allocates 32 bytes and is closed. */
    @Benchmark
    public void arenaConfined(Blackhole blackhole) {
        try (Arena arena = Arena.ofConfined()) {
            blackhole.consume(arena.allocate(32).address());
        }
    }

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(Linker linker, String name, FunctionDescriptor descriptor) {
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
