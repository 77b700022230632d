/* Prints "Type.field offset" and "Type sizeof N" for the generic and abstract example
 * cypclasses, from their generated headers; GenericCypclassTest compares with the Java layouts.
 * A field typed by a type parameter is a pointer to its bound: the assignments below only
 * compile (-Werror) if Duo's slots are CyObject pointers and Chain's a Node pointer. */
#include <stdio.h>
#include "org/cypclass/examples/Duo.h"
#include "org/cypclass/examples/Chain.h"
#include "org/cypclass/examples/Node.h"
#include "org/cypclass/examples/Square.h"

#define FIELD(type, field) printf("%s.%s %zu\n", #type, #field, offsetof(org_cypclass_examples_##type, field))
#define SIZE(type) printf("%s sizeof %zu\n", #type, sizeof(org_cypclass_examples_##type))

int main(void) {
    org_cypclass_examples_Duo duo = {0};
    org_cypclass_examples_Chain chain = {0};
    CyObject *any = duo.first;
    org_cypclass_examples_Node *head = chain.head;
    any = duo.spares[1];
    (void) any;
    (void) head;
    FIELD(Duo, first);
    FIELD(Duo, second);
    FIELD(Duo, weight);
    FIELD(Duo, spares);
    SIZE(Duo);
    FIELD(Chain, head);
    FIELD(Chain, length);
    SIZE(Chain);
    FIELD(Figure, scale);
    SIZE(Figure);
    FIELD(Square, side);
    SIZE(Square);
    return 0;
}
