package org.cypclass.objects;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that tells whether two instances of a cypclass are equal by content
 * (Cython+'s {@code __eq__}), for the containers keyed by content; see {@link Hash}, which a
 * class that declares one declares too.
 *
 * <p>The method is an instance method {@code boolean name(X other)}, where {@code X} is the
 * declaring cypclass, and is not private. It is an overload, not an override: a cypclass's
 * {@code equals(Object)} stays identity ({@link CyObject#equals}), so {@code java.util}
 * collections of references are unaffected. It must be an equivalence over frozen instances and
 * agree with the {@link Hash} method. A container calls it only inside a lookup, with a
 * borrowed reference to a stored key as {@code other}; it must not change the container (that
 * lookup then throws {@link java.util.ConcurrentModificationException}).
 *
 * <p>Thread-safety: a compile-time annotation, read by the processor; nothing runs.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Equals {
}
