package org.cypclass.objects;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a cypclass method as a constructor body ({@code __init__}): for each such method
 * {@code void init(P1 a, P2 b)} the generated class has a factory {@code create(P1 a, P2 b)}
 * that allocates the instance (fields zero, references null), runs the method on it and
 * returns the owned reference. If the method throws, the instance is released and the
 * exception propagates. The method must not be private and must return {@code void}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Init {
}
