package org.cypclass.objects.capabilities;

/**
 * Thrown by {@link Isolated#consume} when the object graph reachable from the reference is
 * also referenced from outside: another reference, a field of an object outside the graph, a
 * garbage-collected reference or C. Nothing has changed: the reference is still open and every
 * count is what it was.
 */
public final class NotIsolatedException extends CapabilityException {

    private static final long serialVersionUID = 1L;

    /** The object that made the check fail, printed as {@code <type object at 0x...>}. */
    private final String object;
    /** How many references to it come from outside the graph, or -1 (thread-local to another thread). */
    private final int outsideReferences;

    /**
     * Creates the exception.
     *
     * @param message the whole message
     * @param object the object referenced from outside, printed as {@code <type object at 0x...>}
     * @param outsideReferences how many references to it come from outside the graph, or -1
     *        when it is thread-local to another thread
     */
    public NotIsolatedException(String message, String object, int outsideReferences) {
        super(message);
        this.object = object;
        this.outsideReferences = outsideReferences;
    }

    /**
     * {@return the object that made the check fail, printed as {@code <type object at 0x...>}}
     */
    public String object() {
        return object;
    }

    /**
     * {@return how many references to {@link #object()} come from outside the graph: at least 1, or
     * -1 when the object is thread-local to another thread}
     */
    public int outsideReferences() {
        return outsideReferences;
    }
}
