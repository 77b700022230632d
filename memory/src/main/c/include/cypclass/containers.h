/*
 * The C view of the built-in containers of org.cypclass.objects.containers (Cython+'s cyplist,
 * cypdict, cypset):
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
#include <cypclass/str.h>

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

/*
 * The dicts (LongLongDict, ..., IntDoubleDict; DictLayout in Java): a compact dict. Entries sit in
 * insertion order in `entries`: a 64-bit key word (int keys sign-extended), then a 64-bit value
 * word (int sign-extended, double as its bits). Entries 0 to used - 1 were written; entry e was
 * removed if bit (e % 64) of dead word e / 64 is set, the dead words following the `capacity`
 * entries. `index` has 2^index_bits slots of 8 bytes (0 empty, else hash_hi32 << 32 | (entry + 1)).
 * C may walk the entries; it must not change any word of the dict.
 */
typedef struct cyp_dict_entry { int64_t key; int64_t value; } cyp_dict_entry;

/* The fields of a dict or set, whose entries are of type entry_type, but the last word. */
#define CYP_HASH_HEAD(entry_type)                                                          \
    CyObject ob_base;                                                                      \
    int64_t size;         /* live entries */                                               \
    int64_t used;         /* entries written, live or removed; the next goes here */        \
    int64_t capacity;     /* entries the block holds (a power of two, or 0) */             \
    int64_t mod_count;    /* bumped by every change of size */                             \
    entry_type *entries;  /* capacity entries, then (capacity + 63) / 64 dead words */      \
    uint64_t *index;      /* 2^index_bits slots; NULL while capacity is 0 */               \
    int64_t index_bits

/* The fields of a dict or set, whose entries are of type entry_type. */
#define CYP_HASH_FIELDS(entry_type)                                                        \
    CYP_HASH_HEAD(entry_type);                                                             \
    int64_t value_type    /* a reference-value dict's value cypclass tp_id; 0 otherwise */

/* Whether entry e of any dict or set (a pointer to its struct) was removed. */
#define CYP_ENTRY_DEAD(container, e)                                                       \
    ((int) ((((const uint64_t *) ((container)->entries + (container)->capacity))[(e) >> 6] >> ((e) & 63)) & 1))

#define CYP_DICT_FIELDS CYP_HASH_FIELDS(cyp_dict_entry)

#define CYP_DICT(name) typedef struct name { CYP_DICT_FIELDS; } name
CYP_DICT(org_cypclass_objects_containers_LongLongDict);
CYP_DICT(org_cypclass_objects_containers_LongIntDict);
CYP_DICT(org_cypclass_objects_containers_LongDoubleDict);
CYP_DICT(org_cypclass_objects_containers_IntLongDict);
CYP_DICT(org_cypclass_objects_containers_IntIntDict);
CYP_DICT(org_cypclass_objects_containers_IntDoubleDict);

/* Whether entry e of a dict was removed. */
static inline int cyp_dict_dead(const org_cypclass_objects_containers_LongLongDict *dict, int64_t e) {
    const uint64_t *dead = (const uint64_t *) (dict->entries + dict->capacity);
    return (int) ((dead[e >> 6] >> (e & 63)) & 1);
}

