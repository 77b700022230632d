package org.cypclass.tests.objects;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Circle;
import org.cypclass.examples.Gauge;
import org.cypclass.examples.Shape;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.objects.generated.CExports;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * C calls the methods Java exports with {@code @CExport} ({@code c_export.c}, through the
 * generated tables of {@code Adder.h} and {@code Gauge.h}): the talk's Adder session from C
 * alone, a reference C keeps after Java's last one and hands back through {@code adopt}, every
 * kind of parameter and result, and the thread rules from C: a thread-local object refuses a
 * pthread and another Java thread with a status and a message, a locked one wants the lock, a
 * frozen one reads from anywhere and refuses writes. No call crashes; counts stay exact.
 */
class CExportTest {

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;
    private static final int MESSAGE = 512;

    @TempDir
    static Path dir;
    private static Arena arena;
    private static MethodHandle adderSession;
    private static MethodHandle createAdder;
    private static MethodHandle createWithoutResult;
    private static MethodHandle decref;
    private static MethodHandle keep;
    private static MethodHandle keptAdd;
    private static MethodHandle giveBackKept;
    private static MethodHandle callAdd;
    private static MethodHandle callGet;
    private static MethodHandle lockedAdd;
    private static MethodHandle callOnPthread;
    private static MethodHandle gaugeTour;
    private static MethodHandle startContendedCalls;
    private static MethodHandle addLoop;
    private static MethodHandle shapeArea;
    private static MethodHandle methodsOf;
    private static MethodHandle sessionOnPthread;
    private static MethodHandle joinContendedCalls;

    @BeforeAll
    static void compileTheLibrary() throws Exception {
        Gcc.assumeAvailable();
        Path generated = Gcc.repoRoot().resolve("tests/target/generated-test-sources/test-annotations");
        assertTrue(Files.isRegularFile(generated.resolve("org/cypclass/examples/Gauge.h")), "the processor wrote Gauge.h");
        Path library = Gcc.compile(dir.resolve("libc_export.so"),
            List.of("-shared", "-fPIC", "-pthread", "-I", generated.toString()), "c_export.c");
        arena = Arena.ofShared();
        SymbolLookup lib = Gcc.load(library, arena);
        adderSession = Gcc.downcall(lib, "adder_session", FunctionDescriptor.of(I64, PTR, I32, I32, PTR));
        createAdder = Gcc.downcall(lib, "create_adder", FunctionDescriptor.of(I32, PTR, I32, PTR));
        createWithoutResult = Gcc.downcall(lib, "create_without_result", FunctionDescriptor.of(I32, PTR, I32));
        decref = Gcc.downcall(lib, "decref", FunctionDescriptor.ofVoid(PTR));
        keep = Gcc.downcall(lib, "keep", FunctionDescriptor.ofVoid(PTR));
        keptAdd = Gcc.downcall(lib, "kept_add", FunctionDescriptor.of(I32, I32, PTR));
        giveBackKept = Gcc.downcall(lib, "give_back_kept", FunctionDescriptor.of(PTR));
        callAdd = Gcc.downcall(lib, "call_add", FunctionDescriptor.of(I32, PTR, PTR, I32, PTR, PTR, I64));
        callGet = Gcc.downcall(lib, "call_get", FunctionDescriptor.of(I32, PTR, PTR, PTR, PTR, I64));
        lockedAdd = Gcc.downcall(lib, "locked_add", FunctionDescriptor.of(I32, PTR, PTR, I32, I32, PTR, PTR, I64));
        callOnPthread = Gcc.downcall(lib, "call_on_pthread", FunctionDescriptor.of(I32, PTR, PTR, I32, PTR, PTR, I64));
        gaugeTour = Gcc.downcall(lib, "gauge_tour", FunctionDescriptor.of(I32, PTR, PTR, PTR, I64));
        startContendedCalls = Gcc.downcall(lib, "start_contended_calls", FunctionDescriptor.of(I32, PTR, PTR, I64, PTR));
        joinContendedCalls = Gcc.downcall(lib, "join_contended_calls", FunctionDescriptor.of(I32, PTR));
        addLoop = Gcc.downcall(lib, "add_loop", FunctionDescriptor.of(I64, PTR, PTR, I64));
        shapeArea = Gcc.downcall(lib, "shape_area", FunctionDescriptor.of(I32, PTR, PTR, PTR));
        methodsOf = Gcc.downcall(lib, "methods_of", FunctionDescriptor.of(PTR, PTR));
        sessionOnPthread = Gcc.downcall(lib, "session_on_pthread", FunctionDescriptor.of(I32, PTR, PTR));
    }

