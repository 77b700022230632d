/**
 * The cypclass annotation processor: javac runs it on each {@code @Cypclass} class to generate
 * {@code Cy_X} (layout, accessors, factories, the {@code Async} class) and the C header
 * {@code X.h}. It goes on the compiler's processor path (found through
 * {@code META-INF/services}) or processor module path (through {@code provides}), never on an
 * application's module path: nothing is exported.
 */
module org.cypclass.processor {
    requires java.compiler;
    // The Trees API, to make a call of a base's factory through a subclass a compile error.
    requires jdk.compiler;

    provides javax.annotation.processing.Processor with org.cypclass.processor.CypclassProcessor;
}
