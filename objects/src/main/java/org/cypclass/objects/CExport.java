package org.cypclass.objects;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exports a method of a {@link Cypclass} to C: the processor adds it to the class's table of C
 * functions ({@code struct X_methods} in the generated {@code X.h}, reached from C through the
 * type object's {@code tp_methods}, or from Java with {@link CyType#cMethods()}). On an
 * {@link Init} method it exports a constructor that returns a new instance with one count,
 * owned by C ({@code Cy_DECREF} gives it back).
 *
 * <p>Parameters and results may be primitives ({@code boolean} as C's {@code bool}, {@code char}
 * as {@code uint16_t}), {@link java.lang.foreign.MemorySegment} ({@code void *}, a zero-length
 * segment in Java) and cypclass references ({@code struct Y *}). Each C function returns an
 * {@code int32_t} status, 0 or one of the {@code CY_E*} codes of {@code cyobject.h}, and passes
 * a result through a last, pointer parameter; the message of a failure is read with
 * {@code Cy_LastError}. The calling thread must be allowed to use the receiver as in Java: a
 * thread-local instance only on its owner thread, a locked one while the lock is held (from C,
 * {@code Cy_WLOCK}/{@code Cy_RLOCK}), a frozen one from any thread. A cypclass argument is
 * borrowed for the call; a cypclass result comes to C with a new count of its own. No Java
 * exception ever crosses into C: each becomes a status and a message.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface CExport {

    /**
     * The member's name in {@code struct X_methods}: by default the method's name, and
     * {@code create} for an {@link Init} method.
     *
     * @return the C name, a C identifier
     */
    String name() default "";
}