    @AfterAll
    static void unloadTheLibrary() {
        if (arena != null) {
            arena.close();
        }
    }

    private static long live(Class<?> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBlocks();
    }

    @Test
    void theTalksAdderSessionRunsFromCAloneAndFreesTheObject() throws Throwable {
        long live = live(Adder.class);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment count = call.allocate(I32);
            long value = (long) adderSession.invokeExact(Adder.TYPE.cMethods(), 10, 1000, count);
            assertEquals(1010, value, "create(10), then add(1) a thousand times, read through the struct");
            assertEquals(1, count.get(I32, 0), "the constructor's object had one count, C's");
        }
        assertEquals(live, live(Adder.class), "C's Cy_DECREF to zero freed it");
    }

    @Test
    void aPthreadOwnsWhatItCreatesAndCallsItsMethods() throws Throwable {
        long live = live(Adder.class);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment value = call.allocate(I64);
            assertEquals(CExports.OK, (int) sessionOnPthread.invokeExact(Adder.TYPE.cMethods(), value),
                "the attached pthread owns its Adder across upcalls");
            assertEquals(4, value.get(I64, 0));
        }
        assertEquals(live, live(Adder.class), "its Cy_DECREF, on the owner thread, freed it");
    }

    @Test
    @SuppressWarnings("restricted")
    void theTableIsTheTypeObjectsAndListsItsFunctions() {
        MemorySegment table = Adder.TYPE.cMethods().reinterpret(CExports.HEAD_SIZE + 3 * 8);
        try (Adder adder = Adder.create(1)) {
            long typeObject = adder.pointer().reinterpret(16).get(I64, 8);
            assertEquals(typeObject, table.get(I64, 0), "the head names the type object");
            assertEquals(table.address(), MemorySegment.ofAddress(typeObject).reinterpret(48).get(I64, 40),
                "tp_methods points to the table");
        }
        assertEquals(3, table.get(I32, 8), "create, add, get");
        for (int i = 0; i < 3; i++) {
            assertNotEquals(0, table.get(I64, CExports.HEAD_SIZE + 8L * i));
        }
        assertEquals(MemorySegment.NULL, org.cypclass.examples.Pair.TYPE.cMethods(), "a class that exports nothing has none");
    }

    @Test
    void cKeepsAReferenceAfterJavasLastCallsAMethodAndGivesItBackThroughAdopt() throws Throwable {
        long live = live(Adder.class);
        long address;
        try (Adder adder = Adder.create(41)) {
            address = adder.pointer().address();
            keep.invokeExact(adder.pointer());
            assertEquals(2, RefCount.count(address));
        }
        assertEquals(1, RefCount.count(address), "Java's last reference went; C's keeps it");
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(I32);
            assertEquals(CExports.OK, (int) keptAdd.invokeExact(1, out));
            assertEquals(42, out.get(I32, 0));
        }
        assertEquals(1, RefCount.count(address), "a call takes no count");
        MemorySegment pointer = (MemorySegment) giveBackKept.invokeExact();
        try (Adder back = Adder.TYPE.adopt(pointer)) {
            assertEquals(1, RefCount.count(address), "C's count became the reference's");
            assertEquals(43, back.add(1));
        }
        assertEquals(live, live(Adder.class));
    }

    @Test
    void aConstructorsObjectGoesToJavaThroughAdoptAndADeadPointerIsRefused() throws Throwable {
        long live = live(Adder.class);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(PTR);
            assertEquals(CExports.OK, (int) createAdder.invokeExact(Adder.TYPE.cMethods(), 7, out));
            MemorySegment pointer = out.get(PTR, 0);
            try (Adder adopted = Adder.TYPE.adopt(pointer)) {
                assertEquals(7, adopted.value());
                assertEquals(1, RefCount.count(pointer.address()));
            }
            assertEquals(live, live(Adder.class));

            assertEquals(CExports.OK, (int) createAdder.invokeExact(Adder.TYPE.cMethods(), 8, out));
            MemorySegment dead = out.get(PTR, 0);
            decref.invokeExact(dead);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Adder.TYPE.adopt(dead));
            assertTrue(refused.getMessage().contains("dead") || refused.getMessage().contains("not an object"),
                refused.getMessage());
        }
        assertEquals(live, live(Adder.class));
        assertEquals(CExports.ARGUMENT, (int) createWithoutResult.invokeExact(Adder.TYPE.cMethods(), 1),
            "a constructor without a result pointer is refused");
        assertEquals(live, live(Adder.class), "and its object released");
    }

    @Test
    void aThreadLocalObjectsMethodFromAPthreadGetsItsStatusAndMessage() throws Throwable {
        try (Adder adder = Adder.create(5); Arena call = Arena.ofConfined()) {
            MemorySegment result = call.allocate(ValueLayout.JAVA_DOUBLE);
            MemorySegment message = call.allocate(MESSAGE);
            int status = (int) callOnPthread.invokeExact(Adder.TYPE.cMethods(), adder.pointer(), 0, result, message,
                (long) MESSAGE);
            assertEquals(CExports.WRONG_THREAD, status);
            String text = message.getString(0);
            assertTrue(text.contains("thread-local to") && text.contains(Adder.class.getName()), text);
            assertEquals(5, adder.value(), "nothing ran");
            assertEquals(1, RefCount.count(adder.pointer().address()));
        }
    }

    @Test
    void aThreadLocalObjectsMethodFromAnotherJavaThreadIsRefusedAndItsOwnerMayCallIt() throws Throwable {
        AtomicReference<Object> seen = new AtomicReference<>();
        try (Adder adder = Adder.create(5)) {
            MemorySegment o = adder.pointer();
            Thread other = Thread.ofPlatform().start(() -> {
                try (Arena call = Arena.ofConfined()) {
                    MemorySegment out = call.allocate(I32);
                    MemorySegment message = call.allocate(MESSAGE);
                    int status = (int) callAdd.invokeExact(Adder.TYPE.cMethods(), o, 1, out, message, (long) MESSAGE);
                    seen.set(status + " " + message.getString(0));
                } catch (Throwable t) {
                    seen.set(t);
                }
            });
            assertTrue(other.join(Duration.ofSeconds(60)));
            assertTrue(seen.get() instanceof String text && text.startsWith(CExports.WRONG_THREAD + " ")
                && text.contains(other.getName()), String.valueOf(seen.get()));
            try (Arena call = Arena.ofConfined()) {
                MemorySegment out = call.allocate(I32);
                MemorySegment message = call.allocate(MESSAGE);
                assertEquals(CExports.OK, (int) callAdd.invokeExact(Adder.TYPE.cMethods(), o, 1, out, message, (long) MESSAGE));
                assertEquals(6, out.get(I32, 0), "the owner thread's call ran");
            }
        }
    }

    @Test
    void aFrozenObjectReadsFromAPthreadAndRefusesAWrite() throws Throwable {
        try (Frozen<Gauge> frozen = Isolated.consume(Gauge.create(2.0)).freeze(); Arena call = Arena.ofConfined()) {
            MemorySegment o = frozen.get().pointer();
            MemorySegment result = call.allocate(ValueLayout.JAVA_DOUBLE);
            MemorySegment message = call.allocate(MESSAGE);
            assertEquals(CExports.OK, (int) callOnPthread.invokeExact(Gauge.TYPE.cMethods(), o, 1, result, message,
                (long) MESSAGE));
            assertEquals(1.0, result.get(ValueLayout.JAVA_DOUBLE, 0), "is_above(1.0) of 2.0, read by a pthread");
            assertEquals(CExports.CAPABILITY, (int) callOnPthread.invokeExact(Gauge.TYPE.cMethods(), o, 2, result, message,
                (long) MESSAGE));
            assertTrue(message.getString(0).contains("frozen"), message.getString(0));
            assertEquals(2.0, frozen.get().level(), "the write was refused");
        }
    }

    @Test
    void aLockedObjectsMethodWantsTheLockAWriteWantsTheWriteLock() throws Throwable {
        try (Locked<Adder> locked = Isolated.consume(Adder.create(1)).lock(); Arena call = Arena.ofConfined()) {
            MemorySegment o = locked.handle().pointer();
            MemorySegment methods = Adder.TYPE.cMethods();
            MemorySegment out = call.allocate(I32);
            MemorySegment message = call.allocate(MESSAGE);
            assertEquals(CExports.NOT_LOCKED, (int) lockedAdd.invokeExact(methods, o, 0, 1, out, message, (long) MESSAGE));
            assertTrue(message.getString(0).contains("Cy_WLOCK"), message.getString(0));
            assertEquals(CExports.OK, (int) lockedAdd.invokeExact(methods, o, 1, 1, out, message, (long) MESSAGE));
            assertEquals(2, out.get(I32, 0), "under C's write lock");
            assertEquals(CExports.CAPABILITY, (int) lockedAdd.invokeExact(methods, o, 2, 1, out, message, (long) MESSAGE),
                "add writes: a read lock is not enough");
            assertTrue(message.getString(0).contains("write lock"), message.getString(0));
            try (Locked.Guard<Adder> g = locked.read()) {
                // A Java reader holds the lock: a C reader's read-only call runs beside it.
                assertEquals(CExports.OK, (int) callGet.invokeExact(methods, o, out, message, (long) MESSAGE));
                assertEquals(2, out.get(I32, 0));
                assertEquals(2, g.get().value());
            }
        }
    }

    @Test
    void everyKindOfParameterAndResultCrossesAndFailuresComeBackAsStatuses() throws Throwable {
        long adders = live(Adder.class);
        long gauges = live(Gauge.class);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment message = call.allocate(MESSAGE);
            int failedCheck = (int) gaugeTour.invokeExact(Gauge.TYPE.cMethods(), Adder.TYPE.cMethods(), message, (long) MESSAGE);
            assertEquals(0, failedCheck, "check " + failedCheck + " of gauge_tour failed");
            String text = message.getString(0);
            assertTrue(text.contains("IllegalStateException") && text.contains("broken on purpose"), text);
        }
        assertEquals(adders, live(Adder.class), "every count C took was given back");
        assertEquals(gauges, live(Gauge.class));
    }

    /**
     * CLockTest checks the lock itself over a million guarded operations of a pthread and two
     * Java threads; this one checks calls of exported methods under C's lock among Java guards:
     * no add is lost and every read-locked get sees a stable value.
     */
    @Test
    void aPthreadCallingMethodsUnderCsLockAndTwoJavaThreadsUnderGuardsLoseNoWrite() throws Throwable {
        long cOperations = 150_000;
        int javaOperations = 150_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong javaAdds = new java.util.concurrent.atomic.AtomicLong();
        try (Locked<Adder> locked = Isolated.consume(Adder.create(0)).lock(); Arena shared = Arena.ofShared()) {
            MemorySegment start = shared.allocate(I32);
            MemorySegment results = shared.allocate(I64, 2);
            assertEquals(0, (int) startContendedCalls.invokeExact(Adder.TYPE.cMethods(), locked.handle().pointer(),
                cOperations, start));
            List<Thread> threads = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Locked<Adder> mine = locked.newReference();
                threads.add(Thread.ofPlatform().start(() -> {
                    try (mine) {
                        for (int i = 0; i < javaOperations; i++) {
                            if (i % 3 == 0) {
                                try (Locked.Guard<Adder> g = mine.write()) {
                                    g.get().add(1);
                                    javaAdds.incrementAndGet();
                                }
                            } else {
                                try (Locked.Guard<Adder> g = mine.read()) {
                                    if (g.get().current() != g.get().value()) {
                                        throw new AssertionError("a value changed under a read guard");
                                    }
                                }
                            }
                        }
                    } catch (Throwable thrown) {
                        failure.compareAndSet(null, thrown);
                    }
                }));
            }
            start.set(I32, 0, 1);
            for (Thread thread : threads) {
                assertTrue(thread.join(Duration.ofSeconds(120)), thread + " did not finish");
            }
            assertEquals(0, (int) joinContendedCalls.invokeExact(results));
            assertEquals(null, failure.get(), () -> "a Java thread failed: " + failure.get());
            assertEquals(0, results.getAtIndex(I64, 1), "every C call under the lock succeeded and saw its own write");
            assertEquals((cOperations + 2) / 3, results.getAtIndex(I64, 0));
            try (Locked.Guard<Adder> g = locked.read()) {
                assertEquals(results.getAtIndex(I64, 0) + javaAdds.get(), g.get().value(), "no add was lost");
            }
        }
    }

    /** A call from C allocates nothing on the Java heap once warm: the receiver is the thread's cached borrow. */
    @Test
    void callsFromCAllocateNothingOnTheJavaHeap() throws Throwable {
        try (Adder adder = Adder.create(0)) {
            MemorySegment methods = Adder.TYPE.cMethods();
            long calls = 200_000;
            for (int round = 0; round < 5; round++) {
                assertTrue((long) addLoop.invokeExact(methods, adder.pointer(), calls) > 0);
            }
            com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            long sum = (long) addLoop.invokeExact(methods, adder.pointer(), calls);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(sum > 0, "every call succeeded");
            assertTrue(allocated < calls / 10, allocated + " bytes allocated over " + calls + " calls from C");
            assertEquals(6 * calls, adder.value());
        }
        // A locked object, its lock held (here by this thread's Java guard, which C's calls see
        // in the lock word): the thread's view of it is reused.
        try (Locked<Adder> locked = Isolated.consume(Adder.create(0)).lock(); Locked.Guard<Adder> g = locked.write()) {
            MemorySegment methods = Adder.TYPE.cMethods();
            MemorySegment o = locked.handle().pointer();
            long calls = 100_000;
            for (int round = 0; round < 5; round++) {
                assertTrue((long) addLoop.invokeExact(methods, o, calls) > 0);
            }
            com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            long sum = (long) addLoop.invokeExact(methods, o, calls);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(sum > 0, "every call under the lock succeeded");
            assertTrue(allocated < calls / 10, allocated + " bytes allocated over " + calls + " calls from C under the lock");
            assertEquals(6 * calls, g.get().value());
        }
    }

    /** A base's table takes a subclass instance and Java dispatches; tables are not inherited. */
    @Test
    void aBasesTableCallsASubclassOverrideAndRefusesAnotherClass() throws Throwable {
        try (Circle circle = Circle.create(1, 2.0); Shape shape = Shape.create(2); Gauge gauge = Gauge.create(1.0);
             Arena call = Arena.ofConfined()) {
            MemorySegment area = call.allocate(ValueLayout.JAVA_DOUBLE);
            assertEquals(CExports.OK, (int) shapeArea.invokeExact(Shape.TYPE.cMethods(), circle.pointer(), area));
            assertEquals(Math.PI * 4.0, area.get(ValueLayout.JAVA_DOUBLE, 0), 1e-12, "Circle.area, through Shape's table");
            assertEquals(CExports.OK, (int) shapeArea.invokeExact(Shape.TYPE.cMethods(), shape.pointer(), area));
            assertEquals(0.0, area.get(ValueLayout.JAVA_DOUBLE, 0));
            assertEquals(CExports.ARGUMENT, (int) shapeArea.invokeExact(Shape.TYPE.cMethods(), gauge.pointer(), area),
                "a Gauge is no Shape");
            assertEquals(Shape.TYPE.cMethods(), (MemorySegment) methodsOf.invokeExact(shape.pointer()));
            assertEquals(MemorySegment.NULL, (MemorySegment) methodsOf.invokeExact(circle.pointer()),
                "Circle exports nothing of its own: its type object has no table");
        }
        Shape.DEALLOCATED.clear();
    }
}
