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
                StackTraceElement[] frames = site.getStackTrace();
                int first = firstUserFrame(frames);
                StringBuilder text = new StringBuilder("cypclass LEAK: a reference to ").append(instance)
                    .append(" was never closed; it was taken ").append(site.getMessage());
                if (first > 0) {
                    StackTraceElement call = frames[first - 1];
                    text.append(" through ").append(simpleName(call.getClassName())).append('.').append(call.getMethodName());
                }
                text.append('\n');
                for (int i = first; i < frames.length; i++) {
                    text.append("\tat ").append(frames[i]).append('\n');
                }
                ReferenceLeaks.report(text.toString());
            }
        }

        /**
         * The first frame of the code that took the reference: past the library's own frames
         * (the watch, the factory, the generated {@code Cy_} class), so that the report starts
         * at the user's line. All frames when every one is the library's.
         */
        static int firstUserFrame(StackTraceElement[] frames) {
            for (int i = 0; i < frames.length; i++) {
                String type = frames[i].getClassName();
                boolean library = type.startsWith("org.cypclass.objects.") || type.startsWith("org.cypclass.memory.")
                    || simpleName(type).startsWith("Cy_");
                if (!library) {
                    return i;
                }
            }
            return 0;
        }

        private static String simpleName(String className) {
            return className.substring(className.lastIndexOf('.') + 1);
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
