package org.cypclass.objects.actors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.internal.GuardToken;
import org.cypclass.objects.internal.ObjectsAccess;
import org.cypclass.objects.internal.SharedSecrets;

/**
 * The run-time side of one active object: its mailbox, whether it is scheduled, and the task
 * the scheduler runs to process a batch of its messages.
 *
 * <h2>Scheduling</h2>
 * {@link #scheduled} is 0 while the mailbox is empty and nobody runs the actor, 1 from the
 * moment a sender finds it 0 and sets it (compare-and-set) until the worker that drained the
 * mailbox clears it. Exactly one sender wins the compare-and-set, so the task is queued once and
 * at most one worker runs the actor: its messages run one at a time, in mailbox order. A
 * worker runs up to {@value #BATCH} messages, then queues the task again if more wait (so one
 * busy actor cannot hold a worker forever); when the mailbox is empty it clears the flag, then
 * looks again (a sender may have queued a message after the last poll and lost the
 * compare-and-set before the flag was cleared) and takes the actor back if so.
 *
 * <p>A sender that passed the system's open check before {@link ActorSystem#close()} began may
 * win the scheduling after the workers stopped; its submission is then rejected. It runs the
 * queued messages itself ({@link #drainHere}) instead of refusing: another sender may have
 * queued a message in between and returned, and that message must run. So a send racing with
 * close is either refused before its message is queued, or its message runs.
 *
 * <p>While scheduled the cell holds one count of the object, so closing the last
 * {@link Active} reference with messages still queued does not free the object under them:
 * the worker's release after the last message does.
 *
 * <p>The task is this object, a {@link ForkJoinTask} whose {@link #exec} never reports itself
 * complete, so the same task is queued again and again without an allocation per batch.
 *
 * <p>Thread-safety: safe to use from any thread through {@link #send}; {@link #exec} runs on
 * one worker at a time.
 */
final class ActorCell extends ForkJoinTask<Void> {

    private static final long serialVersionUID = 1L;
    private static final ObjectsAccess OBJECTS = SharedSecrets.objects();
    private static final int BATCH = 64;
    private static final VarHandle SCHEDULED;

    static {
        try {
            SCHEDULED = MethodHandles.lookup().findVarHandle(ActorCell.class, "scheduled", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final transient ActorSystem system;
    final long address;
    private final transient Mailbox mailbox = new Mailbox();
    private final transient Token token = new Token();
    private final transient CyObject view;
    @SuppressWarnings("unused")     // through SCHEDULED
    private volatile int scheduled;
    /** The id of the thread running one of this actor's messages, 0 between messages. */
    private volatile long runner;

    ActorCell(ActorSystem system, long address) {
        this.system = system;
        this.address = address;
        this.view = OBJECTS.guardView(address, token);
    }

    /** Whether thread {@code id} is running one of this actor's messages now. */
    boolean isRunningOn(long id) {
        return runner == id;
    }

    /**
     * Queues a message (a {@link Consumer} of the view, or an {@link Ask}) and schedules the
     * actor if it was idle.
     *
     * @throws IllegalStateException if the system is closed
     */
    void send(Object message) {
        system.checkOpen();
        mailbox.offer(message);
        if ((int) SCHEDULED.getVolatile(this) == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
            RefCount.retainShared(address);     // the queue's hold on the object, see the class doc
            system.activated();
            try {
                submit();
            } catch (RejectedExecutionException closedMeanwhile) {
                // The workers stopped between this sender's check and now. Other senders may
                // have queued messages meanwhile and returned, counting on this scheduling: a
                // refusal now would lose theirs silently, so this sender runs them, its own too.
                drainHere();
            }
        }
    }

    private void submit() {
        if (getPool() == system.pool) {
            fork();
        } else {
            system.pool.execute(this);
        }
    }

    @Override
    protected boolean exec() {
        runMessages(BATCH);
        if (!mailbox.isEmpty()) {
            submit();
            return false;
        }
        SCHEDULED.setVolatile(this, 0);
        if (!mailbox.isEmpty() && SCHEDULED.compareAndSet(this, 0, 1)) {
            submit();
            return false;
        }
        releaseHold();
        return false;
    }

    /** Runs up to {@code limit} queued messages on the calling thread, which holds the scheduling. */
    private void runMessages(int limit) {
        long me = Thread.currentThread().threadId();
        runner = me;
        OBJECTS.setWord(view, me);
        try {
            for (int n = 0; n < limit; n++) {
                Object message = mailbox.poll();
                if (message == null) {
                    break;
                }
                run(message);
            }
        } finally {
            mailbox.flushReturns();
            OBJECTS.setWord(view, 0);
            runner = 0;
        }
    }

    /**
     * Runs the mailbox on the sending thread, for a sender that won the scheduling after the
     * workers stopped: as {@link #exec} does, but to the end, looking again after clearing the
     * flag, and without a pool to hand the actor back to.
     */
    private void drainHere() {
        do {
            runMessages(Integer.MAX_VALUE);
            SCHEDULED.setVolatile(this, 0);
        } while (!mailbox.isEmpty() && SCHEDULED.compareAndSet(this, 0, 1));
        releaseHold();
    }

    /** Ends a scheduling: the system counts one actor less, and the queue's count goes (maybe the last one). */
    private void releaseHold() {
        system.deactivated();
        Active.release(this);
    }

    @SuppressWarnings("unchecked")
    private void run(Object message) {
        if (message instanceof Ask<?> ask) {
            ask.run(view);
            return;
        }
        try {
            ((Consumer<Object>) message).accept(view);
        } catch (Throwable failure) {
            system.report(this, failure);
        }
    }

    @Override
    public Void getRawResult() {
        return null;
    }

    @Override
    protected void setRawResult(Void value) {
    }

    @Override
    public String toString() {
        return "Active" + RefCount.describe(address);
    }

    /** A request whose result completes a future. */
    static final class Ask<R> {
        private final Function<Object, ? extends R> function;
        final ActorFuture<R> future;

        @SuppressWarnings("unchecked")
        Ask(Function<?, ? extends R> function, ActorFuture<R> future) {
            this.function = (Function<Object, ? extends R>) function;
            this.future = future;
        }

        void run(CyObject view) {
            try {
                future.complete(function.apply(view));
            } catch (Throwable failure) {
                future.completeExceptionally(failure);
            }
        }
    }

    /** What the core asks before the actor's view, or a reference read through it, is used. */
    private final class Token extends GuardToken {

        @Override
        public long root() {
            return address;
        }

        @Override
        public void check(CyObject reference, boolean write) {
            if (runner != Thread.currentThread().threadId()) {
                throw new CapabilityException("cannot use " + reference + " outside a message of " + ActorCell.this
                    + ": an active object's fields are reached only by its own messages (active.tell or ask), and a"
                    + " reference a message read must not outlive the message");
            }
        }
    }

    /** The pool a cell is queued on; for {@link ActorSystem}. */
    static boolean isWorkerOf(ForkJoinPool pool) {
        return getPool() == pool;
    }
}
