package org.cypclass.tests.objects;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.cypclass.examples.Blob;
import org.cypclass.examples.Node;
import org.cypclass.examples.Samples;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.ElementsView;
import org.cypclass.objects.generated.CyTypes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Flexible array members ({@code double[] values()} without {@code @Length}): sized at
 * creation, zeroed, bounds-checked element access, bulk copies with arrays and segments that
 * check every range before copying, and views that cannot outlive their instance.
 */
class FlexibleArrayTest {

    private static long live(Class<?> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBlocks();
    }

    private static long liveBytes(Class<?> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBytes();
    }

    private static double[] ramp(int n) {
        double[] values = new double[n];
        Arrays.setAll(values, i -> i + 0.5);
        return values;
    }

    @Test
    void theFactoryTakesTheCountFirstAndTheElementsStartZeroed() {
        try (Samples samples = Samples.create(6, 3)) {
            assertEquals(6, samples.valuesLength());
            assertEquals(3, samples.dims());
            for (long i = 0; i < 6; i++) {
                assertEquals(0.0, samples.values(i));
            }
            samples.values(5, 2.5);
            samples.values(0, -1.0);
            assertEquals(2.5, samples.values(5));
            assertEquals(-1.0, samples.values(0));
            assertEquals(1.5, samples.sum());
        }
        assertEquals(0, live(Samples.class));
    }

    @Test
    void aReusedBlockStartsZeroedToo() {
        try (Blob first = Blob.create(100)) {
            first.bytesCopyFrom(0, filled(100, (byte) -1), 0, 100);
            first.tag((short) 7);
        }
        try (Blob second = Blob.create(100)) {
            byte[] read = filled(100, (byte) 1);
            second.bytesCopyTo(0, read, 0, 100);
            assertArrayEquals(new byte[100], read);
            assertEquals(0, second.tag());
        }
    }

    private static byte[] filled(int n, byte value) {
        byte[] bytes = new byte[n];
        Arrays.fill(bytes, value);
        return bytes;
    }

    @Test
    void oddAndZeroCountsWork() {
        try (Blob three = Blob.create(3); Blob none = Blob.create(0)) {
            assertEquals(3, three.bytesLength());
            three.bytes(2, (byte) 42);
            assertEquals(42, three.bytes(2));
            assertThrows(IndexOutOfBoundsException.class, () -> three.bytes(3));
            assertEquals(0, none.bytesLength());
            assertThrows(IndexOutOfBoundsException.class, () -> none.bytes(0));
            assertThrows(IndexOutOfBoundsException.class, () -> none.bytes(0, (byte) 1));
            none.bytesCopyTo(0, new byte[0], 0, 0);
            try (ElementsView view = none.bytesView()) {
                assertEquals(0, view.segment().byteSize());
            }
        }
    }

