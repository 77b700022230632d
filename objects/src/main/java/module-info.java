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
 * the built-in containers ({@link org.cypclass.objects.containers}), and, for the code the
 * processor generates only, {@link org.cypclass.objects.generated}, which is not an API for
 * people; {@code org.cypclass.objects.internal} (the bridges between these packages) is not
 * exported.
 */
module org.cypclass.objects {
    requires transitive org.cypclass.memory;

    exports org.cypclass.objects;
    exports org.cypclass.objects.capabilities;
    exports org.cypclass.objects.actors;
    exports org.cypclass.objects.containers;
    exports org.cypclass.objects.generated;
}
