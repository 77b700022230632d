package org.cypclass.objects;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a cypclass: a Java type whose instances live off-heap behind the {@code CyObject}
 * header, with counted references and deterministic freeing.
 *
 * <p>The annotated class names its fields once, as the methods of a nested interface called
 * {@code Fields}, holds its methods in plain Java, and extends the class the annotation
 * processor generates for it, named {@code Cy_} followed by its own name:
 *
 * <pre>{@code
 * @Cypclass
 * public class Adder extends Cy_Adder {
 *     interface Fields {
 *         int value();
 *     }
 *
 *     @Init
 *     void init(int value) {          // __init__: Adder.create(2) runs it
 *         value(value);
 *     }
 *
 *     public int add(int v) {
 *         value(value() + v);
 *         return value();
 *     }
 * }
 * }</pre>
 *
 * <p>Field types: {@code boolean, byte, short, char, int, long, float, double}; fixed-size
 * arrays of those, declared as {@code @Length(3) int[] l()}; references to cypclasses (the
 * declaring class included). For each field {@code f} the generated class has a getter
 * {@code f()} and a setter {@code f(value)} (arrays: {@code f(index)} and
 * {@code f(index, value)}); a reference getter returns a new reference that the caller closes.
 *
 * <p>The class must have a no-argument constructor visible in its package (the default one
 * will do); instances are made by the generated static {@code create(...)} factories, one per
 * {@link Init} method. A cypclass extends another with {@link #base()}; its generated class
 * then extends the base cypclass, whose layout it continues.
 *
 * <p>Thread-safety: a compile-time annotation, read by the processor; nothing runs.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Cypclass {

    /**
     * The cypclass this one extends, or {@link CyObject} for none.
     *
     * @return the base cypclass
     */
    Class<?> base() default CyObject.class;
}
