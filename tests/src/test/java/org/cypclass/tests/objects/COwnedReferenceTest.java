package org.cypclass.tests.objects;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.cypclass.examples.Fragile;
import org.cypclass.examples.Node;
import org.cypclass.examples.Shape;
import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * C code owning references ({@code c_owner.c}): the {@code Cy_DECREF} that releases the last
 * reference destroys the instance through {@code ob_type->tp_dealloc} exactly as Java would
 * (dealloc hook, reference fields, block), on the owner thread or, for a shared instance, on a
 * native thread; on a foreign thread a thread-local instance is handed to its owner.
 */
class COwnedReferenceTest {

    /** Held strongly: java.util.logging forgets a logger nobody references, and its handlers. */
    private static final Logger MEMORY_LOG = Logger.getLogger("org.cypclass.memory");

    @TempDir
    static Path dir;
    private static Arena arena;
    private static MethodHandle hold;
    private static MethodHandle drop;
    private static MethodHandle dropOnNativeThread;
    private static MethodHandle incref;
    private static MethodHandle xdecref;
    private static MethodHandle callTpDealloc;

    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (warnings) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void compileTheLibrary() throws Exception {
        Gcc.assumeAvailable();
        Path library = Gcc.compile(dir.resolve("libc_owner.so"), List.of("-shared", "-fPIC", "-pthread"), "c_owner.c");
        arena = Arena.ofShared();
        SymbolLookup lib = Gcc.load(library, arena);
        hold = Gcc.downcall(lib, "hold", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        drop = Gcc.downcall(lib, "drop", FunctionDescriptor.ofVoid());
        dropOnNativeThread = Gcc.downcall(lib, "drop_on_native_thread", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        incref = Gcc.downcall(lib, "incref", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        xdecref = Gcc.downcall(lib, "xdecref", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        callTpDealloc = Gcc.downcall(lib, "call_tp_dealloc", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    @AfterAll
    static void unloadTheLibrary() {
        if (arena != null) {
            arena.close();
        }
    }

    @BeforeEach
    void listen() {
        Shape.DEALLOCATED.clear();
        MEMORY_LOG.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        MEMORY_LOG.removeHandler(capture);
    }

    @Test
    void cReleasingTheLastReferenceOnTheOwnerThreadDestroysTheInstanceAsJavaWould() throws Throwable {
        long live = liveShapes();
        long child = childHeldByC();
        assertEquals(live + 2, liveShapes(), "C's reference keeps the child, whose field keeps the parent");
        assertEquals(1, RefCount.count(child));
        assertEquals(List.of(), Shape.DEALLOCATED);

        drop.invokeExact();

        assertEquals(List.of("shape 2", "shape 1"), Shape.DEALLOCATED,
            "the child's @Dealloc hook ran, then releasing its reference field killed the parent");
        assertEquals(live, liveShapes(), "both blocks were freed");
        assertEquals(List.of(), messages());
    }

    @Test
    void cReleasingTheLastReferenceToASharedInstanceOnANativeThreadDestroysItThere() throws Throwable {
        long live = liveShapes();
        Shape parent = Shape.create(1);
        long parentAddress = parent.pointer().address();
        long child;
        try (Shape shape = Shape.create(2)) {
            shape.parent(parent);
            parent.close();
            child = shape.pointer().address();
            hold.invokeExact(shape.pointer());
        }
        // Java holds nothing now; share both before another thread can see them.
        RefCount.share(child);
        RefCount.share(parentAddress);
        assertEquals(CyObjectHeader.OWNER_SHARED, RefCount.owner(child));

        assertEquals(0, (int) dropOnNativeThread.invokeExact());

        synchronized (Shape.DEALLOCATED) {
            assertEquals(List.of("shape 2", "shape 1"), Shape.DEALLOCATED, "the hooks ran on the native thread");
        }
        assertEquals(live, liveShapes());
        assertEquals(List.of(), messages());
    }

    @Test
    void theDestructorRunsOnTheNativeThreadThatReleasedTheLastReference() throws Throwable {
        List<Thread> ranOn = new ArrayList<>();
        int type = BlockTypes.register("org.cypclass.tests.NativeDestructorProbe", address -> ranOn.add(Thread.currentThread()));
        long object = RefCount.allocate(type, CyObjectHeader.SIZE);
        hold.invokeExact(MemorySegment.ofAddress(object));
        RefCount.release(object);
        RefCount.share(object);

        assertEquals(0, (int) dropOnNativeThread.invokeExact());

        assertEquals(1, ranOn.size());
        assertNotEquals(Thread.currentThread(), ranOn.getFirst());
        assertEquals(0, MemoryStats.snapshot().of("org.cypclass.tests.NativeDestructorProbe").liveBlocks());
    }

    @Test
    void cXDecrefOfNullDoesNothingAndOfAnObjectReleasesIt() throws Throwable {
        long live = liveShapes();
        Shape shape = Shape.create(3);
        MemorySegment pointer = shape.pointer();
        long address = pointer.address();
        xdecref.invokeExact(MemorySegment.NULL);
        incref.invokeExact(pointer);
        assertEquals(2, RefCount.count(address));
        xdecref.invokeExact(MemorySegment.NULL);
        assertEquals(2, RefCount.count(address), "Cy_XDECREF(NULL) left the count alone");
        shape.close();
        assertEquals(1, RefCount.count(address));

        xdecref.invokeExact(pointer);

        assertEquals(List.of("shape 3"), Shape.DEALLOCATED, "Cy_XDECREF of the last reference destroyed it");
        assertEquals(live, liveShapes());
    }

    @Test
    void cReleasingTheLastReferenceOnAForeignThreadHandsTheDestructionToTheOwner() throws Throwable {
        long live = liveShapes();
        long child = childHeldByC();

        assertEquals(0, (int) dropOnNativeThread.invokeExact(), "a native thread breaks the rule");

        assertEquals(0, RefCount.count(child), "the count is zero");
        assertEquals(Thread.currentThread().threadId(), RefCount.owner(child), "but the object was not touched");
        assertEquals(CyObjectHeader.LOCAL, RefCount.state(child));
        assertEquals(live + 2, liveShapes());
        assertEquals(List.of(), Shape.DEALLOCATED, "no hook ran on the foreign thread");
        List<String> messages = messages();
        assertEquals(1, messages.size(), messages.toString());
        assertTrue(messages.getFirst().contains("C released the last reference to <org.cypclass.examples.Shape object at 0x"
            + Long.toHexString(child) + "> on thread"), messages.getFirst());
        assertTrue(messages.getFirst().contains("thread-local to thread \"" + Thread.currentThread().getName() + "\" (id "
            + Thread.currentThread().threadId() + ")"), messages.getFirst());

        assertEquals(1, CyObject.releaseCollected(), "the owner runs the destruction it was handed");

        assertEquals(List.of("shape 2", "shape 1"), Shape.DEALLOCATED);
        assertEquals(live, liveShapes());
    }

    @Test
    void aFailingDeallocHookIsReportedNotThrownIntoC() throws Throwable {
        Fragile fragile = Fragile.create();
        try (Node node = Node.create(7, null)) {
            fragile.held(node);
        }
        fragile.failOnDealloc(true);
        hold.invokeExact(fragile.pointer());
        fragile.close();

        drop.invokeExact();                 // an exception escaping the upcall would end the JVM

        assertEquals(0, MemoryStats.snapshot().of(Fragile.class.getName()).liveBlocks());
        assertEquals(0, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks(), "the held node was released too");
        assertEquals(1, warnings.size());
        Throwable thrown = warnings.getFirst().getThrown();
        assertEquals("dealloc failure for the test", rootCause(thrown).getMessage());
    }

    @Test
    void tpDeallocCalledWhileTheCountIsNotZeroIsReportedAndChangesNothing() throws Throwable {
        long live = liveShapes();
        try (Shape shape = Shape.create(4)) {
            callTpDealloc.invokeExact(shape.pointer());
            assertEquals(1, RefCount.count(shape.pointer().address()));
            assertEquals(4, shape.id(), "the instance is intact");
        }
        assertEquals(List.of("shape 4"), Shape.DEALLOCATED);
        assertEquals(live, liveShapes());
        assertEquals(1, warnings.size());
        assertTrue(rootCause(warnings.getFirst().getThrown()).getMessage().contains("whose count is 1, not 0"),
            warnings.getFirst().getThrown().toString());
    }

    /** A child Shape (id 2) with a parent (id 1), whose only reference C holds; returns the child's address. */
    private static long childHeldByC() throws Throwable {
        try (Shape parent = Shape.create(1); Shape child = Shape.create(2)) {
            child.parent(parent);
            hold.invokeExact(child.pointer());
            return child.pointer().address();
        }
    }

    private static long liveShapes() {
        return MemoryStats.snapshot().of(Shape.class.getName()).liveBlocks();
    }

    private List<String> messages() {
        synchronized (warnings) {
            return warnings.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage).toList();
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
