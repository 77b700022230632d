package org.cypclass.objects;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a fixed-size array field of a cypclass, C's {@code int l[3]}: {@code @Length(3)
 * int[] l();} in the {@code Fields} interface, or {@code @Length(2) Node[] children();} for
 * an array of references to a cypclass. An array field without it is the flexible array
 * member (see {@link Cypclass}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Length {

    /**
     * The number of elements.
     *
     * @return at least 1
     */
    int value();
}
