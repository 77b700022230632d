package org.cypclass.objects.containers;

import java.util.Objects;

/**
 * How a primitive key or value of a hash container sits in its 64-bit word, and how the
 * {@code java.util} views box it: {@code long} as is, {@code int} sign-extended, {@code double}
 * as its IEEE bits (raw, so that a stored NaN reads back bit for bit).
 *
 * @param <T> the boxed type
 */
abstract sealed class Word<T> {

    static final Word<Long> LONG = new LongWord();
    static final Word<Integer> INT = new IntWord();
    static final Word<Double> DOUBLE = new DoubleWord();

    private final Class<T> type;

    private Word(Class<T> type) {
        this.type = type;
    }

    /** {@return whether {@code value} is of this word's boxed type, so that {@link #unbox} takes it} */
    final boolean accepts(Object value) {
        return type.isInstance(value);
    }

    /** {@return the word of a value of this type, which must not be null} */
    final long unboxChecked(Object value) {
        return unbox(type.cast(Objects.requireNonNull(value, "this container holds no null keys or values")));
    }

    abstract T box(long word);

    abstract long unbox(T value);

    private static final class LongWord extends Word<Long> {
        LongWord() {
            super(Long.class);
        }

        @Override
        Long box(long word) {
            return word;
        }

        @Override
        long unbox(Long value) {
            return value;
        }
    }

    private static final class IntWord extends Word<Integer> {
        IntWord() {
            super(Integer.class);
        }

        @Override
        Integer box(long word) {
            return (int) word;
        }

        @Override
        long unbox(Integer value) {
            return value;
        }
    }

    private static final class DoubleWord extends Word<Double> {
        DoubleWord() {
            super(Double.class);
        }

        @Override
        Double box(long word) {
            return Double.longBitsToDouble(word);
        }

        @Override
        long unbox(Double value) {
            return Double.doubleToRawLongBits(value);
        }
    }
}
