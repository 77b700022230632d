package org.cypclass.tests.objects;

import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Adder;
import org.cypclass.memory.MemoryStats;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deterministic references: counts, close, use after close, identity, thread-local capability. */
class ReferenceTest {

    private static long live() {
        return MemoryStats.snapshot().of(Adder.class.getName()).liveBlocks();
    }

    @Test
    void eachReferenceOwnsACountAndTheLastCloseFrees() {
        Adder first = Adder.create(1);
        Adder second = first.newReference();
        assertNotSame(first, second);
        assertEquals(first, second, "two references to one instance are equal");
        assertEquals(first.hashCode(), second.hashCode());
        first.close();
        assertEquals(1, live(), "the second reference keeps the instance alive");
        assertEquals(1, second.value());
        second.close();
        assertEquals(0, live());
    }

    @SuppressWarnings("cypclass:use-after-close") // checks the run-time error of a closed reference
    @Test
    void useAfterCloseThrowsNamingTheTypeAndCloseIsIdempotent() {
        Adder adder = Adder.create(7);
        adder.close();
        assertFalse(adder.isOpen());
        IllegalStateException e = assertThrows(IllegalStateException.class, adder::value);
        assertTrue(e.getMessage().contains("org.cypclass.examples.Adder"), e.getMessage());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> adder.value(3));
        assertThrows(IllegalStateException.class, () -> adder.add(1));
        assertThrows(IllegalStateException.class, adder::newReference);
        assertThrows(IllegalStateException.class, adder::gcReference);
        assertThrows(IllegalStateException.class, adder::pointer);
        assertDoesNotThrow(adder::close, "a second close does nothing");
        assertTrue(adder.toString().endsWith("(closed reference)"), adder.toString());
    }

    @Test
    void aSecondCloseNeverReleasesTwice() {
        Adder keeper = Adder.create(1);
        Adder other = keeper.newReference();
        other.close();
        other.close();
        other.close();
        assertEquals(1, keeper.value(), "the instance survived the repeated closes");
        keeper.close();
        assertEquals(0, live());
    }

    @Test
    void distinctInstancesAreNotEqual() {
        try (Adder a = Adder.create(1); Adder b = Adder.create(1)) {
            assertNotEquals(a, b);
            assertNotEquals(a, null);
            assertNotEquals(a, "Adder");
        }
    }

    @SuppressWarnings("cypclass:cross-thread-capture") // checks the WrongThreadException another thread gets
    @Test
    void anotherThreadMayNotTouchAThreadLocalInstance() throws Exception {
        try (Adder adder = Adder.create(5)) {
            AtomicReference<Throwable> read = new AtomicReference<>();
            AtomicReference<Throwable> close = new AtomicReference<>();
            AtomicReference<Throwable> copy = new AtomicReference<>();
            Thread intruder = new Thread(() -> {
                read.set(Gcc.thrownBy(adder::value));
                copy.set(Gcc.thrownBy(adder::newReference));
                close.set(Gcc.thrownBy(adder::close));
            }, "intruder");
            intruder.start();
            intruder.join();
            WrongThreadException e = assertInstanceOf(WrongThreadException.class, read.get());
            assertTrue(e.getMessage().contains("Adder object at 0x"), e.getMessage());
            assertTrue(e.getMessage().contains("thread \"" + Thread.currentThread().getName() + "\""), e.getMessage());
            assertTrue(e.getMessage().contains("thread \"intruder\""), e.getMessage());
            assertInstanceOf(WrongThreadException.class, copy.get());
            assertInstanceOf(WrongThreadException.class, close.get());
            assertTrue(adder.isOpen(), "the refused close left the reference open");
            assertEquals(5, adder.value());
        }
        assertEquals(0, live());
    }

    @Test
    void anUnboundReferenceBehavesAsClosed() {
        Adder unbound = new Adder();
        assertThrows(IllegalStateException.class, unbound::value);
        assertDoesNotThrow(unbound::close);
    }

    @Test
    void aFailingInitReleasesTheInstance() {
        assertThrows(IllegalArgumentException.class, () -> org.cypclass.examples.Checked.create(-1));
        assertEquals(0, MemoryStats.snapshot().of(org.cypclass.examples.Checked.class.getName()).liveBlocks());
    }
}
