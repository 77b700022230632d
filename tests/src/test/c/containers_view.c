/* C code on live containers, through the hand-written cypclass/containers.h and the header the
 * processor generated for Inventory (whose list fields point at the same structs). Built as a
 * shared library by ContainerCViewTest, which also calls container_layout() to compare every
 * offset and size with the Java layouts. */
#include <stdio.h>
#include <cypclass/containers.h>
#include "org/cypclass/examples/Inventory.h"
#include "org/cypclass/examples/Node.h"
#include "org/cypclass/examples/Registry.h"
#include "org/cypclass/examples/Point.h"

/* "name offset" lines, for the layout comparison. */
int container_layout(char *out, int capacity) {
    return snprintf(out, capacity,
        "LongList.size %zu\nLongList.capacity %zu\nLongList.mod_count %zu\nLongList.data %zu\nLongList sizeof %zu\n"
        "IntList.data %zu\nIntList sizeof %zu\nDoubleList.data %zu\nDoubleList sizeof %zu\n"
        "RefList.data %zu\nRefList.element_type %zu\nRefList sizeof %zu\n"
        "LongLongDict.size %zu\nLongLongDict.used %zu\nLongLongDict.capacity %zu\nLongLongDict.mod_count %zu\n"
        "LongLongDict.entries %zu\nLongLongDict.index %zu\nLongLongDict.index_bits %zu\nLongLongDict.value_type %zu\n"
        "LongLongDict sizeof %zu\nIntDoubleDict sizeof %zu\n"
        "LongSet.entries %zu\nLongSet.index %zu\nLongSet sizeof %zu\nIntSet.entries %zu\nIntSet sizeof %zu\n"
        "LongRefDict.entries %zu\nLongRefDict.value_type %zu\nLongRefDict sizeof %zu\nIntRefDict.value_type %zu\n"
        "IntRefDict sizeof %zu\nRefLongDict.entries %zu\nRefLongDict.key_type %zu\nRefLongDict sizeof %zu\n",
        offsetof(org_cypclass_objects_containers_LongList, size),
        offsetof(org_cypclass_objects_containers_LongList, capacity),
        offsetof(org_cypclass_objects_containers_LongList, mod_count),
        offsetof(org_cypclass_objects_containers_LongList, data),
        sizeof(org_cypclass_objects_containers_LongList),
        offsetof(org_cypclass_objects_containers_IntList, data),
        sizeof(org_cypclass_objects_containers_IntList),
        offsetof(org_cypclass_objects_containers_DoubleList, data),
        sizeof(org_cypclass_objects_containers_DoubleList),
        offsetof(org_cypclass_objects_containers_RefList, data),
        offsetof(org_cypclass_objects_containers_RefList, element_type),
        sizeof(org_cypclass_objects_containers_RefList),
        offsetof(org_cypclass_objects_containers_LongLongDict, size),
        offsetof(org_cypclass_objects_containers_LongLongDict, used),
        offsetof(org_cypclass_objects_containers_LongLongDict, capacity),
        offsetof(org_cypclass_objects_containers_LongLongDict, mod_count),
        offsetof(org_cypclass_objects_containers_LongLongDict, entries),
        offsetof(org_cypclass_objects_containers_LongLongDict, index),
        offsetof(org_cypclass_objects_containers_LongLongDict, index_bits),
        offsetof(org_cypclass_objects_containers_LongLongDict, value_type),
        sizeof(org_cypclass_objects_containers_LongLongDict),
        sizeof(org_cypclass_objects_containers_IntDoubleDict),
        offsetof(org_cypclass_objects_containers_LongSet, entries),
        offsetof(org_cypclass_objects_containers_LongSet, index),
        sizeof(org_cypclass_objects_containers_LongSet),
        offsetof(org_cypclass_objects_containers_IntSet, entries),
        sizeof(org_cypclass_objects_containers_IntSet),
        offsetof(org_cypclass_objects_containers_LongRefDict, entries),
        offsetof(org_cypclass_objects_containers_LongRefDict, value_type),
        sizeof(org_cypclass_objects_containers_LongRefDict),
        offsetof(org_cypclass_objects_containers_IntRefDict, value_type),
        sizeof(org_cypclass_objects_containers_IntRefDict),
        offsetof(org_cypclass_objects_containers_RefLongDict, entries),
        offsetof(org_cypclass_objects_containers_RefLongDict, key_type),
        sizeof(org_cypclass_objects_containers_RefLongDict));
}

