/* C calling the methods Java exports (@CExport) through the generated tables of Adder.h and
 * Gauge.h: the talk's Adder session from C alone, a reference kept across Java's last one,
 * calls from a pthread, under C's own lock, and every kind of parameter and result. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include "org/cypclass/examples/Adder.h"
#include "org/cypclass/examples/Gauge.h"
#include "org/cypclass/examples/Shape.h"

typedef org_cypclass_examples_Adder Adder;
typedef org_cypclass_examples_Adder_methods Adder_methods;
typedef org_cypclass_examples_Gauge Gauge;
typedef org_cypclass_examples_Gauge_methods Gauge_methods;

/* Copies the thread's last error message into out (cap bytes). */
static void last_error(const void *table, char *out, size_t cap) {
    snprintf(out, cap, "%s", Cy_LastError(table));
}

/* The talk's session: create an Adder, add 1 n times, read its value field, give the only count
 * back. Returns the value read, or a status below 0. *count_before_release gets Cy_GETREF. */
int64_t adder_session(const Adder_methods *m, int32_t start, int32_t n, int32_t *count_before_release) {
    Adder *a = NULL;
    int32_t status = m->create(start, &a);
    if (status != CY_OK) {
        return status;
    }
    if (Cy_METHODS(&a->ob_base) != m) {
        return -100;                    /* the instance's type object leads to the same table */
    }
    int32_t sum = 0;
    for (int32_t i = 0; i < n; i++) {
        status = m->add(a, 1, &sum);
        if (status != CY_OK) {
            Cy_DECREF(&a->ob_base);
            return status;
        }
    }
    if (sum != a->value) {
        return -101;                    /* add's result and the field C reads agree */
    }
    int32_t got = 0;
    if (m->get(a, &got) != CY_OK || got != a->value) {
        return -102;
    }
    *count_before_release = Cy_GETREF(&a->ob_base);
    int64_t value = a->value;
    Cy_DECREF(&a->ob_base);             /* the last count: tp_dealloc frees it here */
    return value;
}

/* Creates an Adder and hands its pointer (with its count) to Java, for adopt. */
int32_t create_adder(const Adder_methods *m, int32_t start, Adder **out) {
    return m->create(start, out);
}

/* A constructor called with a NULL result pointer. */
int32_t create_without_result(const Adder_methods *m, int32_t start) {
    return m->create(start, NULL);
}

void decref(CyObject *o) {
    Cy_DECREF(o);
}

/* One kept reference, as a C library would keep one. */
static Adder *kept;

void keep(Adder *a) {
    Cy_INCREF(&a->ob_base);
    kept = a;
}

/* Calls add on the kept Adder through its own type object's table. */
int32_t kept_add(int32_t v, int32_t *out) {
    const Adder_methods *m = Cy_METHODS(&kept->ob_base);
    return m->add(kept, v, out);
}

Adder *give_back_kept(void) {
    Adder *a = kept;
    kept = NULL;
    return a;
}

/* Calls add on this thread (Java's, through a downcall). */
int32_t call_add(const Adder_methods *m, Adder *a, int32_t v, int32_t *out, char *message, size_t cap) {
    int32_t status = m->add(a, v, out);
    if (status != CY_OK) {
        last_error(m, message, cap);
    }
    return status;
}

int32_t call_get(const Adder_methods *m, Adder *a, int32_t *out, char *message, size_t cap) {
    int32_t status = m->get(a, out);
    if (status != CY_OK) {
        last_error(m, message, cap);
    }
    return status;
}

/* Calls add under C's own lock of a locked Adder: mode 0 takes none, 1 the write lock, 2 a read lock. */
int32_t locked_add(const Adder_methods *m, Adder *a, int32_t mode, int32_t v, int32_t *out, char *message, size_t cap) {
    CyObject *o = &a->ob_base;
    if (mode == 1 && Cy_WLOCK(o) != 0) {
        return -100;
    }
    if (mode == 2 && Cy_RLOCK(o) != 0) {
        return -100;
    }
    int32_t status = m->add(a, v, out);
    if (status != CY_OK) {
        last_error(m, message, cap);
    }
    if (mode == 1) {
        Cy_UNWLOCK(o);
    } else if (mode == 2) {
        Cy_UNRLOCK(o);
    }
    return status;
}

