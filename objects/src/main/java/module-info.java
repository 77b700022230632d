/**
 * Cypclasses: Java types declared once with {@link org.cypclass.objects.Cypclass}, whose
 * instances live off-heap behind the {@code CyObject} header, with counted references,
 * deterministic freeing and thread-local capability. The annotation processor that javac runs
 * to generate each cypclass's layout, accessors, factories and C header is in its own artifact,
 * {@code cypclass-processor}, for the compiler's processor path; this module does not read
 * {@code java.compiler}.
 *
 * <p>Exports {@link org.cypclass.objects}, the capabilities
 * ({@link org.cypclass.objects.capabilities}), the actors ({@link org.cypclass.objects.actors}),
 * and, for the code the processor generates only, {@link org.cypclass.objects.generated}, which
 * is not an API for people. {@code org.cypclass.objects.internal} (the bridges between these
 * packages) is exported only to the built-in containers' module,
 * {@code org.cypclass.objects.containers}, which builds on it.
 */
@SuppressWarnings("module") // the qualified export names a module built after this one
module org.cypclass.objects {
    requires transitive org.cypclass.memory;
    // The ownership annotations the Resource Leak Checker reads (README, "Forgotten closes"):
    // not needed at run time, hence static; transitive, so that an application's module reads
    // them where the generated code, or its own @Owning fields, name them.
    requires static transitive org.checkerframework.checker.qual;

    exports org.cypclass.objects;
    exports org.cypclass.objects.capabilities;
    exports org.cypclass.objects.actors;
    exports org.cypclass.objects.generated;
    // The containers are cypclasses of the library's own: they use the reference rules that
    // generated code reaches through CyTypes, plus the bridges of internal.
    exports org.cypclass.objects.internal to org.cypclass.objects.containers;
}
