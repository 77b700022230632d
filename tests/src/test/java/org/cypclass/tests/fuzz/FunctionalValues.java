package org.cypclass.tests.fuzz;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Good values of the JDK types the library's methods take that {@link MisuseFuzzer} cannot
 * make from the library itself: callbacks that do nothing, a stream that discards, a layout.
 */
final class FunctionalValues {

    private FunctionalValues() {
    }

    /** {@return a harmless value of {@code type}, or null if this class has none} */
    static Object harmless(Class<?> type) {
        if (type == Function.class) {
            return (Function<Object, Object>) x -> null;
        } else if (type == Consumer.class) {
            return (Consumer<Object>) x -> { };
        } else if (type == BiConsumer.class) {
            return (BiConsumer<Object, Object>) (x, y) -> { };
        } else if (type == Supplier.class) {
            return (Supplier<Object>) () -> null;
        } else if (type == Runnable.class) {
            return (Runnable) () -> { };
        } else if (type == PrintStream.class) {
            return new PrintStream(OutputStream.nullOutputStream());
        } else if (type == StructLayout.class) {
            return MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("x"));
        } else if (type == StringBuilder.class) {
            return new StringBuilder();
        }
        return null;
    }
}
