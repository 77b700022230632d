package org.cypclass.memory.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * The one way every message of the library names a thread: {@code thread "main" (id 1)}, or,
 * for a thread known only by its id that is no longer running (or is virtual, and so not
 * listed), {@code thread id 7 (not running)}. A reader can then search a log for one form.
 */
public final class ThreadNames {

    private ThreadNames() {
    }

    /**
     * Names a thread.
     *
     * @param thread any thread
     * @return for example {@code thread "main" (id 1)}
     */
    public static String of(Thread thread) {
        return "thread \"" + thread.getName() + "\" (id " + thread.threadId() + ")";
    }

    /**
     * Names the calling thread.
     *
     * @return see {@link #of(Thread)}
     */
    public static String current() {
        return of(Thread.currentThread());
    }

    /**
     * Names a thread known by its id, looking it up among the running platform threads (one
     * {@code ThreadMXBean} query, no stacks taken): only messages of errors call it.
     *
     * @param id a {@link Thread#threadId()}
     * @return {@link #of(Thread)} of the running thread with that id, else {@code thread id N
     *         (not running)}
     */
    public static String ofId(long id) {
        if (id == Thread.currentThread().threadId()) {
            return current();
        }
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(id);
        return info == null ? "thread id " + id + " (not running, or virtual)"
            : "thread \"" + info.getThreadName() + "\" (id " + id + ")";
    }
}
