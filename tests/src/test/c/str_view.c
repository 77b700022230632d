/* C code on live strings and string-keyed containers, through the hand-written cypclass/str.h and
 * cypclass/containers.h and the header the processor generated for Named (whose CyStr field
 * points at the same struct). Built as a shared library by StrCViewTest, which also calls
 * str_layout() to compare every offset and size with the Java layouts. */
#include <stdio.h>
#include <string.h>
#include <cypclass/containers.h>
#include <cypclass/str.h>
#include "org/cypclass/examples/Named.h"

/* "name offset" lines, for the layout comparison. */
int str_layout(char *out, int capacity) {
    return snprintf(out, capacity,
        "CyStr.length %zu\nCyStr.hash %zu\nCyStr.data %zu\nCyStr sizeof %zu\n"
        "StrLongDict.entries %zu\nStrLongDict sizeof %zu\nStrRefDict.value_type %zu\nStrRefDict sizeof %zu\n"
        "StrSet.entries %zu\nStrSet sizeof %zu\n",
        offsetof(org_cypclass_objects_CyStr, length), offsetof(org_cypclass_objects_CyStr, hash),
        offsetof(org_cypclass_objects_CyStr, data), sizeof(org_cypclass_objects_CyStr),
        offsetof(org_cypclass_objects_containers_StrLongDict, entries), sizeof(org_cypclass_objects_containers_StrLongDict),
        offsetof(org_cypclass_objects_containers_StrRefDict, value_type), sizeof(org_cypclass_objects_containers_StrRefDict),
        offsetof(org_cypclass_objects_containers_StrSet, entries), sizeof(org_cypclass_objects_containers_StrSet));
}

/* Copies a string's bytes into out (at most capacity bytes); returns its length. */
int64_t str_copy(const org_cypclass_objects_CyStr *str, uint8_t *out, int64_t capacity) {
    for (int64_t i = 0; i < str->length && i < capacity; i++) {
        out[i] = str->data[i];
    }
    return str->length;
}

uint64_t str_hash(const org_cypclass_objects_CyStr *str) {
    return str->hash;
}

/* The sum over live entries of the key's length times the value. */
int64_t str_long_dict_weighted(const org_cypclass_objects_containers_StrLongDict *dict) {
    int64_t sum = 0;
    for (int64_t e = 0; e < dict->used; e++) {
        if (!CYP_ENTRY_DEAD(dict, e)) {
            sum += dict->entries[e].key->length * dict->entries[e].value;
        }
    }
    return sum;
}

/* Looks a string up in a StrLongDict the way Java does, through the 16-byte index slots: the
 * probe starts at the home slot (the hash's top index_bits bits), passes slots whose hash bits
 * differ, and compares the key each slot carries (no entry load) by length and bytes. Returns the
 * value, or -1 if the string is no key. */
int64_t str_long_dict_get(const org_cypclass_objects_containers_StrLongDict *dict,
                          const org_cypclass_objects_CyStr *key) {
    if (dict->index == NULL) {
        return -1;
    }
    const cyp_str_slot *slots = (const cyp_str_slot *) dict->index;
    uint64_t mask = ((uint64_t) 1 << dict->index_bits) - 1;
    for (uint64_t s = key->hash >> (64 - dict->index_bits); ; s = (s + 1) & mask) {
        if (slots[s].slot == 0) {
            return -1;
        }
        const org_cypclass_objects_CyStr *stored = slots[s].key;
        if ((slots[s].slot >> 32) == (key->hash >> 32) && stored->length == key->length
                && memcmp(stored->data, key->data, (size_t) key->length) == 0) {
            int64_t e = (int64_t) (slots[s].slot & 0xFFFFFFFFu) - 1;
            return dict->entries[e].key == stored ? dict->entries[e].value : -2;
        }
    }
}

/* The total length of a set's live strings. */
int64_t str_set_total_length(const org_cypclass_objects_containers_StrSet *set) {
    int64_t sum = 0;
    for (int64_t e = 0; e < set->used; e++) {
        if (!CYP_ENTRY_DEAD(set, e)) {
            sum += set->entries[e]->length;
        }
    }
    return sum;
}

/* The length of a Named's name through the processor's header, -1 for null. */
int64_t named_name_length(const org_cypclass_examples_Named *named) {
    return named->name == NULL ? -1 : named->name->length;
}