int64_t long_list_sum(org_cypclass_objects_containers_LongList *list) {
    int64_t sum = 0;
    for (int64_t i = 0; i < list->size; i++) {
        sum += list->data[i];
    }
    return sum;
}

/* Follows each slot of a RefList of nodes to the node's payload. */
int64_t node_list_payloads(org_cypclass_objects_containers_RefList *list) {
    int64_t sum = 0;
    for (int64_t i = 0; i < list->size; i++) {
        org_cypclass_examples_Node *node = (org_cypclass_examples_Node *) list->data[i];
        sum += node ? node->payload : 0;
    }
    return sum;
}

/* Reaches the lists of an Inventory through its fields. */
int64_t inventory_total(org_cypclass_examples_Inventory *inventory) {
    int64_t total = long_list_sum(inventory->counts);
    return total + node_list_payloads(inventory->nodes);
}

/* The type name of element i of a RefList, through its header's ob_type. */
const char *ref_list_type_name(org_cypclass_objects_containers_RefList *list, int64_t i) {
    return list->data[i]->ob_type->tp_name;
}

/* Sums key * value over the live entries of a dict, in insertion order, skipping removed ones. */
int64_t long_long_dict_weighted_sum(org_cypclass_objects_containers_LongLongDict *dict) {
    int64_t sum = 0;
    for (int64_t e = 0; e < dict->used; e++) {
        if (!cyp_dict_dead(dict, e)) {
            sum += dict->entries[e].key * dict->entries[e].value;
        }
    }
    return sum;
}

/* Sums position * element over the live elements of a set, in insertion order (positions from 1),
 * skipping removed ones: checks the order as well as the contents. */
int64_t long_set_ordered_sum(org_cypclass_objects_containers_LongSet *set) {
    int64_t sum = 0;
    int64_t position = 0;
    for (int64_t e = 0; e < set->used; e++) {
        if (!cyp_set_dead(set, e)) {
            sum += ++position * set->entries[e];
        }
    }
    return sum;
}

/* Sums key * payload over the live entries of a dict from long keys to nodes, following each
 * value pointer to its node (a NULL value counts 0), skipping removed entries. */
int64_t long_ref_dict_weighted_sum(org_cypclass_objects_containers_LongRefDict *dict) {
    int64_t sum = 0;
    for (int64_t e = 0; e < dict->used; e++) {
        if (!CYP_ENTRY_DEAD(dict, e)) {
            org_cypclass_examples_Node *node = (org_cypclass_examples_Node *) dict->entries[e].value;
            sum += node ? dict->entries[e].key * node->payload : 0;
        }
    }
    return sum;
}

/* Sums position * payload * value over the live entries of a dict from nodes to longs, in
 * insertion order (positions from 1): checks the order as well as the contents. */
int64_t ref_long_dict_ordered_sum(org_cypclass_objects_containers_RefLongDict *dict) {
    int64_t sum = 0;
    int64_t position = 0;
    for (int64_t e = 0; e < dict->used; e++) {
        if (!CYP_ENTRY_DEAD(dict, e)) {
            org_cypclass_examples_Node *node = (org_cypclass_examples_Node *) dict->entries[e].key;
            sum += ++position * node->payload * dict->entries[e].value;
        }
    }
    return sum;
}

/* Reaches the dicts of a Registry through its fields: the weighted sum of byId plus the number of
 * codes whose value is a node, plus the ordered sum of ranks. */
int64_t registry_total(org_cypclass_examples_Registry *registry) {
    int64_t codes = 0;
    for (int64_t e = 0; e < registry->byCode->used; e++) {
        codes += !CYP_ENTRY_DEAD(registry->byCode, e) && registry->byCode->entries[e].value != NULL;
    }
    return long_ref_dict_weighted_sum(registry->byId) + codes + ref_long_dict_ordered_sum(registry->ranks);
}

/* "name offset" lines of the reference sets and of the dicts with reference keys besides
 * RefLongDict, for the layout comparison. */
