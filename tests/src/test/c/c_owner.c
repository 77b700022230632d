/* A C library that owns a reference to an object created by Java, through cyobject.h only:
 * it keeps one pointer, takes a reference when it stores it and gives it back when it drops
 * it, on the calling thread or on a native thread of its own. */
#include <pthread.h>
#include <stddef.h>
#include <cypclass/cyobject.h>

static CyObject *held;

/* Takes a reference to o and keeps it. */
void hold(CyObject *o) {
    Cy_INCREF(o);
    held = o;
}

/* Gives the kept reference back on the calling thread. */
void drop(void) {
    CyObject *o = held;
    held = NULL;
    Cy_DECREF(o);
}

static void *drop_main(void *unused) {
    (void) unused;
    drop();
    return NULL;
}

/* Gives the kept reference back on a new pthread (one the JVM did not create) and waits for
 * it to end; returns 0, or the error number of pthread_create / pthread_join. */
int drop_on_native_thread(void) {
    pthread_t thread;
    int error = pthread_create(&thread, NULL, drop_main, NULL);
    if (error != 0) {
        return error;
    }
    return pthread_join(thread, NULL);
}

void incref(CyObject *o) {
    Cy_INCREF(o);
}

void xdecref(CyObject *o) {
    Cy_XDECREF(o);
}

/* Misuse: calls tp_dealloc without having released the last reference. */
void call_tp_dealloc(CyObject *o) {
    o->ob_type->tp_dealloc(o);
}
