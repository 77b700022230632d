package org.cypclass.objects.internal;

import java.util.Objects;

/**
 * Where the core of {@code org.cypclass.objects} registers its {@link ObjectsAccess} for the
 * built-in cypclasses and its {@link TypesAccess} for generated code, and the actors package
 * its {@link ActorsAccess}. The first call to {@link #objects()} (or {@link #types()},
 * {@link #actors()}) loads the implementing class, whose static initializer registers it; there
 * is exactly one registration of each.
 *
 * <p>Thread-safety: safe to use from any thread; the registration is published through a
 * volatile field.
 */
public final class SharedSecrets {

    private static final String IMPLEMENTATION = "org.cypclass.objects.ContainerSupport";
    private static final String TYPES = "org.cypclass.objects.TypeSupport";
    private static final String ACTORS = "org.cypclass.objects.actors.Activation";
    private static volatile ObjectsAccess objects;
    private static volatile TypesAccess types;
    private static volatile ActorsAccess actors;

    private SharedSecrets() {
    }

    /**
     * Registers the implementation; only {@code ContainerSupport}'s initializer calls it.
     *
     * @param access the implementation
     * @throws IllegalStateException if one is registered already
     */
    public static synchronized void register(ObjectsAccess access) {
        if (objects != null) {
            throw new IllegalStateException("ObjectsAccess is registered already");
        }
        objects = Objects.requireNonNull(access, "access");
    }

    /**
     * {@return the core's implementation, loaded on first use} Keep the result in a
     * {@code static final} field: the JIT then inlines its methods.
     */
    public static ObjectsAccess objects() {
        ObjectsAccess access = objects;
        if (access == null) {
            load(IMPLEMENTATION);
            access = objects;
        }
        return access;
    }

    /**
     * Registers the implementation of {@link TypesAccess}; only {@code TypeSupport}'s
     * initializer calls it.
     *
     * @param access the implementation
     * @throws IllegalStateException if one is registered already
     */
    public static synchronized void registerTypes(TypesAccess access) {
        if (types != null) {
            throw new IllegalStateException("TypesAccess is registered already");
        }
        types = Objects.requireNonNull(access, "access");
    }

    /**
     * {@return the core's implementation of {@link TypesAccess}, loaded on first use} Keep the
     * result in a {@code static final} field: the JIT then inlines its methods.
     */
    public static TypesAccess types() {
        TypesAccess access = types;
        if (access == null) {
            load(TYPES);
            access = types;
        }
        return access;
    }

    /**
     * Registers the actors package's implementation; only its initializer calls it.
     *
     * @param access the implementation
     * @throws IllegalStateException if one is registered already
     */
    public static synchronized void registerActors(ActorsAccess access) {
        if (actors != null) {
            throw new IllegalStateException("ActorsAccess is registered already");
        }
        actors = Objects.requireNonNull(access, "access");
    }

    /**
     * {@return the actors package's implementation, loaded on first use}
     */
    public static ActorsAccess actors() {
        ActorsAccess access = actors;
        if (access == null) {
            load(ACTORS);
            access = actors;
        }
        return access;
    }

    /**
     * Initializes an implementing class, which registers itself. {@code forName} initializes a
     * class without an access check: the implementations are package-private so that nothing
     * outside their package can call them.
     */
    private static void load(String implementation) {
        try {
            Class.forName(implementation, true, SharedSecrets.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
