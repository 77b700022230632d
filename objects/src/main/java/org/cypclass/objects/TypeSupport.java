package org.cypclass.objects;

import java.lang.invoke.VarHandle;

import org.cypclass.objects.generated.FlexibleArrayField;
import org.cypclass.objects.generated.KeyMethods;
import org.cypclass.objects.generated.RefArrayField;
import org.cypclass.objects.generated.RefField;
import org.cypclass.objects.internal.SharedSecrets;
import org.cypclass.objects.internal.TypeDefinition;
import org.cypclass.objects.internal.TypesAccess;

/**
 * The one {@link TypesAccess}: {@code org.cypclass.objects.generated} and the containers reach
 * the package-private factories of types ({@link TypeRegistry}), instances ({@link Instances})
 * and field accessors ({@link FieldAccessors}) through it. Registered by its own initializer,
 * which {@link SharedSecrets#types()} triggers.
 */
final class TypeSupport implements TypesAccess {

    static {
        SharedSecrets.registerTypes(new TypeSupport());
    }

    private TypeSupport() {
    }

    @Override
    public <T extends CyObject> CyType<T> define(TypeDefinition<T> definition) {
        return TypeRegistry.define(definition);
    }

    @Override
    public <T extends CyObject> T initialize(CyType<T> type, T unbound) {
        return Instances.initialize(type, unbound);
    }

    @Override
    public <T extends CyObject> T initialize(CyType<T> type, T unbound, long elements) {
        return Instances.initialize(type, unbound, elements);
    }

    @Override
    public VarHandle reader(CyType<?> type, String field) {
        return FieldAccessors.reader(type, field);
    }

    @Override
    public VarHandle writer(CyType<?> type, String field) {
        return FieldAccessors.writer(type, field);
    }

    @Override
    public <V extends CyObject> RefField<V> reference(CyType<?> type, String field, Class<V> declared) {
        return FieldAccessors.reference(type, field, declared);
    }

    @Override
    public <V extends CyObject> RefArrayField<V> referenceArray(CyType<?> type, String field, Class<V> declared) {
        return FieldAccessors.referenceArray(type, field, declared);
    }

    @Override
    public FlexibleArrayField flexibleArray(CyType<?> type, String field) {
        return FieldAccessors.flexibleArray(type, field);
    }

    @Override
    public <T extends CyObject> T cReceiver(CyType<T> type, long self) {
        return type.javaClass().cast(CCalls.receiver(type, self));
    }

    @Override
    public <V extends CyObject> V cArgument(Class<V> declared, long address) {
        return CCalls.argument(declared, address);
    }

    @Override
    public long cExportResult(CyObject result, boolean wanted) {
        return CCalls.exportResult(result, wanted);
    }

    @Override
    public long cExportOwned(CyObject created) {
        return CCalls.exportOwned(created);
    }

    @Override
    public int cStatus(Throwable failure) {
        return CCalls.status(failure);
    }

    @Override
    public void defineKeyMethods(CyType<?> type, KeyMethods<?> methods) {
        TypeRegistry.defineKeyMethods(type, methods);
    }

    @Override
    public KeyMethods<?> keyMethods(Class<? extends CyObject> keyClass) {
        return TypeRegistry.keyMethods(keyClass);
    }
}
