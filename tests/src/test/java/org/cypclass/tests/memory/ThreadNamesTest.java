package org.cypclass.tests.memory;

import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Adder;
import org.cypclass.memory.internal.ThreadNames;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every message names a thread one way: {@code thread "name" (id N)}. */
class ThreadNamesTest {

    @Test
    void aRunningThreadIsNamedByNameAndId() throws InterruptedException {
        Thread current = Thread.currentThread();
        String expected = "thread \"" + current.getName() + "\" (id " + current.threadId() + ")";
        assertEquals(expected, ThreadNames.current());
        assertEquals(expected, ThreadNames.ofId(current.threadId()));
        Thread ended = Thread.ofPlatform().name("short-lived").start(() -> { });
        ended.join();
        assertEquals("thread id " + ended.threadId() + " (not running, or virtual)", ThreadNames.ofId(ended.threadId()));
    }

    @SuppressWarnings("cypclass:cross-thread-capture") // checks the WrongThreadException another thread gets
    @Test
    void theWrongThreadMessageNamesBothThreadsTheSameWay() throws InterruptedException {
        AtomicReference<String> message = new AtomicReference<>();
        try (Adder adder = Adder.create(1)) {
            Thread intruder = Thread.ofPlatform().name("intruder").start(() -> {
                try {
                    adder.value();
                } catch (WrongThreadException e) {
                    message.set(e.getMessage());
                }
            });
            intruder.join();
            Thread owner = Thread.currentThread();
            assertTrue(message.get().contains("thread \"" + owner.getName() + "\" (id " + owner.threadId() + ")"),
                message.get());
            assertTrue(message.get().contains("thread \"intruder\" (id " + intruder.threadId() + ")"), message.get());
        }
    }
}
