package org.cypclass.objects.internal;

import org.cypclass.objects.CyObject;
import org.cypclass.objects.actors.Active;
import org.cypclass.objects.actors.ActorSystem;

/**
 * What {@code Isolated.activate} needs from the actors package: an actor made around an
 * isolated graph already switched to the active capability. Implemented by the actors
 * package, registered with {@link SharedSecrets#registerActors}; this package is not exported.
 *
 * <p><b>Unsafe.</b> Takes a raw instance address.
 */
public interface ActorsAccess {

    /**
     * Makes the active object at {@code address} an actor of {@code system}.
     *
     * @param system the system whose workers run it
     * @param address the root of a graph switched to the active capability, whose one count
     *        the returned reference takes over
     * @param <T> its cypclass
     * @return the first reference to the actor
     */
    <T extends CyObject> Active<T> activate(ActorSystem system, long address);
}
