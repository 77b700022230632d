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
 * <p>Field types: {@code boolean, byte, short, char, int, long, float, double}; references to
 * cypclasses (the declaring class included); fixed-size arrays of either, declared as
 * {@code @Length(3) int[] l()} or {@code @Length(2) Node[] children()}. For each field
 * {@code f} the generated class has a getter {@code f()} and a setter {@code f(value)}
 * (arrays: {@code f(index)} and {@code f(index, value)}, and a constant {@code F_LENGTH}); a
 * reference getter returns a borrowed reference (see {@link CyObject}), a reference setter
 * retains the new target and releases the old one.
 *
 * <p>The last field may be a <em>flexible array member</em>, C99's {@code double data[]}: a
 * primitive array without {@code @Length} (not {@code boolean}), sized when the instance is
 * created. The factories then take its element count first ({@code create(long dataLength,
 * ...)}) and the generated class adds {@code dataLength()}, bounds-checked {@code data(index)}
 * and {@code data(index, value)}, bulk {@code dataCopyTo}/{@code dataCopyFrom} with arrays and
 * segments, and {@code dataView()} ({@link ElementsView}). A cypclass with a flexible array
 * member cannot be extended.
 *
 * <p>The class must have a no-argument constructor visible in its package (the default one
 * will do); instances are made by the generated static {@code create(...)} factories, one per
 * {@link Init} method. A cypclass extends another with {@link #base()}; its generated class
 * then extends the base cypclass, whose layout it continues.
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
