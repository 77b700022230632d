package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;
import org.cypclass.objects.Length;

/**
 * Fixed-size arrays of references: to another cypclass, whose subclasses it may hold
 * ({@code members}), and to its own type ({@code children}, a binary tree).
 */
@Cypclass
public class Group extends Cy_Group {

    interface Fields {
        int id();

        @Length(3) Shape[] members();

        @Length(2) Group[] children();
    }

    @Init
    void init(int id) {
        id(id);
    }

    /**
     * Sums the areas of the members, dispatching on each one's runtime class.
     *
     * @return the total area; null members count 0
     */
    public double area() {
        double total = 0;
        for (int i = 0; i < MEMBERS_LENGTH; i++) {
            Shape member = members(i);
            total += member == null ? 0 : member.area();
        }
        return total;
    }
}
