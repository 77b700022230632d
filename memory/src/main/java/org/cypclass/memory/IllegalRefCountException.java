package org.cypclass.memory;

/**
 * Thrown when a reference count operation would break the rules of counting: retaining an
 * object that is already dead, releasing one more time than it was retained, or overflowing
 * the count. The object's count and memory are left exactly as they were before the call.
 *
 * <p>The message names the object (its type and address) and the rule that was broken.
 */
public final class IllegalRefCountException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the object and the broken rule
     */
    public IllegalRefCountException(String message) {
        super(message);
    }
}
