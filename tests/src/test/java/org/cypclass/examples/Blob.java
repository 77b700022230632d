package org.cypclass.examples;

import org.cypclass.objects.Cypclass;

/**
 * A flexible array member of bytes and no {@code @Init} method: {@code Blob.create(n)}. Its
 * elements start right after the length field, whatever their count, and odd counts round
 * the instance up to whole words.
 */
@Cypclass
public class Blob extends Cy_Blob {

    interface Fields {
        short tag();

        byte[] bytes();
    }
}
