package org.cypclass.objects;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the cypclass method that runs when an instance dies ({@code __dealloc__}), on the
 * thread that released the last reference, before the reference fields are released and the
 * memory freed. It may read the fields; it may not keep or retain the dying object. It is an
 * ordinary (overridable) method: a subclass that overrides it calls {@code super} itself.
 * It must take no argument, return {@code void} and not be private.
 *
 * <p>Thread-safety: a compile-time annotation, read by the processor; nothing runs.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dealloc {
}
