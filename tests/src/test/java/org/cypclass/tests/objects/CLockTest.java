package org.cypclass.tests.objects;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Pair;
import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.tests.support.Gcc;
import org.cypclass.tests.support.ThreadStates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * C takes the lock of a locked object ({@code Cy_WLOCK} and family in {@code cyobject.h},
 * {@code c_lock.c}) and Java's guards take the same one: a C writer excludes Java readers and
 * writers and the other way round, a C thread that waits parks in Java's parking lot and is
 * woken by a Java release, a Java thread parked behind C is woken by C's release, and a pthread
 * and two Java threads keep the lock's invariant over a million guarded operations.
 */
class CLockTest {

    /** Readers inside count 1 each, writers inside {@value} each: the same encoding as c_lock.c. */
    private static final int WRITER_INSIDE = 1 << 16;
    private static final VarHandle OCCUPANCY = ValueLayout.JAVA_INT.varHandle();

    @TempDir
    static Path dir;
    private static Arena arena;
    private static MethodHandle startLocking;
    private static MethodHandle joinLocking;
    private static MethodHandle wlock;
    private static MethodHandle rlock;
    private static MethodHandle unwlock;
    private static MethodHandle unrlock;
    private static MethodHandle trywlock;
    private static MethodHandle tryrlock;
    private static MethodHandle startWriter;
    private static MethodHandle joinWriter;

