/**
 * Cypclasses: Java types declared once with {@link org.cypclass.objects.Cypclass}, whose
 * instances live off-heap behind the {@code CyObject} header, with counted references,
 * deterministic freeing and thread-local capability. Also holds the annotation processor
 * that javac runs to generate each cypclass's layout, accessors, factory and C header.
 *
 * <p>Exports {@link org.cypclass.objects} and the built-in containers,
 * {@link org.cypclass.objects.containers}; {@code org.cypclass.objects.internal} (the bridge
 * between them) and the processor are not exported.
 */
module org.cypclass.objects {
    requires transitive org.cypclass.memory;
    requires java.compiler;

    exports org.cypclass.objects;
    exports org.cypclass.objects.capabilities;
    exports org.cypclass.objects.actors;
    exports org.cypclass.objects.containers;

    provides javax.annotation.processing.Processor with org.cypclass.objects.processor.CypclassProcessor;
}
