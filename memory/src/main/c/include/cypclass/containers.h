/*
 * The C view of the built-in containers of org.cypclass.objects.containers (Cython+'s cyplist):
 * each is a cypclass instance, so it starts with the CyObject header, and its elements live
 * in a separate block that `data` points to. The struct names are the ones the annotation
 * processor gives every cypclass (qualified name, dots as underscores), so a user cypclass
 * with a `LongList samples();` field declares `struct org_cypclass_objects_containers_LongList *samples;`
 * and this header defines it. Hand-written; ContainerCViewTest checks it against the Java
 * layouts (ListLayout) with gcc.
 *
 * C may read a list it has a counted reference to, on the thread that owns it (a thread-local
 * instance: see cyobject.h), while Java does not change it. Elements 0 to size - 1 are valid;
 * C must not change size, capacity or data (Java owns the storage block), nor the slots of a
 * RefList (each holds one count).
 */
#ifndef CYPCLASS_CONTAINERS_H
#define CYPCLASS_CONTAINERS_H

#include <stddef.h>
#include <stdint.h>
#include <cypclass/cyobject.h>

#define CYP_LIST_FIELDS(elem)                                                              \
    CyObject ob_base;                                                                      \
    int64_t size;         /* elements in use */                                            \
    int64_t capacity;     /* elements the block holds */                                   \
    int64_t mod_count;    /* bumped by inserts, removals, clears; appends: size only */    \
    elem *data            /* the elements; NULL while capacity is 0 */

typedef struct org_cypclass_objects_containers_LongList { CYP_LIST_FIELDS(int64_t); } org_cypclass_objects_containers_LongList;
typedef struct org_cypclass_objects_containers_IntList { CYP_LIST_FIELDS(int32_t); } org_cypclass_objects_containers_IntList;
typedef struct org_cypclass_objects_containers_DoubleList { CYP_LIST_FIELDS(double); } org_cypclass_objects_containers_DoubleList;
typedef struct org_cypclass_objects_containers_RefList {
    CYP_LIST_FIELDS(CyObject *);
    int64_t element_type; /* the element cypclass's tp_id; 0: any cypclass */
} org_cypclass_objects_containers_RefList;

#define CYP_LIST_ASSERTS(type)                                                             \
    _Static_assert(offsetof(type, size) == 32, #type ".size is at offset 32 in Java");      \
    _Static_assert(offsetof(type, capacity) == 40, #type ".capacity is at offset 40");      \
    _Static_assert(offsetof(type, mod_count) == 48, #type ".mod_count is at offset 48");    \
    _Static_assert(offsetof(type, data) == 56, #type ".data is at offset 56")

CYP_LIST_ASSERTS(org_cypclass_objects_containers_LongList);
CYP_LIST_ASSERTS(org_cypclass_objects_containers_IntList);
CYP_LIST_ASSERTS(org_cypclass_objects_containers_DoubleList);
CYP_LIST_ASSERTS(org_cypclass_objects_containers_RefList);
_Static_assert(sizeof(org_cypclass_objects_containers_LongList) == 64, "LongList is 64 bytes in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_RefList, element_type) == 64, "RefList.element_type is at offset 64");
_Static_assert(sizeof(org_cypclass_objects_containers_RefList) == 72, "RefList is 72 bytes in Java");

#endif
