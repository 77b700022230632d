package org.cypclass.tests.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks the leak check to compare the open file descriptors around each test of the annotated
 * class, as it does for every test class of the {@code libc} and {@code kdtree} test packages.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CheckDescriptors {
}
