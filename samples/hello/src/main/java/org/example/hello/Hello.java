package org.example.hello;

import org.cypclass.memory.MemoryStats;

/** Makes a counter, uses it through two references, and shows that closing the last frees it. */
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
        System.out.println("live blocks: " + MemoryStats.snapshot().liveBlocks());
    }
}
