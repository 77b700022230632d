package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.containers.IntRefDict;
import org.cypclass.objects.containers.LongRefDict;
import org.cypclass.objects.containers.RefLongDict;

/** A cypclass with reference dict fields: nodes by id and by code, and a rank per node. */
@Cypclass
public class Registry extends Cy_Registry {

    interface Fields {
        LongRefDict<Node> byId();

        IntRefDict<Node> byCode();

        RefLongDict<Node> ranks();
    }

    /**
     * Sums the payloads of the nodes by id, walking the dict with a cursor.
     *
     * @return the sum, 0 without a dict
     */
    public long totalPayload() {
        LongRefDict<Node> byId = byId();
        if (byId == null) {
            return 0;
        }
        long sum = 0;
        LongRefDict.Cursor<Node> cursor = byId.cursor();
        while (cursor.next()) {
            sum += cursor.value() == null ? 0 : cursor.value().payload();
        }
        return sum;
    }
}
