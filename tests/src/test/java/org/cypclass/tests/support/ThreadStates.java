package org.cypclass.tests.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for another thread to reach a state, instead of sleeping and hoping it got there.
 * The deadline is only a safety net against a hang; a test never relies on it to pass.
 */
public final class ThreadStates {

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private ThreadStates() {
    }

    /**
     * Returns once {@code thread} is parked or waiting ({@code WAITING} or {@code TIMED_WAITING}).
     *
     * @param thread the thread to watch
     * @param what what the thread should be waiting for, for the failure message
     * @throws AssertionError if the thread ends instead, or is still not waiting after a minute
     */
    public static void awaitWaiting(Thread thread, String what) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (true) {
            switch (thread.getState()) {
                case WAITING, TIMED_WAITING -> {
                    return;
                }
                case TERMINATED -> throw new AssertionError(thread.getName() + " ended instead of waiting for " + what);
                default -> {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError(thread.getName() + " was not waiting for " + what
                            + " after 60 s; state " + thread.getState());
                    }
                    LockSupport.parkNanos(50_000);
                }
            }
        }
    }
}
