package org.cypclass.objects.actors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.checkerframework.checker.mustcall.qual.MustCallUnknown;

/**
 * The result of {@link Active#ask}: a {@link CompletableFuture} completed by the actor's message,
 * normally with its result or exceptionally with what it threw.
 *
 * <p>Waiting ({@link #get()}, {@link #join()}, the timed {@code get}) on a future that is not yet
 * complete from inside a message of the very actor that must complete it would wait forever
 * (the actor runs one message at a time): it throws {@link IllegalStateException} at once
 * instead. Compose with {@code thenApply}/{@code thenAccept} inside actors instead of waiting.
 *
 * @param <R> the result type
 */
public final class ActorFuture<R extends @MustCallUnknown Object> extends CompletableFuture<R> {

    private final ActorCell cell;

    ActorFuture(ActorCell cell) {
        this.cell = cell;
    }

    private void refuseSelfWait() {
        if (!isDone() && cell.isRunningOn(Thread.currentThread().threadId())) {
            throw new IllegalStateException("waiting for a result of " + cell + " from inside one of its own messages"
                + " would never end: an actor runs one message at a time. Compose with thenApply/thenAccept instead");
        }
    }

    /**
     * Waits for the result.
     *
     * @return the result
     * @throws IllegalStateException if called inside a message of the actor that must complete it
     */
    @Override
    public R get() throws InterruptedException, ExecutionException {
        refuseSelfWait();
        return super.get();
    }

    /**
     * Waits for the result at most {@code timeout}.
     *
     * @return the result
     * @throws IllegalStateException if called inside a message of the actor that must complete it
     */
    @Override
    public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseSelfWait();
        return super.get(timeout, unit);
    }

    /**
     * Waits for the result, unchecked.
     *
     * @return the result
     * @throws IllegalStateException if called inside a message of the actor that must complete it
     */
    @Override
    public R join() {
        refuseSelfWait();
        return super.join();
    }
}
