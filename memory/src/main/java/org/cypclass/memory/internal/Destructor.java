package org.cypclass.memory.internal;

/**
 * What runs when the last reference to an object goes, before its block is freed.
 *
 * <p>Called on the releasing thread with the object's state already {@code DEAD}. It must
 * release the references the object holds (through {@link RefCount#release}) and nothing
 * else; such nested releases are queued and run after it returns, so destroying a long chain
 * of objects uses constant stack.
 *
 * <p>Thread-safety: implementations are called on whichever thread releases the last reference.
 */
@FunctionalInterface
public interface Destructor {

    /** A destructor that does nothing, for objects without reference fields. */
    Destructor NONE = address -> { };

    /**
     * Releases what the object at {@code address} holds.
     *
     * @param address the object's block; valid until this method returns
     */
    void destroy(long address);
}
