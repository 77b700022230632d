/* Count macros built with CY_DEBUG, for CDebugTest: each runs Cy_debug_check first, which the Java
 * library installs (CDebug.install), so a foreign or freed pointer stops the process with a
 * message instead of corrupting memory. */
#define CY_DEBUG
#include <string.h>
#include <cypclass/cyobject.h>

void debug_incref(CyObject *o) {
    Cy_INCREF(o);
}

void debug_decref(CyObject *o) {
    Cy_DECREF(o);
}

/* Cy_INCREF on memory the cypclass allocator never gave out. */
void debug_incref_foreign(void) {
    CyObject *o = malloc(sizeof(CyObject) + 32);
    memset(o, 0, sizeof(CyObject) + 32);
    Cy_INCREF(o);
    free(o);
}

/* Cy_DECREF on a pointer into the middle of an object. */
void debug_decref_inside(CyObject *o) {
    Cy_DECREF((CyObject *) ((char *) o + 8));
}
