/* Locks a Java locked object from C (cyobject.h's Cy_WLOCK family) on a pthread of its own,
 * while Java threads take the same lock through guards, and checks the lock's invariant from
 * C's side; plus the pieces of a hand-back to Java (hold, Cy_GETREF, give back). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>
#include <cypclass/cyobject.h>

/* One run of the pthread; the test runs one at a time. */
static struct {
    CyObject *o;
    int64_t left_at;
    int64_t right_at;
    _Atomic int32_t *occupancy;     /* [0] readers inside + (1 << 16) per writer inside, shared with
                                       Java; [1] the start signal: nonzero once every thread runs */
    int64_t ops;
    int64_t violations;
    int64_t writes;
    int64_t errors;
    int64_t contended;              /* operations whose first try failed: they took the slow path */
    pthread_t thread;
} run;

#define WRITER_INSIDE (1 << 16)

static int64_t *field(CyObject *o, int64_t at) {
    return (int64_t *) ((char *) o + at);
}

static void guarded_write(void) {
    if (!Cy_TRYWLOCK(run.o) && (run.contended++, Cy_WLOCK(run.o) != 0)) {
        run.errors++;
        return;
    }
    if (atomic_fetch_add(run.occupancy, WRITER_INSIDE) != 0) {
        run.violations++;               /* another writer, or a reader, beside this writer */
    }
    int64_t value = *field(run.o, run.left_at) + 1;
    *field(run.o, run.left_at) = value;
    if (run.writes % 500 == 0) {
        /* Now and then a long hold, so that the Java threads spin out and park behind C. */
        struct timespec pause = {0, 50000};
        nanosleep(&pause, NULL);
    }
    *field(run.o, run.right_at) = value;
    run.writes++;
    atomic_fetch_sub(run.occupancy, WRITER_INSIDE);
    Cy_UNWLOCK(run.o);
}

static void guarded_read(void) {
    if (!Cy_TRYRLOCK(run.o) && (run.contended++, Cy_RLOCK(run.o) != 0)) {
        run.errors++;
        return;
    }
    if ((atomic_fetch_add(run.occupancy, 1) & ~(WRITER_INSIDE - 1)) != 0) {
        run.violations++;               /* a writer beside this reader */
    }
    if (*field(run.o, run.left_at) != *field(run.o, run.right_at)) {
        run.violations++;               /* a torn write seen */
    }
    atomic_fetch_sub(run.occupancy, 1);
    Cy_UNRLOCK(run.o);
}

static void *worker(void *unused) {
    (void) unused;
    while (atomic_load(&run.occupancy[1]) == 0) {
        sched_yield();                  /* the test starts every thread at once: they must overlap */
    }
    for (int64_t i = 0; i < run.ops; i++) {
        if (i % 3 == 0) {
            guarded_write();
        } else {
            guarded_read();
        }
    }
    return NULL;
}

/* Starts ops guarded operations (every third a write) on a new pthread; 0 or an error number. */
int start_locking(CyObject *o, int64_t left_at, int64_t right_at, _Atomic int32_t *occupancy, int64_t ops) {
    run.o = o;
    run.left_at = left_at;
    run.right_at = right_at;
    run.occupancy = occupancy;
    run.ops = ops;
    run.violations = 0;
    run.writes = 0;
    run.errors = 0;
    run.contended = 0;
    return pthread_create(&run.thread, NULL, worker, NULL);
}

/* Waits for the pthread; out[0] violations seen, out[1] writes made, out[2] lock calls that
 * failed, out[3] operations that had to wait. */
int join_locking(int64_t *out) {
    int error = pthread_join(run.thread, NULL);
    out[0] = run.violations;
    out[1] = run.writes;
    out[2] = run.errors;
    out[3] = run.contended;
    return error;
}

int wlock(CyObject *o) {
    return Cy_WLOCK(o);
}

int rlock(CyObject *o) {
    return Cy_RLOCK(o);
}

void unwlock(CyObject *o) {
    Cy_UNWLOCK(o);
}

void unrlock(CyObject *o) {
    Cy_UNRLOCK(o);
}

int trywlock(CyObject *o) {
    return Cy_TRYWLOCK(o);
}

int tryrlock(CyObject *o) {
    return Cy_TRYRLOCK(o);
}

/* A writer on a pthread of its own: takes the write lock (waiting as long as needed), sets the
 * field at `at` to value, gives the lock back. */
static struct {
    CyObject *o;
    int64_t at;
    int64_t value;
    int result;
    pthread_t thread;
} writer;

static void *write_main(void *unused) {
    (void) unused;
    writer.result = Cy_WLOCK(writer.o);
    if (writer.result == 0) {
        *field(writer.o, writer.at) = writer.value;
        Cy_UNWLOCK(writer.o);
    }
    return NULL;
}

int start_writer(CyObject *o, int64_t at, int64_t value) {
    writer.o = o;
    writer.at = at;
    writer.value = value;
    writer.result = 1;
    return pthread_create(&writer.thread, NULL, write_main, NULL);
}

/* Waits for the writer; returns what its Cy_WLOCK returned (or -100 if the join failed). */
int join_writer(void) {
    return pthread_join(writer.thread, NULL) == 0 ? writer.result : -100;
}

static CyObject *held;

/* Takes a reference to o and keeps it. */
void hold(CyObject *o) {
    Cy_INCREF(o);
    held = o;
}

/* The count of the kept object, read by C. */
int32_t held_refcnt(void) {
    return Cy_GETREF(held);
}

/* The kept object's field at `at`, read by C. */
int64_t held_field(int64_t at) {
    return *field(held, at);
}

/* Gives the kept pointer, with its count, back to the caller (Java's CyType.adopt). */
CyObject *give_back(void) {
    CyObject *o = held;
    held = NULL;
    return o;
}

/* Gives the kept reference back with Cy_DECREF. */
void drop(void) {
    CyObject *o = held;
    held = NULL;
    Cy_DECREF(o);
}

int32_t getref(CyObject *o) {
    return Cy_GETREF(o);
}
