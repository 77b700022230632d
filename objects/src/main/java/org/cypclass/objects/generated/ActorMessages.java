package org.cypclass.objects.generated;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.internal.ObjectsAccess;
import org.cypclass.objects.internal.SharedSecrets;

/**
 * The checks of the generated {@code Async} classes, which send a cypclass's public methods to
 * an {@link org.cypclass.objects.actors.Active} actor as messages: what crosses to the actor's
 * thread, and what comes back.
 *
 * <p>For generated code; see the {@linkplain org.cypclass.objects.generated package}.
 */
public final class ActorMessages {

    private static final ObjectsAccess OBJECTS = SharedSecrets.objects();

    private ActorMessages() {
    }

    /**
     * Checks that a cypclass argument of a message may cross to the actor's thread: null, or a
     * reference to a frozen, locked or active object. A generated {@code Async} method calls it
     * for each cypclass argument, before queueing the message.
     *
     * @param argument an argument about to be captured by a message
     * @throws IllegalArgumentException if it is thread-local (or inside a locked or active
     *         graph): hand it over with {@code Isolated.consume}, or freeze it, first
     */
    public static void checkSendable(CyObject argument) {
        if (argument == null) {
            return;
        }
        long object = OBJECTS.use(argument);
        if (!crossesThreads(object)) {
            throw new IllegalArgumentException(argument + " cannot be sent to an actor: it is "
                + CyObjectHeader.describeState(RefCount.state(object)) + ". Send a frozen, locked or active object,"
                + " or move a graph with an Isolated parameter (Isolated.consume(reference))");
        }
    }

    /**
     * Turns a message's cypclass result into one the caller may keep: a new owned reference to
     * a frozen, locked or active object (the caller closes it; {@code Frozen.from},
     * {@code Locked.from} and {@code Active.from} take it). A generated {@code Async} method
     * calls it inside the message, on the actor's thread.
     *
     * @param result what the message returned, or null
     * @param <R> its cypclass
     * @return null, or a new owned reference usable after the message
     * @throws CapabilityException if the result is thread-local or inside the actor's graph:
     *         it would be valid only inside the message
     */
    @SuppressWarnings("unchecked")
    public static <R extends CyObject> R export(R result) {
        if (result == null) {
            return null;
        }
        long object = OBJECTS.use(result);
        if (!crossesThreads(object)) {
            throw new CapabilityException("a message cannot return " + result + ": it is "
                + CyObjectHeader.describeState(RefCount.state(object)) + " and would be valid only inside the message;"
                + " return a frozen, locked or active object, or a Java value");
        }
        return (R) result.newReference();
    }

    /** {@return whether the object is frozen, locked or active: usable from other threads} */
    private static boolean crossesThreads(long object) {
        int capability = CyObjectHeader.capability(RefCount.state(object));
        return capability == CyObjectHeader.FROZEN || capability == CyObjectHeader.LOCKED
            || capability == CyObjectHeader.ACTIVE;
    }
}
