package org.cypclass.tests.objects;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Big;
import org.cypclass.examples.Circle;
import org.cypclass.examples.Pair;
import org.cypclass.examples.Shape;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyType;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pointers handed back from C ({@code c_lock.c}: hold, {@code Cy_GETREF}, give back) through
 * {@link CyType#adopt}: C's count becomes the Java reference's, counts stay exact, and foreign,
 * dead, mistyped and wrong-thread pointers are refused with the reason and no count changed.
 */
class CAdoptTest {

    @TempDir
    static Path dir;
    private static Arena arena;
    private static MethodHandle hold;
    private static MethodHandle heldRefcnt;
    private static MethodHandle heldField;
    private static MethodHandle giveBack;
    private static MethodHandle drop;
    private static MethodHandle getref;
    private static MethodHandle wlock;
    private static MethodHandle unwlock;

    @BeforeAll
    static void compileTheLibrary() throws Exception {
        Gcc.assumeAvailable();
        Path library = Gcc.compile(dir.resolve("libc_adopt.so"), List.of("-shared", "-fPIC", "-pthread"), "c_lock.c");
        arena = Arena.ofShared();
        SymbolLookup lib = Gcc.load(library, arena);
        hold = Gcc.downcall(lib, "hold", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        heldRefcnt = Gcc.downcall(lib, "held_refcnt", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        heldField = Gcc.downcall(lib, "held_field", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        giveBack = Gcc.downcall(lib, "give_back", FunctionDescriptor.of(ValueLayout.ADDRESS));
        drop = Gcc.downcall(lib, "drop", FunctionDescriptor.ofVoid());
        getref = Gcc.downcall(lib, "getref", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        wlock = Gcc.downcall(lib, "wlock", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        unwlock = Gcc.downcall(lib, "unwlock", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    @AfterAll
    static void unloadTheLibrary() {
        if (arena != null) {
            arena.close();
        }
    }

    @BeforeEach
    void nothingHeld() throws Throwable {
        MemorySegment left = (MemorySegment) giveBack.invokeExact();
        assertEquals(0, left.address(), "a previous test left a pointer in C");
    }

    @Test
    void cKeepsTheLastReferenceThenGivesItBackAndJavaOwnsItsCount() throws Throwable {
        long live = live(Adder.class);
        long address;
        try (Adder adder = Adder.create(41)) {
            address = adder.pointer().address();
            hold.invokeExact(adder.pointer());
            assertEquals(2, (int) getref.invokeExact(adder.pointer()), "Cy_GETREF reads Java's count and C's");
        }
        assertEquals(1, (int) heldRefcnt.invokeExact(), "Java's last reference went: C's keeps the object");
        assertEquals(41, (long) heldField.invokeExact(Adder.TYPE.offsetOf("value")) & 0xFFFF_FFFFL);
        assertEquals(live + 1, live(Adder.class));

        MemorySegment pointer = (MemorySegment) giveBack.invokeExact();
        try (Adder back = Adder.TYPE.adopt(pointer)) {
            assertEquals(address, back.pointer().address());
            assertEquals(1, RefCount.count(address), "C's count became the reference's: nothing moved");
            assertEquals(42, back.add(1), "an ordinary owned reference");
        }
        assertEquals(live, live(Adder.class), "closing it released the last count");
    }

    @Test
    void aSubclassInstanceIsAdoptedAsItsBaseTypeAndKeepsItsClass() throws Throwable {
        try (Circle circle = Circle.create(5, 2.0)) {
            hold.invokeExact(circle.pointer());
        }
        MemorySegment pointer = (MemorySegment) giveBack.invokeExact();
        try (Shape shape = Shape.TYPE.adopt(pointer)) {
            Circle back = assertInstanceOf(Circle.class, shape);
            assertEquals(5, back.id());
            assertEquals(1, RefCount.count(pointer.address()));
        }
        Shape.DEALLOCATED.clear();
    }

    @Test
    void aBigInstanceRoundTripsAndIsRefusedOnceFreed() throws Throwable {
        long live = live(Big.class);
        MemorySegment pointer;
        try (Big big = Big.create()) {
            big.data(1099, 77L);
            hold.invokeExact(big.pointer());
        }
        pointer = (MemorySegment) giveBack.invokeExact();
        try (Big back = Big.TYPE.adopt(pointer)) {
            assertEquals(77L, back.data(1099));
            assertEquals(1, RefCount.count(pointer.address()));
        }
        assertEquals(live, live(Big.class));
        IllegalArgumentException freed = assertThrows(IllegalArgumentException.class, () -> Big.TYPE.adopt(pointer));
        assertTrue(freed.getMessage().contains("not an object of the Cypclass allocator"), freed.getMessage());
        assertEquals(live, live(Big.class));
    }

    @Test
    void aLockedObjectCLockedAndGaveBackIsReachedThroughLockedFrom() throws Throwable {
        long deaths = Pair.DEATHS.get();
        try (Locked<Pair> locked = Isolated.consume(Pair.create(1)).lock()) {
            hold.invokeExact(locked.handle().pointer());
        }
        assertEquals(1, (int) heldRefcnt.invokeExact(), "C holds the locked pair alone");
        MemorySegment pointer = (MemorySegment) giveBack.invokeExact();
        assertEquals(0, (int) wlock.invokeExact(pointer));
        unwlock.invokeExact(pointer);
        try (Pair value = Pair.TYPE.adopt(pointer); Locked<Pair> locked = Locked.from(value)) {
            assertThrows(CapabilityException.class, value::left, "a locked object's fields need a guard");
            try (Locked.Guard<Pair> g = locked.read()) {
                assertEquals(1, g.get().left());
            }
            assertEquals(2, RefCount.count(pointer.address()));
        }
        assertEquals(deaths + 1, Pair.DEATHS.get());
    }

    @Test
    void aFrozenObjectIsAdoptedOnAnyThread() throws Throwable {
        try (Frozen<Adder> frozen = Isolated.consume(Adder.create(8)).freeze()) {
            hold.invokeExact(frozen.get().pointer());
            MemorySegment pointer = (MemorySegment) giveBack.invokeExact();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try (Adder back = Adder.TYPE.adopt(pointer)) {
                    assertEquals(8, back.value());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            assertTrue(other.join(Duration.ofSeconds(60)));
            assertNull(failure.get(), () -> "adopting on another thread failed: " + failure.get());
            assertEquals(1, RefCount.count(pointer.address()), "the adopted count was closed; the Frozen's remains");
        }
    }

    @Test
    void aDeadPointerIsRefusedWithNoCountChanged() throws Throwable {
        long live = live(Adder.class);
        MemorySegment pointer;
        try (Adder adder = Adder.create(3)) {
            pointer = adder.pointer();
            hold.invokeExact(pointer);
        }
        drop.invokeExact();                 // C's Cy_DECREF of the last reference destroys it
        assertEquals(live, live(Adder.class));

        // Misuse: C hands back the pointer whose count it gave away (nothing reused the block yet).
        IllegalArgumentException dead = assertThrows(IllegalArgumentException.class, () -> Adder.TYPE.adopt(pointer));
        assertTrue(dead.getMessage().contains("cannot adopt the pointer 0x" + Long.toHexString(pointer.address())
            + " as a org.cypclass.examples.Adder: the object is dead"), dead.getMessage());
        assertTrue(dead.getMessage().contains("no count was changed"), dead.getMessage());
        assertEquals(0, RefCount.count(pointer.address()), "the dead object's count is still 0");
        assertEquals(live, live(Adder.class));
    }

    @Test
    void aForeignPointerIsRefusedWithoutBeingRead() {
        try (Arena confined = Arena.ofConfined(); Adder adder = Adder.create(5)) {
            MemorySegment malloced = confined.allocate(64, 16);
            IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class, () -> Adder.TYPE.adopt(malloced));
            assertTrue(foreign.getMessage().contains("not an object of the Cypclass allocator"), foreign.getMessage());
            // Into the middle of a live object: its address is in the allocator's chunks, not a block's start.
            MemorySegment inside = MemorySegment.ofAddress(adder.pointer().address() + 16);
            IllegalArgumentException interior = assertThrows(IllegalArgumentException.class, () -> Adder.TYPE.adopt(inside));
            assertTrue(interior.getMessage().contains("not an object of the Cypclass allocator"), interior.getMessage());
            // Unmapped memory: refused from the allocator's bookkeeping, never read (reading it would crash).
            MemorySegment unmapped = MemorySegment.ofAddress(0x10);
            assertThrows(IllegalArgumentException.class, () -> Adder.TYPE.adopt(unmapped));
            IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> Adder.TYPE.adopt(MemorySegment.NULL));
            assertTrue(nul.getMessage().contains("NULL"), nul.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Adder.TYPE.adopt(MemorySegment.ofArray(new byte[64])));
            assertEquals(1, RefCount.count(adder.pointer().address()), "no count changed");
        }
    }

    @Test
    void aMistypedPointerIsRefusedWithNoCountChanged() throws Throwable {
        try (Shape shape = Shape.create(6)) {
            hold.invokeExact(shape.pointer());
            MemorySegment pointer = (MemorySegment) giveBack.invokeExact();
            IllegalArgumentException mistyped = assertThrows(IllegalArgumentException.class, () -> Adder.TYPE.adopt(pointer));
            assertTrue(mistyped.getMessage().contains("it is a org.cypclass.examples.Shape, not a org.cypclass.examples.Adder"),
                mistyped.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Circle.TYPE.adopt(pointer), "a base is not its subclass");
            assertEquals(2, RefCount.count(pointer.address()), "C's count is still C's");
            try (Shape back = Shape.TYPE.adopt(pointer)) {
                assertEquals(6, back.id());
            }
            assertEquals(1, RefCount.count(pointer.address()));
        }
        Shape.DEALLOCATED.clear();
    }

    @Test
    void aThreadLocalPointerIsAdoptedOnlyOnItsOwnerThread() throws Throwable {
        try (Adder adder = Adder.create(9)) {
            hold.invokeExact(adder.pointer());
            MemorySegment pointer = (MemorySegment) giveBack.invokeExact();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try (CyObject wrong = Adder.TYPE.adopt(pointer)) {
                    thrown.set(new AssertionError("adopted on another thread: " + wrong));
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            assertTrue(other.join(Duration.ofSeconds(60)));
            WrongThreadException refused = assertInstanceOf(WrongThreadException.class, thrown.get());
            assertTrue(refused.getMessage().contains("is thread-local to"), refused.getMessage());
            assertEquals(2, RefCount.count(pointer.address()), "no count changed");
            try (Adder back = Adder.TYPE.adopt(pointer)) {
                assertEquals(9, back.value());
            }
            assertEquals(1, RefCount.count(pointer.address()));
        }
    }

    @Test
    void anOrphanIsAdoptedByTheThreadThatTakesItBack() throws Throwable {
        AtomicReference<MemorySegment> pointer = new AtomicReference<>();
        Thread owner = Thread.ofPlatform().start(() -> {
            try (Adder adder = Adder.create(12)) {
                hold.invokeExact(adder.pointer());
                pointer.set((MemorySegment) giveBack.invokeExact());
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        });
        assertTrue(owner.join(Duration.ofSeconds(60)));
        assertEquals(owner.threadId(), RefCount.owner(pointer.get().address()), "C holds an orphan");
        try (Adder back = Adder.TYPE.adopt(pointer.get())) {
            assertEquals(Thread.currentThread().threadId(), RefCount.owner(pointer.get().address()));
            assertEquals(12, back.value());
            assertEquals(1, RefCount.count(pointer.get().address()));
        }
    }

    @Test
    void anObjectInsideALockedGraphIsRefusedWithNoCountChanged() throws Throwable {
        try (Locked<Pair> locked = Isolated.consume(Pair.chain(2)).lock()) {
            MemorySegment member;
            try (Locked.Guard<Pair> g = locked.write()) {
                member = g.get().next().pointer();
                hold.invokeExact(member);
            }
            assertEquals(2, RefCount.count(member.address()), "the root's field and C");
            CapabilityException refused = assertThrows(CapabilityException.class, () -> Pair.TYPE.adopt(member));
            assertTrue(refused.getMessage().contains("inside a locked graph"), refused.getMessage());
            assertEquals(2, RefCount.count(member.address()), "no count changed");
            drop.invokeExact();
            assertEquals(1, RefCount.count(member.address()));
        }
    }

    private static long live(Class<?> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBlocks();
    }
}
