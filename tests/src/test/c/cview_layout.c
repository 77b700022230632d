/* Prints "Type.field offset" for fields of the example cypclasses, and "Type sizeof N", from
 * the C headers the annotation processor generated; CViewTest compares with the Java layouts. */
#include <stdio.h>
#include "org/cypclass/examples/Adder.h"
#include "org/cypclass/examples/Circle.h"
#include "org/cypclass/examples/Node.h"
#include "org/cypclass/examples/Group.h"
#include "org/cypclass/examples/Samples.h"
#include "org/cypclass/examples/Blob.h"

#define FIELD(type, field) printf("%s.%s %zu\n", #type, #field, offsetof(org_cypclass_examples_##type, field))
#define SIZE(type) printf("%s sizeof %zu\n", #type, sizeof(org_cypclass_examples_##type))

int main(void) {
    FIELD(Adder, value);
    SIZE(Adder);
    FIELD(Node, payload);
    FIELD(Node, next);
    SIZE(Node);
    FIELD(Shape, visible);
    FIELD(Shape, layer);
    FIELD(Shape, flags);
    FIELD(Shape, tag);
    FIELD(Shape, id);
    FIELD(Shape, created);
    FIELD(Shape, scale);
    FIELD(Shape, weight);
    FIELD(Shape, origin);
    FIELD(Shape, parent);
    SIZE(Shape);
    FIELD(Circle, kind);
    FIELD(Circle, radius);
    SIZE(Circle);
    FIELD(Group, id);
    FIELD(Group, members);
    FIELD(Group, children);
    SIZE(Group);
    FIELD(Samples, dims);
    FIELD(Samples, label);
    FIELD(Samples, values_length);
    FIELD(Samples, values);
    SIZE(Samples);
    FIELD(Blob, tag);
    FIELD(Blob, bytes_length);
    FIELD(Blob, bytes);
    SIZE(Blob);
    return 0;
}
