package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.RefList;

/** A cypclass with container fields: a list of numbers and a list of nodes. */
@Cypclass
public class Inventory extends Cy_Inventory {

    interface Fields {
        int id();

        LongList counts();

        RefList<Node> nodes();
    }

    /**
     * Sums the payloads of the nodes, walking the list with a cursor.
     *
     * @return the sum, 0 without a list
     */
    public long totalPayload() {
        RefList<Node> nodes = nodes();
        if (nodes == null) {
            return 0;
        }
        long sum = 0;
        RefList.Cursor<Node> cursor = nodes.cursor();
        while (cursor.next()) {
            sum += cursor.element().payload();
        }
        return sum;
    }
}