    @BeforeAll
    static void compileTheLibrary() throws Exception {
        Gcc.assumeAvailable();
        Path library = Gcc.compile(dir.resolve("libc_lock.so"), List.of("-shared", "-fPIC", "-pthread"), "c_lock.c");
        arena = Arena.ofShared();
        SymbolLookup lib = Gcc.load(library, arena);
        ValueLayout.OfLong i64 = ValueLayout.JAVA_LONG;
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
        startLocking = Gcc.downcall(lib, "start_locking",
            FunctionDescriptor.of(i32, ValueLayout.ADDRESS, i64, i64, ValueLayout.ADDRESS, i64));
        joinLocking = Gcc.downcall(lib, "join_locking", FunctionDescriptor.of(i32, ValueLayout.ADDRESS));
        wlock = Gcc.downcall(lib, "wlock", FunctionDescriptor.of(i32, ValueLayout.ADDRESS));
        rlock = Gcc.downcall(lib, "rlock", FunctionDescriptor.of(i32, ValueLayout.ADDRESS));
        unwlock = Gcc.downcall(lib, "unwlock", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        unrlock = Gcc.downcall(lib, "unrlock", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        trywlock = Gcc.downcall(lib, "trywlock", FunctionDescriptor.of(i32, ValueLayout.ADDRESS));
        tryrlock = Gcc.downcall(lib, "tryrlock", FunctionDescriptor.of(i32, ValueLayout.ADDRESS));
        startWriter = Gcc.downcall(lib, "start_writer", FunctionDescriptor.of(i32, ValueLayout.ADDRESS, i64, i64));
        joinWriter = Gcc.downcall(lib, "join_writer", FunctionDescriptor.of(i32));
    }

    @AfterAll
    static void unloadTheLibrary() {
        if (arena != null) {
            arena.close();
        }
    }

    private static Locked<Pair> lockedPair() {
        return Isolated.consume(Pair.create(0)).lock();
    }

    private static MemorySegment pointer(Locked<Pair> locked) {
        return locked.handle().pointer();
    }

    @Test
    void aPthreadAndTwoJavaThreadsKeepTheInvariantOverAMillionGuardedOperations() throws Throwable {
        long cOperations = 400_000;
        int javaOperations = 300_000;
        AtomicLong javaViolations = new AtomicLong();
        AtomicLong javaWrites = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long deathsBefore = Pair.DEATHS.get();
        try (Locked<Pair> locked = lockedPair(); Arena shared = Arena.ofShared()) {
            // [0] who is inside, [1] the start signal, so that the three threads overlap.
            MemorySegment occupancy = shared.allocate(ValueLayout.JAVA_INT, 2);
            MemorySegment results = shared.allocate(ValueLayout.JAVA_LONG, 4);
            int started = (int) startLocking.invokeExact(pointer(locked), Pair.TYPE.offsetOf("left"),
                Pair.TYPE.offsetOf("right"), occupancy, cOperations);
            assertEquals(0, started, "pthread_create");
            List<Thread> javaThreads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Locked<Pair> mine = locked.newReference();
                javaThreads.add(Thread.ofPlatform().start(() -> {
                    try (mine) {
                        while ((int) OCCUPANCY.getVolatile(occupancy, 4L) == 0) {
                            Thread.onSpinWait();
                        }
                        for (int i = 0; i < javaOperations; i++) {
                            if (i % 3 == 0) {
                                try (Locked.Guard<Pair> g = mine.write()) {
                                    if ((int) OCCUPANCY.getAndAdd(occupancy, 0L, WRITER_INSIDE) != 0) {
                                        javaViolations.incrementAndGet();
                                    }
                                    Pair p = g.get();
                                    p.left(p.left() + 1);
                                    if (i % 1500 == 0) {
                                        LockSupport.parkNanos(50_000);   // a long hold: the pthread parks behind it
                                    }
                                    p.right(p.right() + 1);
                                    javaWrites.incrementAndGet();
                                    OCCUPANCY.getAndAdd(occupancy, 0L, -WRITER_INSIDE);
                                }
                            } else {
                                try (Locked.Guard<Pair> g = mine.read()) {
                                    if (((int) OCCUPANCY.getAndAdd(occupancy, 0L, 1) & -WRITER_INSIDE) != 0) {
                                        javaViolations.incrementAndGet();
                                    }
                                    if (g.get().left() != g.get().right()) {
                                        javaViolations.incrementAndGet();
                                    }
                                    OCCUPANCY.getAndAdd(occupancy, 0L, -1);
                                }
                            }
                        }
                    } catch (Throwable thrown) {
                        failure.compareAndSet(null, thrown);
                    }
                }));
            }
            OCCUPANCY.setVolatile(occupancy, 4L, 1);
            for (Thread thread : javaThreads) {
                assertTrue(thread.join(Duration.ofSeconds(60)), thread + " did not finish within a minute");
            }
            assertEquals(0, (int) joinLocking.invokeExact(results), "pthread_join");
            assertNull(failure.get(), () -> "a Java thread failed: " + failure.get());
            long cViolations = results.getAtIndex(ValueLayout.JAVA_LONG, 0);
            long cWrites = results.getAtIndex(ValueLayout.JAVA_LONG, 1);
            long cErrors = results.getAtIndex(ValueLayout.JAVA_LONG, 2);
            long cContended = results.getAtIndex(ValueLayout.JAVA_LONG, 3);
            assertEquals(0, cErrors, "every C lock call took the lock");
            assertTrue(cContended > 0, "the pthread never found the lock taken: the test did not exercise waiting");
            assertEquals(0, cViolations, "C never saw a reader beside a writer, two writers, or a torn pair");
            assertEquals(0, javaViolations.get(), "Java never saw a reader beside a writer, two writers, or a torn pair");
            assertEquals((cOperations + 2) / 3, cWrites);
            assertEquals(2 * ((javaOperations + 2) / 3), javaWrites.get());
            try (Locked.Guard<Pair> g = locked.read()) {
                assertEquals(cWrites + javaWrites.get(), g.get().left(), "no write was lost: writers excluded each other");
                assertEquals(g.get().left(), g.get().right());
            }
            assertEquals(0, (int) OCCUPANCY.getVolatile(occupancy, 0L));
            assertEquals(CyObjectHeader.LOCKED | CyObjectHeader.ATOMIC_REFCOUNT, RefCount.state(pointer(locked).address()),
                "the lock is free and nobody is parked");
        }
        assertEquals(deathsBefore + 1, Pair.DEATHS.get());
    }

    @Test
    void aCWriterExcludesJavaGuardsAndAJavaThreadParkedBehindItIsWokenByCsRelease() throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Locked<Pair> locked = lockedPair(); Locked<Pair> other = locked.newReference()) {
            MemorySegment o = pointer(locked);
            assertEquals(0, (int) wlock.invokeExact(o));
            assertEquals(0, (int) trywlock.invokeExact(o), "C's write lock is not reentrant");
            assertEquals(0, (int) tryrlock.invokeExact(o));
            assertNull(locked.tryRead(Duration.ofMillis(20)), "C's writer keeps Java readers out");
            assertNull(locked.tryWrite(Duration.ofMillis(20)), "C's writer keeps Java writers out");
            Thread reader = Thread.ofPlatform().start(() -> {
                try (Locked.Guard<Pair> g = other.read()) {
                    assertEquals(7, g.get().left(), "C's write happened before this read");
                    assertEquals(7, g.get().right());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            ThreadStates.awaitWaiting(reader, "the lock C holds");
            awaitState(o, CyObjectHeader.PARKED);
            writeUnderCsLock(o, 7);

            unwlock.invokeExact(o);     // sees PARKED: tp_lock_wake wakes the Java reader

            assertTrue(reader.join(Duration.ofSeconds(60)), "the parked Java reader was woken by C's release");
            assertNull(failure.get(), () -> "the reader failed: " + failure.get());
            assertEquals(CyObjectHeader.LOCKED | CyObjectHeader.ATOMIC_REFCOUNT, RefCount.state(o.address()));
        }
    }

    /** Writes both numbers of the pair at {@code o} while C holds its write lock, as C code would. */
    @SuppressWarnings("restricted")
    private static void writeUnderCsLock(MemorySegment o, long value) {
        MemorySegment pair = o.reinterpret(Pair.TYPE.layout().byteSize());
        pair.set(ValueLayout.JAVA_LONG, Pair.TYPE.offsetOf("left"), value);
        pair.set(ValueLayout.JAVA_LONG, Pair.TYPE.offsetOf("right"), value);
    }

    @Test
    void aJavaWriterExcludesCAndACThreadParkedBehindItIsWokenByJavasRelease() throws Throwable {
        try (Locked<Pair> locked = lockedPair()) {
            MemorySegment o = pointer(locked);
            long left = Pair.TYPE.offsetOf("left");
            try (Locked.Guard<Pair> g = locked.write()) {
                assertEquals(0, (int) trywlock.invokeExact(o), "Java's writer keeps C writers out");
                assertEquals(0, (int) tryrlock.invokeExact(o), "and C readers");
                assertEquals(0, (int) startWriter.invokeExact(o, left, 9L), "pthread_create");
                // The pthread spins briefly, then parks in Java's parking lot through tp_lock_wait.
                awaitState(o, CyObjectHeader.WRITER_WAITING);
                g.get().set(3);
            }                                   // Java's release wakes the parked pthread
            assertEquals(0, (int) joinWriter.invokeExact(), "the pthread's Cy_WLOCK returned 0");
            try (Locked.Guard<Pair> g = locked.read()) {
                assertEquals(9, g.get().left(), "the C writer ran after the Java writer");
                assertEquals(3, g.get().right());
                assertEquals(0, (int) trywlock.invokeExact(o), "a Java reader keeps C writers out");
                assertEquals(1, (int) tryrlock.invokeExact(o), "but C readers share with Java readers");
                assertEquals(0, (int) rlock.invokeExact(o));
                unrlock.invokeExact(o);
                unrlock.invokeExact(o);
            }
            assertEquals(CyObjectHeader.LOCKED | CyObjectHeader.ATOMIC_REFCOUNT, RefCount.state(o.address()));
        }
    }

    @Test
    void aJavaThreadWaitingInCsLockCallKeepsWaitingWhenInterruptedAndKeepsTheInterrupt() throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        try (Locked<Pair> locked = lockedPair()) {
            MemorySegment o = pointer(locked);
            Thread waiter;
            try (Locked.Guard<Pair> g = locked.write()) {
                waiter = Thread.ofPlatform().start(() -> {
                    try {
                        int taken = (int) wlock.invokeExact(o);   // a downcall that waits in tp_lock_wait
                        interruptKept.set(Thread.currentThread().isInterrupted());
                        if (taken == 0) {
                            unwlock.invokeExact(o);
                        }
                        assertEquals(0, taken, "C cannot receive an InterruptedException: the wait goes on");
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                ThreadStates.awaitWaiting(waiter, "the lock Java holds");
                waiter.interrupt();
                g.get().set(1);
            }
            assertTrue(waiter.join(Duration.ofSeconds(60)), "the C waiter took the lock once Java released it");
            assertNull(failure.get(), () -> "the waiter failed: " + failure.get());
            assertTrue(interruptKept.get(), "the interrupt is kept for the thread's Java code");
            assertEquals(CyObjectHeader.LOCKED | CyObjectHeader.ATOMIC_REFCOUNT, RefCount.state(o.address()));
        }
    }

    @Test
    void lockCallsOnAnObjectThatIsNotLockedTakeNothing() throws Throwable {
        try (Adder local = Adder.create(1);
             Frozen<Adder> frozen = Isolated.consume(Adder.create(2)).freeze()) {
            for (MemorySegment o : List.of(local.pointer(), frozen.get().pointer())) {
                int state = RefCount.state(o.address());
                assertEquals(-1, (int) wlock.invokeExact(o));
                assertEquals(-1, (int) rlock.invokeExact(o));
                assertEquals(0, (int) trywlock.invokeExact(o));
                assertEquals(0, (int) tryrlock.invokeExact(o));
                assertEquals(state, RefCount.state(o.address()), "the state word is unchanged");
            }
        }
    }

    /** Waits until the lock bits of {@code o}'s state word include {@code bits}: a thread parked on it. */
    private static void awaitState(MemorySegment o, int bits) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((RefCount.state(o.address()) & bits) != bits) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no thread parked on the lock within a minute; state "
                    + Integer.toHexString(RefCount.state(o.address())));
            }
            Thread.onSpinWait();
        }
    }
}
