/* C code working on live cypclass instances through the generated headers. */
#include "org/cypclass/examples/Adder.h"
#include "org/cypclass/examples/Circle.h"
#include "org/cypclass/examples/Node.h"
#include "org/cypclass/examples/Shape.h"
#include "org/cypclass/examples/Group.h"
#include "org/cypclass/examples/Samples.h"

int32_t adder_value(org_cypclass_examples_Adder *adder) {
    return adder->value;
}

void adder_add(org_cypclass_examples_Adder *adder, int32_t v) {
    adder->value += v;
}

/* Reaches a base field through the embedded base struct, and a field of the subclass. */
double circle_grow(org_cypclass_examples_Circle *circle, double factor) {
    circle->radius *= factor;
    circle->base.origin[1] = 7.0;
    return circle->base.weight;
}

int64_t node_next_payload(org_cypclass_examples_Node *node) {
    return node->next ? node->next->payload : -1;
}

/* Reads the flexible array member: its length field and its elements. */
int64_t samples_length(org_cypclass_examples_Samples *samples) {
    return samples->values_length;
}

double samples_sum(org_cypclass_examples_Samples *samples) {
    double sum = 0;
    for (int64_t i = 0; i < samples->values_length; i++) {
        sum += samples->values[i];
    }
    return sum;
}

void samples_scale(org_cypclass_examples_Samples *samples, double factor) {
    for (int64_t i = 0; i < samples->values_length; i++) {
        samples->values[i] *= factor;
    }
}

/* Follows an element of a reference array, and one of an array of the struct's own type. */
int32_t group_member_id(org_cypclass_examples_Group *group, int32_t index) {
    struct org_cypclass_examples_Shape *member = group->members[index];
    return member ? member->id : -1;
}

int32_t group_child_id(org_cypclass_examples_Group *group, int32_t index) {
    return group->children[index] ? group->children[index]->id : -1;
}

const char *type_name(CyObject *object) {
    return object->ob_type->tp_name;
}
