package org.cypclass.objects.generated;

import org.cypclass.objects.CyObject;

/**
 * The content hash and equality a cypclass declares with {@code @Hash} and {@code @Equals}, as
 * the containers keyed by content call them. The processor generates one subclass per such
 * cypclass, registered with {@link CyTypes#keyMethods} when its type is defined; a subclass of
 * that cypclass uses its base's (the methods it calls are virtual).
 *
 * <p>For generated code; see the {@linkplain org.cypclass.objects.generated package}.
 *
 * <p>Thread-safety: stateless; the methods run the user's code on the calling thread.
 *
 * @param <T> the cypclass
 */
public abstract class KeyMethods<T extends CyObject> {

    /** For the generated subclass. */
    protected KeyMethods() {
    }

    /**
     * Calls the {@code @Hash} method.
     *
     * @param key an open reference
     * @return its content hash, widened to {@code long}
     */
    public abstract long hash(T key);

    /**
     * Calls the {@code @Equals} method.
     *
     * @param key an open reference
     * @param other another open reference of the same cypclass
     * @return whether {@code key} equals {@code other} by content
     */
    public abstract boolean equal(T key, T other);
}