/* A call on a pthread of its own: add (what 0) on an Adder, or is_above (1) or scale (2) on a Gauge. */
static struct {
    const void *m;
    void *o;
    int32_t what;
    int32_t status;
    double result;
    char message[512];
} foreign;

static void *foreign_call(void *unused) {
    (void) unused;
    foreign.message[0] = '\0';
    if (foreign.what == 0) {
        int32_t r = 0;
        foreign.status = ((const Adder_methods *) foreign.m)->add(foreign.o, 1, &r);
        foreign.result = r;
    } else if (foreign.what == 1) {
        bool r = false;
        foreign.status = ((const Gauge_methods *) foreign.m)->is_above(foreign.o, 1.0, &r);
        foreign.result = r;
    } else {
        double r = 0;
        foreign.status = ((const Gauge_methods *) foreign.m)->scale(foreign.o, 2.0f, &r);
        foreign.result = r;
    }
    if (foreign.status != CY_OK) {
        last_error(foreign.m, foreign.message, sizeof foreign.message);
    }
    return NULL;
}

/* Runs one call on a new pthread and waits for it; returns its status, or -100 if no thread ran. */
int32_t call_on_pthread(const void *m, void *o, int32_t what, double *result, char *message, size_t cap) {
    foreign.m = m;
    foreign.o = o;
    foreign.what = what;
    pthread_t thread;
    if (pthread_create(&thread, NULL, foreign_call, NULL) != 0 || pthread_join(thread, NULL) != 0) {
        return -100;
    }
    *result = foreign.result;
    snprintf(message, cap, "%s", foreign.message);
    return foreign.status;
}

/* Every kind of parameter and result of Gauge's table; returns 0 or the number of the first
 * check that failed (statuses and message for the failures are checked by Java). */
int32_t gauge_tour(const Gauge_methods *g, const Adder_methods *m, char *message, size_t cap) {
    Adder *a = NULL;
    if (m->create(5, &a) != CY_OK) {
        return 1;
    }
    Gauge *gauge = NULL;
    if (g->create_with(1.5, a, &gauge) != CY_OK || gauge->level != 1.5) {
        return 2;
    }
    if (Cy_GETREF(&a->ob_base) != 2) {
        return 3;                       /* C's count and the gauge's field */
    }
    double scaled = 0;
    if (g->scale(gauge, 2.0f, &scaled) != CY_OK || scaled != 3.0 || gauge->level != 3.0) {
        return 4;
    }
    bool above = false;
    if (g->is_above(gauge, 2.5, &above) != CY_OK || !above || g->is_above(gauge, 3.5, &above) != CY_OK || above) {
        return 5;
    }
    uint16_t initial = 0;
    if (g->initial(gauge, -2, 300, &initial) != CY_OK || initial != 'G' || gauge->calls != 298) {
        return 6;
    }
    void *echoed = NULL;
    if (g->echo(gauge, (void *) gauge, &echoed) != CY_OK || echoed != (void *) gauge) {
        return 7;
    }
    int32_t sum = 0;
    if (g->add_to(gauge, a, 10, &sum) != CY_OK || sum != 15 || a->value != 15) {
        return 8;
    }
    Adder *got = NULL;
    if (g->get_adder(gauge, &got) != CY_OK || got != a || Cy_GETREF(&a->ob_base) != 3) {
        return 9;                       /* a result comes with a count of its own */
    }
    Cy_DECREF(&got->ob_base);
    Adder *fresh = NULL;
    if (g->new_adder(gauge, 7, &fresh) != CY_OK || fresh == NULL || fresh->value != 7 || Cy_GETREF(&fresh->ob_base) != 1) {
        return 16;                      /* an owned result's only count goes to C */
    }
    Cy_DECREF(&fresh->ob_base);         /* freed: the leak check sees no Adder left */
    if (g->new_adder(gauge, 8, NULL) != CY_OK) {
        return 17;                      /* NULL drops an owned result: it is closed, not leaked */
    }
    if (g->scale(gauge, 1.0f, NULL) != CY_OK) {
        return 10;                      /* NULL drops a result */
    }
    int64_t calls = 0;
    if (g->calls2(gauge, &calls) != CY_OK || calls != 298) {
        return 11;
    }
    /* The failures: a wrong class, NULL, and an exception. */
    if (g->add_to(gauge, (Adder *) gauge, 1, &sum) != CY_EARGUMENT) {
        return 12;
    }
    if (g->scale(NULL, 1.0f, &scaled) != CY_EDEAD) {
        return 13;
    }
    if (g->fail(gauge) != CY_EEXCEPTION) {
        return 14;
    }
    last_error(g, message, cap);
    if (g->set_adder(gauge, NULL) != CY_OK || gauge->adder != NULL || Cy_GETREF(&a->ob_base) != 1) {
        return 15;
    }
    Cy_DECREF(&gauge->ob_base);
    Cy_DECREF(&a->ob_base);
    return 0;
}

