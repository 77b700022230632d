/*
 * The C view of org.cypclass.objects.CyStr, the library's immutable string (Cython+'s Str): a
 * cypclass instance whose UTF-8 bytes follow its byte length and its 64-bit hash, both written
 * once at creation. Hand-written; StrCViewTest checks it against the Java layout (StrLayout)
 * with gcc. The struct name is the one the annotation processor gives a `CyStr name();` field.
 *
 * A string is frozen from birth (ob_state FROZEN, ob_owner -1, atomic counts): any thread may
 * read it, and move its count with Cy_INCREF / Cy_DECREF (see cyobject.h), while it holds a
 * count. Nothing may write length, hash or data. data is not NUL-terminated: use length.
 */
#ifndef CYPCLASS_STR_H
#define CYPCLASS_STR_H

#include <stddef.h>
#include <stdint.h>
#include <cypclass/cyobject.h>

typedef struct org_cypclass_objects_CyStr {
    CyObject ob_base;
    int64_t length;       /* bytes of data */
    uint64_t hash;        /* the library's 64-bit hash of data (StrLayout.hash), for dict probes */
    uint8_t data[];       /* length bytes of well-formed UTF-8, no NUL */
} org_cypclass_objects_CyStr;

_Static_assert(offsetof(org_cypclass_objects_CyStr, length) == 32, "CyStr.length is at offset 32 in Java");
_Static_assert(offsetof(org_cypclass_objects_CyStr, hash) == 40, "CyStr.hash is at offset 40 in Java");
_Static_assert(offsetof(org_cypclass_objects_CyStr, data) == 48, "CyStr.data is at offset 48 in Java");
_Static_assert(sizeof(org_cypclass_objects_CyStr) == 48, "CyStr's fixed part is 48 bytes in Java");

#endif
