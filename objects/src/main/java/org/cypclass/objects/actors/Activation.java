package org.cypclass.objects.actors;

import org.cypclass.objects.CyObject;
import org.cypclass.objects.internal.ActorsAccess;
import org.cypclass.objects.internal.SharedSecrets;

/**
 * The one {@link ActorsAccess}: how {@code Isolated.activate} makes an actor without a public
 * method that takes a raw address. Registered by its own initializer, which
 * {@link SharedSecrets#actors()} triggers.
 */
final class Activation implements ActorsAccess {

    static {
        SharedSecrets.registerActors(new Activation());
    }

    private Activation() {
    }

    @Override
    public <T extends CyObject> Active<T> activate(ActorSystem system, long address) {
        return Active.activate(system, address);
    }
}
