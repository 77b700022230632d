package org.cypclass.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.Arrays;

import org.cypclass.memory.internal.ThreadNames;

/**
 * A region of code that promises not to touch the garbage-collected world: no allocation on
 * the Java heap and no Java monitor, the JVM's analogue of Cython+'s {@code with nogil:}.
 *
 * <pre>{@code
 * try (NogilRegion _ = NogilRegion.enter("sum the payloads")) {
 *     for (Node n = list; n != null; n = n.next()) {
 *         sum += n.payload();
 *     }
 * }
 * }</pre>
 *
 * <p><b>Switched off</b> (the default), {@link #enter} returns one shared region whose
 * {@link #close()} does nothing: a static final flag the JIT folds away, so a region costs
 * nothing measurable and allocates nothing.
 *
 * <p><b>Switched on</b> with {@code -D}{@value #CHECK_PROPERTY}{@code =true} (read once at
 * start-up), a region measures its thread and {@link #close()} throws
 * {@link NogilViolationException}, naming the region, when the thread:
 * <ul>
 *   <li>allocated on the Java heap inside it (the thread's allocated-bytes counter of
 *       {@code com.sun.management.ThreadMXBean}, exact to the byte; the region's own
 *       bookkeeping is excluded);</li>
 *   <li>blocked on a Java monitor inside it (the thread's blocked count: a contended
 *       {@code synchronized} entry), or still holds a monitor at close that it did not hold at
 *       entry.</li>
 * </ul>
 * An uncontended {@code synchronized} block entered and left inside the region is invisible
 * to the JVM's management interface and is not reported. Regions nest; each checks its own
 * span. Checking costs a few microseconds per region (a thread-info snapshot at each end), so
 * switch it on in tests, not in production.
 *
 * <p>Thread-safety: confined to the owning thread, the one that entered the region: closing it on
 * another thread throws {@link WrongThreadException}. The shared disabled region may be used by any
 * thread.
 */
public final class NogilRegion implements AutoCloseable {

    /** System property that switches checking on: {@code -Dcypclass.nogil.check=true}. */
    public static final String CHECK_PROPERTY = "cypclass.nogil.check";

    private static final boolean CHECKING = org.cypclass.memory.internal.SystemSwitches.flag(CHECK_PROPERTY);
    private static final NogilRegion DISABLED = new NogilRegion(null);
    private static final com.sun.management.ThreadMXBean THREADS =
        CHECKING ? (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean() : null;

    private final String name;
    private Thread thread;
    private long allocatedAtEntry;
    private long blockedAtEntry;
    private MonitorInfo[] monitorsAtEntry;
    private boolean closed;

    private NogilRegion(String name) {
        this.name = name;
    }

    /**
     * {@return whether regions are checked in this JVM: the value of {@value #CHECK_PROPERTY} at
     * start-up}
     */
    public static boolean checking() {
        return CHECKING;
    }

    /**
     * Enters a region on the calling thread.
     *
     * @param name what the region does, for the violation message
     * @return the region, to close (try-with-resources) where the promise ends
     * @throws NullPointerException if {@code name} is null while checking
     */
    public static NogilRegion enter(String name) {
        if (!CHECKING) {
            return DISABLED;
        }
        java.util.Objects.requireNonNull(name, "name");
        NogilRegion region = new NogilRegion(name);
        Thread current = Thread.currentThread();
        region.thread = current;
        ThreadInfo info = THREADS.getThreadInfo(new long[] {current.threadId()}, true, false)[0];
        region.blockedAtEntry = info == null ? 0 : info.getBlockedCount();
        region.monitorsAtEntry = info == null ? new MonitorInfo[0] : info.getLockedMonitors();
        // Last, so that the bookkeeping above is not counted as the region's allocation.
        region.allocatedAtEntry = THREADS.getCurrentThreadAllocatedBytes();
        return region;
    }

    /**
     * Ends the region and, when checking, reports what broke its promise. Closing again does
     * nothing.
     *
     * @throws NogilViolationException if the thread allocated on the Java heap or blocked on a
     *         monitor inside the region, or holds a monitor it did not hold at entry
     * @throws WrongThreadException if called on another thread than the one that entered it
     */
    @Override
    public void close() {
        if (this == DISABLED || closed) {
            return;
        }
        // First, before anything here allocates.
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedAtEntry;
        Thread current = Thread.currentThread();
        if (current != thread) {
            throw new WrongThreadException("the nogil region \"" + name + "\" was entered on "
                + ThreadNames.of(thread) + "; " + ThreadNames.of(current) + " may not close it");
        }
        closed = true;
        ThreadInfo info = THREADS.getThreadInfo(new long[] {current.threadId()}, true, false)[0];
        long blocked = info == null ? 0 : info.getBlockedCount() - blockedAtEntry;
        String[] newMonitors = info == null ? new String[0] : Arrays.stream(info.getLockedMonitors())
            .filter(monitor -> Arrays.stream(monitorsAtEntry).noneMatch(held -> held.getIdentityHashCode() == monitor.getIdentityHashCode()))
            .map(MonitorInfo::toString).toArray(String[]::new);
        if (allocated > 0 || blocked > 0 || newMonitors.length > 0) {
            StringBuilder broken = new StringBuilder();
            if (allocated > 0) {
                broken.append(allocated).append(" bytes allocated on the Java heap");
            }
            if (blocked > 0) {
                broken.append(broken.isEmpty() ? "" : ", ").append("blocked ").append(blocked)
                    .append(" time(s) entering a Java monitor");
            }
            if (newMonitors.length > 0) {
                broken.append(broken.isEmpty() ? "" : ", ").append("still holding ").append(String.join(", ", newMonitors));
            }
            throw new NogilViolationException(name, allocated, blocked, "the nogil region \"" + name + "\" on "
                + ThreadNames.of(current) + " broke its promise: " + broken
                + "; move that work out of the region (run with -D" + CHECK_PROPERTY + "=false to stop checking)");
        }
    }

    @Override
    public String toString() {
        return this == DISABLED ? "nogil region (not checked)" : "nogil region \"" + name + "\"" + (closed ? " (closed)" : "");
    }
}
