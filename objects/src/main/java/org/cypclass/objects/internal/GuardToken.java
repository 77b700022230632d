package org.cypclass.objects.internal;

import org.cypclass.objects.CyObject;

/**
 * What the core asks of a guard of a locked object, implemented by
 * {@code org.cypclass.objects.capabilities.Locked}: whether a view of the locked root, or a
 * reference read through the guard into the locked graph, may be used by the calling thread now.
 *
 * <p>Thread-safety: {@link #check} is called by any thread that uses such a reference, and
 * must refuse every thread but the one that holds the guard.
 */
public abstract class GuardToken {

    /** For subclasses. */
    protected GuardToken() {
    }

    /**
     * Returns the address of the locked graph's root: two references belong to the same
     * locked graph when their tokens name the same root.
     *
     * @return the root's address
     */
    public abstract long root();

    /**
     * Checks that {@code reference} may be used by the calling thread now.
     *
     * @param reference a guard view or a reference read through a guard
     * @param write whether the use writes a field
     * @throws IllegalStateException (a {@code CapabilityException}) if no guard is open, it
     *         was closed, or it is a read guard and {@code write} is set
     * @throws WrongThreadException if another thread holds the guard
     */
    public abstract void check(CyObject reference, boolean write);
}
