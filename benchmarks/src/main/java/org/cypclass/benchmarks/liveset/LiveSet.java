package org.cypclass.benchmarks.liveset;

/**
 * The records one variant of the live-set benchmark holds, addressed by index: the one thing
 * {@link LiveSetRun} asks of the cypclass and the plain-Java variants. Only one implementation
 * is loaded in a variant's JVM, so the JIT inlines its calls into the request loop.
 *
 * <p>A record's {@code next} always names a record that existed before it (see
 * {@link LiveSetRun}), so that the records form no cycle: reference counting alone frees them.
 */
interface LiveSet extends AutoCloseable {

    /** Appends a record whose {@code next} is the record now at index {@code next}, or none if it is negative. */
    void add(long key, long value, int next);

    /** {@return the sum of the key and the value of the record at {@code index} and of its {@code next}, if any} */
    long read(int index);

    /** Replaces the record at {@code index} with a new one whose {@code next} is the record now at index {@code next}. */
    void replace(int index, long key, long value, int next);

    /** Lets go of every record. */
    @Override
    void close();
}
