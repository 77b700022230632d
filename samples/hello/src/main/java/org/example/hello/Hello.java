package org.example.hello;

import org.cypclass.memory.MemoryStats;

/**
 * Makes a counter, uses it through two references, then through a service that owns one, and
 * shows that closing the last reference frees it.
 */
public final class Hello {

    private Hello() {
    }

    /**
     * Runs the sample.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (Counter counter = Counter.create(40)) {
            try (Counter other = counter.newReference()) {
                other.add(2);
            }
            System.out.println("count: " + counter.count());
        }
        try (CounterService service = new CounterService(1)) {
            System.out.println("service count: " + service.add(2));
        }
        // The processor's checks make the misuses they can see compile errors. Here, for one,
        // counter.add(1) after counter.close() would be "cypclass:use-after-close: 'counter' was
        // closed ...", and Locked.from(counter) "cypclass:thread-local-to-shared: ...".
        System.out.println("live blocks: " + MemoryStats.snapshot().liveBlocks());
    }
}
