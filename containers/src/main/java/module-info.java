/**
 * The built-in nogil containers ({@link org.cypclass.objects.containers}): lists, dicts and
 * sets that are themselves cypclass instances. A module above {@code org.cypclass.objects}
 * because nothing in the object model needs them; they reach the object model's reference
 * rules through its internal bridge, exported to this module alone, as the JDK exports its
 * internals to named modules only.
 */
module org.cypclass.objects.containers {
    requires transitive org.cypclass.objects;

    exports org.cypclass.objects.containers;
}
