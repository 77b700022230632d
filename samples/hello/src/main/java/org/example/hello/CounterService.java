package org.example.hello;

import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * An application's own class that keeps a cypclass reference for its lifetime: the field owns
 * the reference, and the class's own {@code close()} closes it. The Resource Leak Checker, which
 * this sample's build runs, checks both halves: that {@code close()} closes the field, and that
 * whoever makes a {@code CounterService} closes it.
 */
@InheritableMustCall("close")
public final class CounterService implements AutoCloseable {

    private final @Owning Counter counter;

    /**
     * Makes a service with its own counter.
     *
     * @param start the counter's first value
     */
    public CounterService(long start) {
        counter = Counter.create(start);
    }

    /**
     * Counts.
     *
     * @param n how much to add
     * @return the new count
     */
    public long add(long n) {
        counter.add(n);
        return counter.count();
    }

    @Override
    @EnsuresCalledMethods(value = "this.counter", methods = "close")
    public void close() {
        counter.close();
    }
}