    @Test
    void elementAccessIsBoundsCheckedAgainstTheStoredCount() {
        try (Samples samples = Samples.create(4, 2)) {
            samples.values(3, 9.0);
            assertThrows(IndexOutOfBoundsException.class, () -> samples.values(4));
            assertThrows(IndexOutOfBoundsException.class, () -> samples.values(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> samples.values(4, 1.0));
            assertThrows(IndexOutOfBoundsException.class, () -> samples.values(Long.MIN_VALUE, 1.0));
            assertEquals(9.0, samples.values(3), "nothing was written");
        }
    }

    @Test
    void bulkCopiesWithArraysGoBothWays() {
        try (Samples samples = Samples.create(10, 1)) {
            samples.valuesCopyFrom(2, ramp(8), 1, 6);       // elements 2..7 = 1.5 .. 6.5
            double[] out = new double[12];
            samples.valuesCopyTo(0, out, 2, 10);
            assertArrayEquals(new double[] {0, 0, 0, 0, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 0, 0}, out);
            assertEquals(4.5, samples.values(5));
        }
    }

    @Test
    void bulkCopiesWithSegmentsGoBothWays() {
        try (Samples samples = Samples.create(10, 1); Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(ValueLayout.JAVA_DOUBLE, 5);
            for (int i = 0; i < 5; i++) {
                in.setAtIndex(ValueLayout.JAVA_DOUBLE, i, 10 + i);
            }
            samples.valuesCopyFrom(5, in, 8, 4);            // elements 5..8 = 11 .. 14
            assertEquals(11.0, samples.values(5));
            assertEquals(14.0, samples.values(8));
            assertEquals(0.0, samples.values(9));

            MemorySegment heap = MemorySegment.ofArray(new double[10]);
            samples.valuesCopyTo(4, heap, 8, 5);
            assertArrayEquals(new double[] {0, 0, 11, 12, 13, 14, 0, 0, 0, 0}, heap.toArray(ValueLayout.JAVA_DOUBLE));
        }
    }

    @Test
    void badRangesThrowBeforeAnythingIsCopied() {
        try (Samples samples = Samples.create(4, 1); Arena arena = Arena.ofConfined()) {
            samples.valuesCopyFrom(0, ramp(4), 0, 4);
            double[] out = new double[4];
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyTo(1, out, 0, 4), "past the elements");
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyTo(-1, out, 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyTo(0, out, 1, 4), "past the array");
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyTo(0, out, -1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyTo(0, out, 0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyTo(Long.MAX_VALUE, out, 0, 2), "no overflow");
            assertArrayEquals(new double[4], out, "nothing was copied out");

            double[] nines = {9, 9, 9, 9, 9};
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyFrom(1, nines, 0, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyFrom(0, nines, 2, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyFrom(0, nines, 0, -3));

            MemorySegment small = arena.allocate(16);
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyTo(0, small, 0, 3), "past the segment");
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyTo(0, small, 9, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyFrom(0, small, 8, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> samples.valuesCopyFrom(3, small, 0, 2), "past the elements");
            assertThrows(IllegalArgumentException.class, () -> samples.valuesCopyTo(0, small.asReadOnly(), 0, 1));
            assertEquals(0, small.get(ValueLayout.JAVA_LONG, 0));

            Arena closed = Arena.ofConfined();
            MemorySegment gone = closed.allocate(32);
            closed.close();
            assertThrows(IllegalStateException.class, () -> samples.valuesCopyFrom(0, gone, 0, 1));
            assertArrayEquals(ramp(4), copy(samples), "the elements are untouched");
        }
    }

    private static double[] copy(Samples samples) {
        double[] values = new double[(int) samples.valuesLength()];
        samples.valuesCopyTo(0, values, 0, values.length);
        return values;
    }

    @Test
    void aMillionElementsAreOneBigBlock() {
        int n = 1_000_000;
        try (Samples samples = Samples.create(n, 1)) {
            assertTrue(liveBytes(Samples.class) >= 8L * n, "one block holds them all: " + liveBytes(Samples.class));
            assertEquals(1, live(Samples.class));
            double[] values = new double[n];
            Arrays.fill(values, 1.0);
            samples.valuesCopyTo(0, values, 0, n);
            assertTrue(Arrays.stream(values).allMatch(v -> v == 0.0), "zeroed");
            samples.valuesCopyFrom(0, ramp(n), 0, n);
            assertEquals(n - 0.5, samples.values(n - 1));
            assertEquals(500_000.5, samples.values(500_000));
            assertEquals((double) n * n / 2, samples.sum(), 1e-3);
            assertThrows(IndexOutOfBoundsException.class, () -> samples.values(n));
        }
        assertEquals(0, live(Samples.class));
        assertEquals(0, liveBytes(Samples.class));
    }

    @Test
    void aBadCountIsRefusedBeforeAnythingIsAllocated() {
        long before = MemoryStats.snapshot().liveBlocks();
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Samples.create(-1, 3));
        assertTrue(negative.getMessage().contains("-1 elements in values[]"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Samples.create(Long.MIN_VALUE, 3));
        assertThrows(IllegalArgumentException.class, () -> Blob.create(Long.MAX_VALUE), "the size would overflow");
        assertThrows(IllegalArgumentException.class, () -> Samples.create(Long.MAX_VALUE / 8 + 1, 3));
        // Beyond the 47-bit user address space: impossible anywhere, refused with the count
        // before calloc is asked (it used to be asked, and to answer with an OutOfMemoryError).
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> Blob.create(1L << 50));
        assertTrue(huge.getMessage().contains("with 1125899906842624 elements in bytes[]")
            && huge.getMessage().contains("140737488355328 bytes"), huge.getMessage());
        IllegalArgumentException doubles = assertThrows(IllegalArgumentException.class, () -> Samples.create(1L << 44, 3));
        assertTrue(doubles.getMessage().contains("17592186044416 elements"), doubles.getMessage());
        assertEquals(before, MemoryStats.snapshot().liveBlocks());
    }

    @Test
    void aCountTheCLibraryCannotProvideIsAnOutOfMemoryErrorWithNoLeak() {
        // Just under 2^47 bytes: within the library's limit, yet no process has a hole that big
        // (its own code sits at the bottom of the address space, its stack at the top).
        assertThrows(OutOfMemoryError.class, () -> Blob.create((1L << 47) - 4096));
        assertEquals(0, live(Blob.class));
        assertEquals(0, liveBytes(Blob.class));
    }

    @Test
    void aFailingInitReleasesTheInstance() {
        assertThrows(IllegalArgumentException.class, () -> Samples.create(1000, 0));
        assertEquals(0, live(Samples.class));
    }

    @Test
    void theLengthFieldIsReadOnly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CyTypes.writer(Samples.TYPE, "values_length"));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        try (Samples samples = Samples.create(5, 1)) {
            assertEquals(5L, (long) CyTypes.reader(Samples.TYPE, "values_length").get(samples));
        }
        assertEquals(Samples.TYPE.offsetOf("values") - 8, Samples.TYPE.offsetOf("values_length"));
        assertEquals(Samples.TYPE.offsetOf("values"), Samples.TYPE.layout().byteSize(), "the elements start at the end of the fixed part");
        assertThrows(IllegalArgumentException.class, () -> CyTypes.flexibleArray(Samples.TYPE, "dims"));
        assertThrows(IllegalArgumentException.class, () -> CyTypes.initialize(Samples.TYPE, new Samples(), -1));
    }

    @Test
    void referenceFieldsOfAFlexibleCypclassAreReleased() {
        try (Samples samples = Samples.create(3, 1)) {
            try (Node label = Node.create(5, null)) {
                samples.label(label);
            }
            assertEquals(5, samples.label().payload());
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void theDumpShowsTheCountAndTheFirstElements() {
        try (Samples small = Samples.create(2, 1); Samples big = Samples.create(1000, 1)) {
            small.values(1, 3.0);
            assertTrue(small.dump().endsWith("{dims=1, label=null, values_length=2, values=[0.0, 3.0]}"), small.dump());
            assertTrue(big.dump().endsWith("values=[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ... (992 more)]}"), big.dump());
        }
    }

    @Test
    void aViewReadsAndWritesTheElementsAndIsUnusableAfterClose() {
        try (Samples samples = Samples.create(4, 2)) {
            MemorySegment escaped;
            try (ElementsView view = samples.valuesView()) {
                MemorySegment segment = view.segment();
                assertEquals(32, segment.byteSize());
                assertEquals(0, segment.address() % 8, "aligned for JAVA_DOUBLE");
                segment.setAtIndex(ValueLayout.JAVA_DOUBLE, 3, 7.25);
                samples.values(0, 1.25);
                assertEquals(1.25, segment.getAtIndex(ValueLayout.JAVA_DOUBLE, 0));
                assertEquals(7.25, samples.values(3));
                assertThrows(IndexOutOfBoundsException.class, () -> segment.getAtIndex(ValueLayout.JAVA_DOUBLE, 4),
                    "the segment spans the elements only");
                assertTrue(view.toString().contains("values[] (32 bytes)"), view.toString());
                escaped = segment;
            }
            assertThrows(IllegalStateException.class, () -> escaped.get(ValueLayout.JAVA_DOUBLE, 0));
            assertThrows(IllegalStateException.class, () -> escaped.set(ValueLayout.JAVA_DOUBLE, 0, 1.0));
            assertEquals(7.25, samples.values(3));
        }
    }

    @SuppressWarnings("cypclass:use-after-close") // checks the run-time error of a closed reference
    @Test
    void anOpenViewKeepsTheInstanceAlive() {
        Samples samples = Samples.create(3, 1);
        samples.values(2, 4.0);
        ElementsView view = samples.valuesView();
        samples.close();
        assertEquals(1, live(Samples.class), "the view's count keeps it");
        MemorySegment segment = view.segment();
        assertEquals(4.0, segment.getAtIndex(ValueLayout.JAVA_DOUBLE, 2));
        assertThrows(IllegalStateException.class, () -> samples.values(2), "the closed reference is closed all the same");
        view.close();
        assertEquals(0, live(Samples.class), "closing the view released the last count");
        view.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, view::segment);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @SuppressWarnings("cypclass:cross-thread-capture") // checks the WrongThreadException another thread gets
    @Test
    void viewsAreConfinedToTheirThread() throws Exception {
        try (Samples samples = Samples.create(3, 1)) {
            ElementsView view = samples.valuesView();
            try {
                MemorySegment segment = view.segment();
                AtomicReference<Throwable> open = new AtomicReference<>();
                AtomicReference<Throwable> use = new AtomicReference<>();
                AtomicReference<Throwable> get = new AtomicReference<>();
                AtomicReference<Throwable> close = new AtomicReference<>();
                Thread other = new Thread(() -> {
                    open.set(catching(samples::valuesView));
                    use.set(catching(() -> segment.get(ValueLayout.JAVA_DOUBLE, 0)));
                    get.set(catching(view::segment));
                    close.set(catching(() -> {
                        view.close();
                        return null;
                    }));
                });
                other.start();
                other.join();
                assertInstanceOf(WrongThreadException.class, open.get(), "a thread-local instance refuses a view to another thread");
                assertInstanceOf(WrongThreadException.class, use.get());
                assertInstanceOf(WrongThreadException.class, get.get());
                assertInstanceOf(WrongThreadException.class, close.get());
                segment.setAtIndex(ValueLayout.JAVA_DOUBLE, 1, 2.0);
                assertEquals(2.0, samples.values(1), "the refused close left the view open");
            } finally {
                view.close();
            }
        }
        assertEquals(0, live(Samples.class));
    }

    private static Throwable catching(Supplier<?> action) {
        try {
            action.get();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void elementAccessAndBulkCopiesAllocateNothingOnTheJavaHeap() {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        try (Samples samples = Samples.create(64, 1); Arena arena = Arena.ofConfined()) {
            double[] array = new double[64];
            MemorySegment segment = arena.allocate(ValueLayout.JAVA_DOUBLE, 64);
            double best = Double.MAX_VALUE;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            double sink = 0;
            while (best > 0 && System.nanoTime() < deadline) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 20_000; i++) {
                    samples.valuesCopyFrom(0, array, 0, 64);
                    samples.valuesCopyTo(0, segment, 0, 64);
                    samples.valuesCopyFrom(0, segment, 0, 64);
                    samples.valuesCopyTo(0, array, 0, 64);
                    samples.values(i & 63, i);
                    sink += samples.values(i & 63) + samples.valuesLength();
                }
                best = Math.min(best, (THREADS.getCurrentThreadAllocatedBytes() - before) / 20_000.0);
            }
            assertTrue(sink != 0);
            assertEquals(0.0, best, "bytes allocated per round of copies, in the steady state");
        }
    }
}
