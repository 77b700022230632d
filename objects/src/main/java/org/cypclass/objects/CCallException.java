package org.cypclass.objects;

import org.cypclass.objects.capabilities.CapabilityException;

/**
 * A call from C refused before the method ran, with the status C gets ({@code CY_E*} of
 * {@code cyobject.h}, whose values these constants are). Never seen by Java code: the generated
 * stub turns it into the status and the thread's last error message.
 */
final class CCallException extends CapabilityException {

    private static final long serialVersionUID = 1L;

    static final int WRONG_THREAD = -1;
    static final int NOT_LOCKED = -2;
    static final int CAPABILITY = -3;
    static final int DEAD = -4;
    static final int ARGUMENT = -5;
    /** Not a refusal: the method threw. */
    static final int EXCEPTION = -6;

    /** The status. */
    final int status;

    CCallException(int status, String message) {
        super(message);
        this.status = status;
    }
}
