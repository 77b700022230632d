/**
 * C files without the GIL: {@link org.cypclass.libc.CFile} over stdio streams,
 * {@link org.cypclass.libc.NativeFile} over file descriptors with positional reads and
 * writes, {@code errno} turned into {@link java.io.IOException}s, type-checked
 * {@link org.cypclass.libc.Format printf formats}, and the same {@code errno} handling for the
 * functions of your own shared library ({@link org.cypclass.libc.NativeLibrary}).
 *
 * <p>Only {@link org.cypclass.libc} is exported. The downcall handles, the {@code errno}
 * capture and every restricted operation live in {@code org.cypclass.libc.internal}.
 *
 * <p>Native access: on the module path, run with
 * {@code --enable-native-access=org.cypclass.bindings,org.cypclass.libc}; on the class path,
 * with {@code --enable-native-access=ALL-UNNAMED}.
 */
module org.cypclass.libc {
    requires org.cypclass.bindings;

    exports org.cypclass.libc;
}
