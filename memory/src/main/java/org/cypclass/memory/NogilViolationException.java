package org.cypclass.memory;

import java.io.Serial;

/**
 * Thrown when a checked {@link NogilRegion} closes after its thread allocated on the Java heap
 * or used a Java monitor inside it.
 */
public final class NogilViolationException extends IllegalStateException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The name the region was entered with. */
    private final String region;
    /** The bytes the thread allocated on the Java heap inside the region. */
    private final long allocatedBytes;
    /** How many times the thread blocked entering a Java monitor inside the region. */
    private final long monitorBlocks;

    NogilViolationException(String region, long allocatedBytes, long monitorBlocks, String message) {
        super(message);
        this.region = region;
        this.allocatedBytes = allocatedBytes;
        this.monitorBlocks = monitorBlocks;
    }

    /**
     * {@return the name the region was entered with}
     */
    public String region() {
        return region;
    }

    /**
     * {@return the bytes the thread allocated on the Java heap inside the region}
     */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    /**
     * {@return how many times the thread blocked entering a Java monitor inside the region}
     */
    public long monitorBlocks() {
        return monitorBlocks;
    }
}
