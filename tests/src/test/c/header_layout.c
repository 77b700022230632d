/* Prints the offset of every CyObject field and the struct's size and alignment, one
 * "name value" pair per line, for HeaderCLayoutTest to compare with the Java layout. */
#include <stddef.h>
#include <stdio.h>
#include <cypclass/cyobject.h>

int main(void) {
    printf("ob_refcnt %zu\n", offsetof(CyObject, ob_refcnt));
    printf("ob_type %zu\n", offsetof(CyObject, ob_type));
    printf("nogil_ob_refcnt %zu\n", offsetof(CyObject, nogil_ob_refcnt));
    printf("ob_state %zu\n", offsetof(CyObject, ob_state));
    printf("ob_owner %zu\n", offsetof(CyObject, ob_owner));
    printf("sizeof %zu\n", sizeof(CyObject));
    printf("alignof %zu\n", _Alignof(CyObject));
    printf("tp_name %zu\n", offsetof(CyTypeObject, tp_name));
    printf("tp_id %zu\n", offsetof(CyTypeObject, tp_id));
    printf("tp_flags %zu\n", offsetof(CyTypeObject, tp_flags));
    printf("tp_dealloc %zu\n", offsetof(CyTypeObject, tp_dealloc));
    printf("tp_lock_wait %zu\n", offsetof(CyTypeObject, tp_lock_wait));
    printf("tp_lock_wake %zu\n", offsetof(CyTypeObject, tp_lock_wake));
    printf("tp_methods %zu\n", offsetof(CyTypeObject, tp_methods));
    printf("sizeof_type %zu\n", sizeof(CyTypeObject));
    printf("CY_LOCAL %d\n", CY_LOCAL);
    printf("CY_SHARED %d\n", CY_SHARED);
    printf("CY_LOCKED %d\n", CY_LOCKED);
    printf("CY_LOCKED_MEMBER %d\n", CY_LOCKED_MEMBER);
    printf("CY_FROZEN %d\n", CY_FROZEN);
    printf("CY_ACTIVE %d\n", CY_ACTIVE);
    printf("CY_LOCK_WRITER %d\n", CY_LOCK_WRITER);
    printf("CY_LOCK_WRITER_WAITING %d\n", CY_LOCK_WRITER_WAITING);
    printf("CY_LOCK_PARKED %d\n", CY_LOCK_PARKED);
    printf("CY_LOCK_READER %d\n", CY_LOCK_READER);
    printf("CY_ATOMIC_REFCOUNT %d\n", CY_ATOMIC_REFCOUNT);
    printf("CY_OWNER_SHARED %lld\n", (long long) CY_OWNER_SHARED);
    printf("sizeof_methods %zu\n", sizeof(CyMethods));
    printf("CY_OK %d\n", CY_OK);
    printf("CY_EWRONG_THREAD %d\n", CY_EWRONG_THREAD);
    printf("CY_ENOT_LOCKED %d\n", CY_ENOT_LOCKED);
    printf("CY_ECAPABILITY %d\n", CY_ECAPABILITY);
    printf("CY_EDEAD %d\n", CY_EDEAD);
    printf("CY_EARGUMENT %d\n", CY_EARGUMENT);
    printf("CY_EEXCEPTION %d\n", CY_EEXCEPTION);
    return 0;
}