_Static_assert(offsetof(org_cypclass_objects_containers_LongLongDict, size) == 32, "dict size is at offset 32 in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_LongLongDict, used) == 40, "dict used is at offset 40");
_Static_assert(offsetof(org_cypclass_objects_containers_LongLongDict, capacity) == 48, "dict capacity is at offset 48");
_Static_assert(offsetof(org_cypclass_objects_containers_LongLongDict, mod_count) == 56, "dict mod_count is at offset 56");
_Static_assert(offsetof(org_cypclass_objects_containers_LongLongDict, entries) == 64, "dict entries is at offset 64");
_Static_assert(offsetof(org_cypclass_objects_containers_LongLongDict, index) == 72, "dict index is at offset 72");
_Static_assert(offsetof(org_cypclass_objects_containers_LongLongDict, index_bits) == 80, "dict index_bits is at offset 80");
_Static_assert(offsetof(org_cypclass_objects_containers_LongLongDict, value_type) == 88, "dict value_type is at offset 88");
_Static_assert(sizeof(org_cypclass_objects_containers_LongLongDict) == 96, "a dict is 96 bytes in Java");
_Static_assert(sizeof(cyp_dict_entry) == 16, "a dict entry is 16 bytes in Java");

/*
 * The dicts with counted references (DictLayout in Java): the same struct, walked the same way.
 * LongRefDict and IntRefDict (int keys sign-extended): the value word of an entry is a CyObject *
 * (NULL for a null value) that holds one count, and value_type is the value cypclass's tp_id (0: any).
 * RefLongDict: the key word is a CyObject * (never NULL) that holds one count, keys are compared by
 * identity (the hash is the address's), and the last word is key_type, the key cypclass's tp_id.
 * C may follow the pointers of live entries to read the instances (on the owning thread, see
 * cyobject.h); it must not change the entries, nor move their counts.
 */
typedef struct cyp_ref_value_entry { int64_t key; CyObject *value; } cyp_ref_value_entry;
typedef struct cyp_ref_key_entry { CyObject *key; int64_t value; } cyp_ref_key_entry;

typedef struct org_cypclass_objects_containers_LongRefDict {
    CYP_HASH_FIELDS(cyp_ref_value_entry);
} org_cypclass_objects_containers_LongRefDict;
typedef struct org_cypclass_objects_containers_IntRefDict {
    CYP_HASH_FIELDS(cyp_ref_value_entry);
} org_cypclass_objects_containers_IntRefDict;
typedef struct org_cypclass_objects_containers_RefLongDict {
    CYP_HASH_HEAD(cyp_ref_key_entry);
    int64_t key_type;     /* the key cypclass's tp_id; 0: any cypclass */
} org_cypclass_objects_containers_RefLongDict;

_Static_assert(sizeof(cyp_ref_value_entry) == 16, "a reference-value entry is 16 bytes in Java");
_Static_assert(offsetof(cyp_ref_value_entry, value) == 8, "the value word follows the key word");
_Static_assert(sizeof(cyp_ref_key_entry) == 16, "a reference-key entry is 16 bytes in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_LongRefDict, entries) == 64, "LongRefDict entries is at offset 64");
_Static_assert(offsetof(org_cypclass_objects_containers_LongRefDict, value_type) == 88, "LongRefDict value_type is at offset 88");
_Static_assert(sizeof(org_cypclass_objects_containers_LongRefDict) == 96, "LongRefDict is 96 bytes in Java");
_Static_assert(sizeof(org_cypclass_objects_containers_IntRefDict) == 96, "IntRefDict is 96 bytes in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_RefLongDict, entries) == 64, "RefLongDict entries is at offset 64");
_Static_assert(offsetof(org_cypclass_objects_containers_RefLongDict, key_type) == 88, "RefLongDict key_type is at offset 88");
_Static_assert(sizeof(org_cypclass_objects_containers_RefLongDict) == 96, "RefLongDict is 96 bytes in Java");

/*
 * The sets (LongSet, IntSet; DictLayout in Java): the dict's struct with 8-byte entries, the key
 * word only (int elements sign-extended), so `entries` is an array of int64_t followed, after the
 * `capacity` entries, by the dead words; value_type is 0. Same rules: C may walk, not change.
 */
#define CYP_SET_FIELDS CYP_HASH_FIELDS(int64_t)

#define CYP_SET(name) typedef struct name { CYP_SET_FIELDS; } name
CYP_SET(org_cypclass_objects_containers_LongSet);
CYP_SET(org_cypclass_objects_containers_IntSet);

/* Whether entry e of a set was removed. */
static inline int cyp_set_dead(const org_cypclass_objects_containers_LongSet *set, int64_t e) {
    const uint64_t *dead = (const uint64_t *) (set->entries + set->capacity);
    return (int) ((dead[e >> 6] >> (e & 63)) & 1);
}

_Static_assert(offsetof(org_cypclass_objects_containers_LongSet, size) == 32, "set size is at offset 32 in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_LongSet, entries) == 64, "set entries is at offset 64");
_Static_assert(offsetof(org_cypclass_objects_containers_LongSet, value_type) == 88, "set value_type is at offset 88");
_Static_assert(sizeof(org_cypclass_objects_containers_LongSet) == 96, "a set is 96 bytes in Java");

/*
 * The containers keyed by string content (StrLongDict, StrRefDict, StrSet; DictLayout in Java):
 * the dict and set structs, whose key word is an org_cypclass_objects_CyStr * (never NULL) that
 * holds one count. Keys are compared by content: the probe compares the index slot's hash bits
 * with the string's hash, then length and bytes. StrRefDict's value word is a CyObject * (NULL
 * for null) that holds one count, and value_type is the value cypclass's tp_id; StrLongDict's and
 * StrSet's last word is 0. Their index slots are 16 bytes, cyp_str_slot: the slot word as in the
 * other containers, then the key's address (so that a probe loads the string and the entry
 * together); `index` points to cyp_str_slot[2^index_bits] there. C may walk and read; it must not
 * change the entries, nor move counts.
 */
typedef struct cyp_str_slot { uint64_t slot; org_cypclass_objects_CyStr *key; } cyp_str_slot;
_Static_assert(sizeof(cyp_str_slot) == 16, "a string-keyed index slot is 16 bytes in Java");
typedef struct cyp_str_long_entry { org_cypclass_objects_CyStr *key; int64_t value; } cyp_str_long_entry;
typedef struct cyp_str_ref_entry { org_cypclass_objects_CyStr *key; CyObject *value; } cyp_str_ref_entry;

typedef struct org_cypclass_objects_containers_StrLongDict {
    CYP_HASH_FIELDS(cyp_str_long_entry);
} org_cypclass_objects_containers_StrLongDict;
typedef struct org_cypclass_objects_containers_StrRefDict {
    CYP_HASH_FIELDS(cyp_str_ref_entry);
} org_cypclass_objects_containers_StrRefDict;
typedef struct org_cypclass_objects_containers_StrSet {
    CYP_HASH_FIELDS(org_cypclass_objects_CyStr *);
} org_cypclass_objects_containers_StrSet;

_Static_assert(sizeof(cyp_str_long_entry) == 16, "a StrLongDict entry is 16 bytes in Java");
_Static_assert(sizeof(cyp_str_ref_entry) == 16, "a StrRefDict entry is 16 bytes in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_StrLongDict, entries) == 64, "StrLongDict entries is at offset 64");
_Static_assert(sizeof(org_cypclass_objects_containers_StrLongDict) == 96, "StrLongDict is 96 bytes in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_StrRefDict, value_type) == 88, "StrRefDict value_type is at offset 88");
_Static_assert(sizeof(org_cypclass_objects_containers_StrRefDict) == 96, "StrRefDict is 96 bytes in Java");
_Static_assert(sizeof(org_cypclass_objects_containers_StrSet) == 96, "StrSet is 96 bytes in Java");

/*
 * The other containers of counted references (DictLayout in Java), walked as the dicts above.
 * RefRefDict: keys by identity, as RefLongDict's; both words of an entry are CyObject * holding one
 * count (a value may be NULL); value_type, then key_type (the cypclasses' tp_ids, 0: any).
 * RefSet: 8-byte entries, each a CyObject * holding one count (by identity); element_type.
 * KeyLongDict, KeyRefDict, KeySet: keys compared by content, through the key cypclass's @Hash and
 * @Equals methods (Java code: C cannot look a key up, only walk the entries). Each entry ends with
 * `hash`, the murmur3 finalizer of what the key's @Hash method gave when it was inserted, which
 * the index was built from; the keys are frozen. Same rules: C may walk and follow the pointers
 * of live entries, not change them nor move their counts.
 */
typedef struct cyp_ref_ref_entry { CyObject *key; CyObject *value; } cyp_ref_ref_entry;
typedef struct cyp_key_long_entry { CyObject *key; int64_t value; uint64_t hash; } cyp_key_long_entry;
typedef struct cyp_key_ref_entry { CyObject *key; CyObject *value; uint64_t hash; } cyp_key_ref_entry;
typedef struct cyp_key_set_entry { CyObject *key; uint64_t hash; } cyp_key_set_entry;

typedef struct org_cypclass_objects_containers_RefRefDict {
    CYP_HASH_HEAD(cyp_ref_ref_entry);
    int64_t value_type;   /* the value cypclass's tp_id; 0: any cypclass */
    int64_t key_type;     /* the key cypclass's tp_id; 0: any cypclass */
} org_cypclass_objects_containers_RefRefDict;
typedef struct org_cypclass_objects_containers_KeyLongDict {
    CYP_HASH_HEAD(cyp_key_long_entry);
    int64_t key_type;     /* the key cypclass's tp_id */
} org_cypclass_objects_containers_KeyLongDict;
typedef struct org_cypclass_objects_containers_KeyRefDict {
    CYP_HASH_HEAD(cyp_key_ref_entry);
    int64_t value_type;   /* the value cypclass's tp_id; 0: any cypclass */
    int64_t key_type;     /* the key cypclass's tp_id */
} org_cypclass_objects_containers_KeyRefDict;
typedef struct org_cypclass_objects_containers_RefSet {
    CYP_HASH_HEAD(CyObject *);
    int64_t element_type; /* the element cypclass's tp_id; 0: any cypclass */
} org_cypclass_objects_containers_RefSet;
typedef struct org_cypclass_objects_containers_KeySet {
    CYP_HASH_HEAD(cyp_key_set_entry);
    int64_t element_type; /* the element cypclass's tp_id */
} org_cypclass_objects_containers_KeySet;

_Static_assert(sizeof(cyp_ref_ref_entry) == 16, "a RefRefDict entry is 16 bytes in Java");
_Static_assert(sizeof(cyp_key_long_entry) == 24, "a KeyLongDict entry is 24 bytes in Java");
_Static_assert(offsetof(cyp_key_ref_entry, hash) == 16, "a content key's hash is the entry's last word");
_Static_assert(sizeof(cyp_key_set_entry) == 16, "a KeySet entry is 16 bytes in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_RefRefDict, value_type) == 88, "RefRefDict value_type is at offset 88");
_Static_assert(offsetof(org_cypclass_objects_containers_RefRefDict, key_type) == 96, "RefRefDict key_type is at offset 96");
_Static_assert(sizeof(org_cypclass_objects_containers_RefRefDict) == 104, "RefRefDict is 104 bytes in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_KeyLongDict, key_type) == 88, "KeyLongDict key_type is at offset 88");
_Static_assert(sizeof(org_cypclass_objects_containers_KeyLongDict) == 96, "KeyLongDict is 96 bytes in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_KeyRefDict, key_type) == 96, "KeyRefDict key_type is at offset 96");
_Static_assert(sizeof(org_cypclass_objects_containers_KeyRefDict) == 104, "KeyRefDict is 104 bytes in Java");
_Static_assert(offsetof(org_cypclass_objects_containers_RefSet, element_type) == 88, "RefSet element_type is at offset 88");
_Static_assert(sizeof(org_cypclass_objects_containers_KeySet) == 96, "KeySet is 96 bytes in Java");

#endif
