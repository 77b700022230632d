package org.cypclass.objects;

/**
 * Watches one deterministic reference: the reference holds this object, and a cleaner is
 * registered on this object, so it becomes unreachable exactly when the reference does. The
 * cleaning action, which must not reach the reference, reads the shared {@link State}.
 *
 * <p>The reference itself is never registered anywhere, so escape analysis can still remove
 * it from hot paths; only this small object escapes, and only for watched references.
 */
final class LeakWatch {

    /** What the cleaning action needs; {@code closed} is written by the owner thread. */
    static final class State implements Runnable {
        private final String instance;
        private final Throwable site;
        /** Volatile: written by the reference's thread, read by the cleaner thread. */
        private volatile boolean closed;

        State(String instance, Throwable site) {
            this.instance = instance;
            this.site = site;
        }

        @Override
        public void run() {
            if (!closed) {
                StringBuilder text = new StringBuilder("cypclass LEAK: a reference to ").append(instance)
                    .append(" was never closed; it was taken ").append(site.getMessage()).append('\n');
                for (StackTraceElement frame : site.getStackTrace()) {
                    text.append("\tat ").append(frame).append('\n');
                }
                ReferenceLeaks.report(text.toString());
            }
        }
    }

    /** Where a reference was taken; a Throwable only for its stack trace. */
    private static final class Site extends Throwable {
        private static final long serialVersionUID = 1L;

        Site(String thread) {
            super("by " + thread);
        }
    }

    private final State state;

    LeakWatch(String instance, String thread) {
        this.state = new State(instance, new Site(thread));
    }

    State state() {
        return state;
    }

    void closed() {
        state.closed = true;
    }
}
