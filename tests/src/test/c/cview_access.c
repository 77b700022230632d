/* C code working on live cypclass instances through the generated headers. */
#include "org/cypclass/examples/Adder.h"
#include "org/cypclass/examples/Circle.h"
#include "org/cypclass/examples/Node.h"

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

const char *type_name(CyObject *object) {
    return object->ob_type->tp_name;
}
