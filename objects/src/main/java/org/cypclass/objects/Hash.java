package org.cypclass.objects;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that gives a cypclass's content hash (Cython+'s {@code __hash__}), so that
 * its instances can key the containers that compare keys by content ({@code KeyLongDict},
 * {@code KeyRefDict}, {@code KeySet}). With {@link Equals} beside it:
 * <pre>{@code
 * @Cypclass
 * public class Point extends Cy_Point {
 *     interface Fields { int x(); int y(); }
 *     @Hash long hash() { return 31L * x() + y(); }
 *     @Equals boolean equals(Point other) { return x() == other.x() && y() == other.y(); }
 * }
 * }</pre>
 *
 * <p>The method is an instance method that takes no argument, returns {@code long} or
 * {@code int}, and is not private; a class that declares one declares an {@link Equals} method
 * too, and instances equal by it must give the same hash. The processor checks these rules.
 * A container calls it once per key, when the key is inserted or looked up: an inserted key
 * must be frozen, so its hash cannot change, and the container keeps it in the entry; no user
 * code runs while a container grows or compacts.
 *
 * <p>Thread-safety: a compile-time annotation, read by the processor; nothing runs.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Hash {
}
