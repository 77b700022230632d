package org.cypclass.objects.generated;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class written by the cypclass annotation processor ({@code Cy_X} for each
 * {@code @Cypclass X}). It stands in for {@code javax.annotation.processing.Generated}, whose
 * module ({@code java.compiler}) an application's module would otherwise have to read; tools that
 * skip generated code (coverage, static analysis) recognise any annotation named
 * {@code Generated} kept in the class file. The processor claims it, so {@code -Xlint:processing}
 * has nothing to say about it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Generated {

    /**
     * Names what generated the class.
     *
     * @return the qualified name of the generator
     */
    String value();
}