/* A pthread calling exported methods of a locked Adder under C's lock while Java threads take
 * guards: ops operations, every third add(1) under the write lock, the others get under a read
 * lock. The pthread waits for the start flag so that the threads overlap. */
static struct {
    const Adder_methods *m;
    Adder *a;
    int64_t ops;
    _Atomic int32_t *start;
    int64_t adds;
    int64_t failures;
    pthread_t thread;
} contended;

static void *contended_calls(void *unused) {
    (void) unused;
    while (atomic_load(contended.start) == 0) {
        sched_yield();
    }
    CyObject *o = &contended.a->ob_base;
    for (int64_t i = 0; i < contended.ops; i++) {
        int32_t r = 0;
        if (i % 3 == 0) {
            if (Cy_WLOCK(o) != 0) {
                contended.failures++;
                continue;
            }
            int32_t before = contended.a->value;
            if (contended.m->add(contended.a, 1, &r) != CY_OK || r != before + 1) {
                contended.failures++;
            } else {
                contended.adds++;
            }
            Cy_UNWLOCK(o);
        } else {
            if (Cy_RLOCK(o) != 0) {
                contended.failures++;
                continue;
            }
            if (contended.m->get(contended.a, &r) != CY_OK || r != contended.a->value) {
                contended.failures++;
            }
            Cy_UNRLOCK(o);
        }
    }
    return NULL;
}

int32_t start_contended_calls(const Adder_methods *m, Adder *a, int64_t ops, _Atomic int32_t *start) {
    contended.m = m;
    contended.a = a;
    contended.ops = ops;
    contended.start = start;
    contended.adds = 0;
    contended.failures = 0;
    return pthread_create(&contended.thread, NULL, contended_calls, NULL);
}

/* Joins the pthread; results[0] = adds, results[1] = failures. */
int32_t join_contended_calls(int64_t *results) {
    int32_t joined = pthread_join(contended.thread, NULL);
    results[0] = contended.adds;
    results[1] = contended.failures;
    return joined;
}

/* n calls of add from a loop in C; the sum of the results, or -1 - i if call i failed. */
int64_t add_loop(const Adder_methods *m, Adder *a, int64_t n) {
    int64_t sum = 0;
    for (int64_t i = 0; i < n; i++) {
        int32_t r;
        if (m->add(a, 1, &r) != CY_OK) {
            return -1 - i;
        }
        sum += r;
    }
    return sum;
}

/* Shape's exported area on any object C passes as a Shape: Java dispatches a Circle's override. */
int32_t shape_area(const org_cypclass_examples_Shape_methods *m, org_cypclass_examples_Shape *s, double *out) {
    return m->area(s, out);
}

/* The table of o's runtime class, NULL if it exports nothing. */
const void *methods_of(CyObject *o) {
    return Cy_METHODS(o);
}

/* The Adder session on a pthread of its own: the object is thread-local to that (attached)
 * thread, whose calls then run. */
static struct {
    const Adder_methods *m;
    int64_t value;
    int32_t status;
} native_session;

static void *native_session_run(void *unused) {
    (void) unused;
    Adder *a = NULL;
    native_session.status = native_session.m->create(1, &a);
    if (native_session.status != CY_OK) {
        return NULL;
    }
    int32_t r = 0;
    for (int i = 0; i < 3 && native_session.status == CY_OK; i++) {
        native_session.status = native_session.m->add(a, 1, &r);
    }
    native_session.value = a->value;
    Cy_DECREF(&a->ob_base);
    return NULL;
}

/* Runs it; returns the status of its calls, the value through *value, -100 if no thread ran. */
int32_t session_on_pthread(const Adder_methods *m, int64_t *value) {
    native_session.m = m;
    native_session.value = -1;
    pthread_t thread;
    if (pthread_create(&thread, NULL, native_session_run, NULL) != 0 || pthread_join(thread, NULL) != 0) {
        return -100;
    }
    *value = native_session.value;
    return native_session.status;
}
