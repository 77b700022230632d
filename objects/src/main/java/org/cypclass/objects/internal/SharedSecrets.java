package org.cypclass.objects.internal;

import java.util.Objects;

/**
 * Where the core of {@code org.cypclass.objects} registers its {@link ObjectsAccess} for the
 * built-in cypclasses. The first call to {@link #objects()} loads the implementing class,
 * whose static initializer registers it; there is exactly one registration.
 *
 * <p>Thread-safety: safe to use from any thread; the registration is published through a
 * volatile field.
 */
public final class SharedSecrets {

    private static final String IMPLEMENTATION = "org.cypclass.objects.ContainerSupport";
    private static final String ACTORS = "org.cypclass.objects.actors.Activation";
    private static volatile ObjectsAccess objects;
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
     * Returns the implementation, loading it on first use. Keep the result in a
     * {@code static final} field: the JIT then inlines its methods.
     *
     * @return the core's implementation
     */
    public static ObjectsAccess objects() {
        ObjectsAccess access = objects;
        if (access == null) {
            try {
                // forName initializes a class without an access check: the implementation is
                // package-private so that nothing outside its package can call it.
                Class.forName(IMPLEMENTATION, true, SharedSecrets.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            access = objects;
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
     * Returns the actors package's implementation, loading it on first use.
     *
     * @return the implementation
     */
    public static ActorsAccess actors() {
        ActorsAccess access = actors;
        if (access == null) {
            try {
                Class.forName(ACTORS, true, SharedSecrets.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            access = actors;
        }
        return access;
    }
}
