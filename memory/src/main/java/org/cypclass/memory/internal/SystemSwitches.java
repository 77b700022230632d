package org.cypclass.memory.internal;

import java.util.List;

/**
 * Reads the library's {@code cypclass.*} system properties, each once, when the class that
 * owns it initialises. A value outside the allowed ones fails then, naming the property and
 * what it accepts, instead of quietly meaning "off" ({@code Boolean.getBoolean("yes")} is
 * false): a switch typed wrong would otherwise leave a user believing a check ran. README's
 * "System properties" table lists every property.
 */
public final class SystemSwitches {

    private SystemSwitches() {
    }

    /**
     * {@return the value of a boolean switch: false when it is not set}
     *
     * @param property the property's name
     * @throws IllegalArgumentException if it is set to anything but {@code true} or {@code false}
     *         (in any case)
     */
    public static boolean flag(String property) {
        String value = System.getProperty(property);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw refused(property, value, "true or false");
    }

    /**
     * {@return the value of a switch with a fixed set of values, or {@code otherwise} when it is not set}
     *
     * @param property the property's name
     * @param otherwise the value when the property is not set, one of {@code allowed}
     * @param allowed the values it accepts
     * @throws IllegalArgumentException if it is set to another value
     */
    public static String choice(String property, String otherwise, List<String> allowed) {
        String value = System.getProperty(property);
        if (value == null) {
            return otherwise;
        }
        if (allowed.contains(value)) {
            return value;
        }
        throw refused(property, value, "one of " + String.join(", ", allowed));
    }

    /**
     * {@return the value of a positive whole-number setting, or {@code otherwise} when it is not set}
     *
     * @param property the property's name
     * @param otherwise the value when the property is not set
     * @throws IllegalArgumentException if it is set to anything but a whole number from 1 to
     *         {@link Integer#MAX_VALUE}
     */
    public static int positive(String property, int otherwise) {
        String value = System.getProperty(property);
        if (value == null) {
            return otherwise;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // refused below, with the property's name
        }
        throw refused(property, value, "a whole number from 1 to " + Integer.MAX_VALUE);
    }

    /**
     * {@return the value of a whole-number setting where 0 means "off", or {@code otherwise} when it is not set}
     *
     * @param property the property's name
     * @param otherwise the value when the property is not set
     * @throws IllegalArgumentException if it is set to anything but a whole number from 0 to
     *         {@link Integer#MAX_VALUE}
     */
    public static int whole(String property, int otherwise) {
        String value = System.getProperty(property);
        if (value == null) {
            return otherwise;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // refused below, with the property's name
        }
        throw refused(property, value, "a whole number from 0 to " + Integer.MAX_VALUE);
    }

    private static IllegalArgumentException refused(String property, String value, String allowed) {
        return new IllegalArgumentException("-D" + property + "=" + value + " is not a value it accepts: use " + allowed);
    }
}
