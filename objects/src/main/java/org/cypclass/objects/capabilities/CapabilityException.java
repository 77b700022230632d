package org.cypclass.objects.capabilities;

/**
 * Thrown when a use of a cypclass instance breaks the rule of its reference capability: a
 * write to a frozen object, a field of a locked object reached outside a guard or written
 * through a read guard, a thread-local object stored where other threads would reach it. The
 * message names the object and the rule, and the API that does what was meant.
 *
 * <p>Nothing has changed when it is thrown: no count moved, no field was written.
 */
public class CapabilityException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the object, the rule broken and what to do instead
     */
    public CapabilityException(String message) {
        super(message);
    }
}
