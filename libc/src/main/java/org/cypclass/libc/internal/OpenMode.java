package org.cypclass.libc.internal;

/**
 * A checked {@code fopen} mode string. Checking before the call gives a clear exception instead
 * of glibc's EINVAL, or worse, its silent acceptance of modes it half understands.
 *
 * <p>Accepted: {@code r}, {@code w} or {@code a}, then in any order at most once each:
 * {@code +} (read and write), {@code b} (no effect on POSIX), {@code x} (only after
 * {@code w}: fail if the file exists) and {@code e} (close on exec). The C mode always gets
 * {@code e}, so that child processes of the JVM never inherit the descriptor.
 *
 * @param mode the mode as the caller gave it
 * @param cMode the mode passed to {@code fopen}
 * @param readable whether the stream may be read
 * @param writable whether the stream may be written
 */
public record OpenMode(String mode, String cMode, boolean readable, boolean writable) {

    /**
     * Checks a mode string.
     *
     * @param mode the mode, such as {@code "r"} or {@code "w+b"}
     * @param path the file being opened, named in the message
     * @return the parsed mode
     * @throws IllegalArgumentException if {@code mode} is not an accepted mode
     */
    public static OpenMode parse(String mode, String path) {
        if (mode.isEmpty() || "rwa".indexOf(mode.charAt(0)) < 0) {
            throw bad(mode, path, "it must start with r, w or a");
        }
        boolean plus = false;
        String seen = "";
        for (int i = 1; i < mode.length(); i++) {
            char c = mode.charAt(i);
            if ("+bxe".indexOf(c) < 0) {
                throw bad(mode, path, "'" + c + "' is not one of the flags +, b, x, e");
            }
            if (seen.indexOf(c) >= 0) {
                throw bad(mode, path, "'" + c + "' appears twice");
            }
            if (c == 'x' && mode.charAt(0) != 'w') {
                throw bad(mode, path, "'x' is only allowed with w");
            }
            seen += c;
            plus |= c == '+';
        }
        char kind = mode.charAt(0);
        String cMode = seen.indexOf('e') >= 0 ? mode : mode + "e";
        return new OpenMode(mode, cMode, kind == 'r' || plus, kind != 'r' || plus);
    }

    private static IllegalArgumentException bad(String mode, String path, String why) {
        return new IllegalArgumentException("bad fopen mode \"" + mode + "\" for " + path + ": " + why
            + " (accepted: r, w or a, then optionally +, b, x (with w), e)");
    }
}