int ref_shapes_layout(char *out, int capacity) {
    return snprintf(out, capacity,
        "RefRefDict.entries %zu\nRefRefDict.value_type %zu\nRefRefDict.key_type %zu\nRefRefDict sizeof %zu\n"
        "KeyLongDict.entries %zu\nKeyLongDict.key_type %zu\nKeyLongDict sizeof %zu\n"
        "KeyRefDict.value_type %zu\nKeyRefDict.key_type %zu\nKeyRefDict sizeof %zu\n"
        "RefSet.entries %zu\nRefSet.element_type %zu\nRefSet sizeof %zu\n"
        "KeySet.entries %zu\nKeySet.element_type %zu\nKeySet sizeof %zu\n",
        offsetof(org_cypclass_objects_containers_RefRefDict, entries),
        offsetof(org_cypclass_objects_containers_RefRefDict, value_type),
        offsetof(org_cypclass_objects_containers_RefRefDict, key_type),
        sizeof(org_cypclass_objects_containers_RefRefDict),
        offsetof(org_cypclass_objects_containers_KeyLongDict, entries),
        offsetof(org_cypclass_objects_containers_KeyLongDict, key_type),
        sizeof(org_cypclass_objects_containers_KeyLongDict),
        offsetof(org_cypclass_objects_containers_KeyRefDict, value_type),
        offsetof(org_cypclass_objects_containers_KeyRefDict, key_type),
        sizeof(org_cypclass_objects_containers_KeyRefDict),
        offsetof(org_cypclass_objects_containers_RefSet, entries),
        offsetof(org_cypclass_objects_containers_RefSet, element_type),
        sizeof(org_cypclass_objects_containers_RefSet),
        offsetof(org_cypclass_objects_containers_KeySet, entries),
        offsetof(org_cypclass_objects_containers_KeySet, element_type),
        sizeof(org_cypclass_objects_containers_KeySet));
}

/* Sums position * key payload * value payload over the live entries of a dict from nodes to
 * nodes, in insertion order (a NULL value counts 0). */
int64_t ref_ref_dict_ordered_sum(org_cypclass_objects_containers_RefRefDict *dict) {
    int64_t sum = 0;
    int64_t position = 0;
    for (int64_t e = 0; e < dict->used; e++) {
        if (!CYP_ENTRY_DEAD(dict, e)) {
            org_cypclass_examples_Node *key = (org_cypclass_examples_Node *) dict->entries[e].key;
            org_cypclass_examples_Node *value = (org_cypclass_examples_Node *) dict->entries[e].value;
            position++;
            sum += value ? position * key->payload * value->payload : 0;
        }
    }
    return sum;
}

/* Sums position * payload over the live elements of a set of nodes, in insertion order. */
int64_t ref_set_ordered_sum(org_cypclass_objects_containers_RefSet *set) {
    int64_t sum = 0;
    int64_t position = 0;
    for (int64_t e = 0; e < set->used; e++) {
        if (!CYP_ENTRY_DEAD(set, e)) {
            sum += ++position * ((org_cypclass_examples_Node *) set->entries[e])->payload;
        }
    }
    return sum;
}

/* Sums position * (x * 1000 + y) * value over the live entries of a dict from points to longs,
 * in insertion order, and checks each entry's hash against the index: the slot the entry's
 * number sits in must carry the high 32 bits of the stored hash. Returns -1 if one does not. */
int64_t key_long_dict_ordered_sum(org_cypclass_objects_containers_KeyLongDict *dict) {
    int64_t sum = 0;
    int64_t position = 0;
    int64_t slots = (int64_t) 1 << dict->index_bits;
    for (int64_t e = 0; e < dict->used; e++) {
        if (!CYP_ENTRY_DEAD(dict, e)) {
            org_cypclass_examples_Point *point = (org_cypclass_examples_Point *) dict->entries[e].key;
            int found = 0;
            for (int64_t s = 0; s < slots; s++) {
                uint64_t slot = dict->index[s];
                if (slot != 0 && (int64_t) (slot & 0xFFFFFFFFu) == e + 1) {
                    found = (slot >> 32) == (dict->entries[e].hash >> 32);
                }
            }
            if (!found) {
                return -1;
            }
            sum += ++position * (point->x * 1000 + point->y) * dict->entries[e].value;
        }
    }
    return sum;
}
