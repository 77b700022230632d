package org.cypclass.libc.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a C {@code printf} format into the C types of the arguments it consumes, so that a
 * format can be checked against Java argument types once, before any call.
 *
 * <p>Grammar (C11 7.21.6.1, without the parts that cannot be checked or are unsafe):
 * <pre>
 *   %[flags][width][.precision][length]conversion      or  %%
 *   flags      -  +  space  #  0  '
 *   width      digits | *                             (* consumes an int)
 *   precision  . digits? | .*                         (* consumes an int)
 *   length     hh h l ll j z t
 *   conversion d i o u x X | f F e E g G a A | c | s | p
 * </pre>
 * A width or precision written in the format may be at most {@value #MAX_FIELD}: C would pad
 * to any {@code int}, so a format from outside could otherwise make {@code Format.sprintf}
 * allocate and fill gigabytes (and past {@code INT_MAX} glibc fails with {@code EOVERFLOW}).
 * Refused with a reason: {@code %n} (C would write through a pointer), positional arguments
 * ({@code %1$d}), {@code L} ({@code long double}, which Java has not), {@code %lc} and
 * {@code %ls} (wide characters), glibc's {@code %m}, and a NUL character in the format.
 */
public final class FormatParser {

    /** The largest width or precision a format may write out (C's own limit is {@code INT_MAX}). */
    public static final int MAX_FIELD = 65_536;

    /**
     * The C type of one variadic argument, after C's default argument promotions.
     */
    public enum CType {
        /** {@code int}: {@code %d} and friends without a long length, {@code *} widths. */
        INT,
        /** {@code int} holding a character: {@code %c}. */
        CHAR,
        /** {@code long} (64 bits): {@code l}, {@code ll}, {@code j}, {@code z}, {@code t}. */
        LONG,
        /** {@code double}: floating-point conversions. */
        DOUBLE,
        /** {@code const char *}, NUL-terminated: {@code %s}. */
        STRING,
        /** {@code void *}: {@code %p}. */
        POINTER
    }

    /**
     * One argument the format consumes.
     *
     * @param type its C type
     * @param directive the conversion that consumes it, such as {@code "%-8.3ld"}, for messages
     */
    public record Argument(CType type, String directive) {
    }

    private FormatParser() {
    }

    /**
     * Lists the arguments a format consumes, in order.
     *
     * @param format a C format string
     * @return one entry per argument, including {@code *} widths and precisions
     * @throws IllegalArgumentException if the format is malformed or uses a refused directive,
     *         with the directive and its position
     */
    public static List<Argument> parse(String format) {
        int nul = format.indexOf('\0');
        if (nul >= 0) {
            throw bad(format, nul, "a NUL character would end the C string early");
        }
        List<Argument> arguments = new ArrayList<>();
        int i = 0;
        while (i < format.length()) {
            if (format.charAt(i) != '%') {
                i++;
                continue;
            }
            int start = i++;
            if (i < format.length() && format.charAt(i) == '%') {
                i++;
                continue;
            }
            List<CType> stars = new ArrayList<>(2);
            while (i < format.length() && "-+ #0'".indexOf(format.charAt(i)) >= 0) {
                i++;
            }
            int digits = i;
            while (i < format.length() && isAsciiDigit(format.charAt(i))) {
                i++;
            }
            if (i < format.length() && format.charAt(i) == '$') {
                throw bad(format, start, "positional arguments (n$) are not supported");
            }
            checkField(format, start, "width", digits, i);
            if (i == digits && i < format.length() && format.charAt(i) == '*') {
                stars.add(CType.INT);
                i++;
            }
            if (i < format.length() && format.charAt(i) == '.') {
                i++;
                if (i < format.length() && format.charAt(i) == '*') {
                    stars.add(CType.INT);
                    i++;
                } else {
                    int precision = i;
                    while (i < format.length() && isAsciiDigit(format.charAt(i))) {
                        i++;
                    }
                    checkField(format, start, "precision", precision, i);
                }
            }
            int lengthStart = i;
            while (i < format.length() && "hljztLq".indexOf(format.charAt(i)) >= 0) {
                i++;
            }
            String length = format.substring(lengthStart, i);
            if (i >= format.length()) {
                throw bad(format, start, "the directive " + format.substring(start) + " has no conversion character");
            }
            char conversion = format.charAt(i++);
            String directive = format.substring(start, i);
            CType type = type(format, start, directive, length, conversion);
            for (CType star : stars) {
                arguments.add(new Argument(star, directive));
            }
            arguments.add(new Argument(type, directive));
        }
        return List.copyOf(arguments);
    }

    private static CType type(String format, int at, String directive, String length, char conversion) {
        boolean wide = switch (length) {
            case "", "hh", "h" -> false;
            case "l", "ll", "j", "z", "t" -> true;
            case "L", "q" -> throw bad(format, at, directive + ": long double is not supported");
            default -> throw bad(format, at, directive + ": bad length modifier " + length);
        };
        switch (conversion) {
            case 'd', 'i', 'o', 'u', 'x', 'X' -> {
                return wide ? CType.LONG : CType.INT;
            }
            case 'f', 'F', 'e', 'E', 'g', 'G', 'a', 'A' -> {
                if (!length.isEmpty() && !length.equals("l")) {
                    throw bad(format, at, directive + ": length " + length + " does not apply to floating point");
                }
                return CType.DOUBLE;
            }
            case 'c', 's', 'p' -> {
                if (!length.isEmpty()) {
                    throw bad(format, at, directive + ": length modifiers on %c, %s and %p (wide characters) are not supported");
                }
                return conversion == 'c' ? CType.CHAR : conversion == 's' ? CType.STRING : CType.POINTER;
            }
            case 'n' -> throw bad(format, at, directive + ": %n writes through a pointer and is not supported");
            case 'm' -> throw bad(format, at, directive + ": glibc's %m prints an unrelated errno and is not supported");
            default -> throw bad(format, at, directive + ": unknown conversion '" + conversion + "'");
        }
    }

    /** C's digits; {@link Character#isDigit} would take other scripts' digits, which C does not read as a width. */
    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Refuses a written width or precision (the digits from {@code from} to {@code to}) above {@link #MAX_FIELD}. */
    private static void checkField(String format, int at, String what, int from, int to) {
        long value = 0;
        for (int i = from; i < to && value <= MAX_FIELD; i++) {
            value = value * 10 + (format.charAt(i) - '0');
        }
        if (value > MAX_FIELD) {
            throw bad(format, at, "a " + what + " of " + format.substring(from, to) + " is more than the " + MAX_FIELD
                + " a format may ask for");
        }
    }

    private static IllegalArgumentException bad(String format, int at, String why) {
        return new IllegalArgumentException("bad printf format \"" + format + "\" at index " + at + ": " + why);
    }
}
