package org.cypclass.objects.containers;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The boxed {@link Map} view of a dict: lookups and stores go straight to the dict's engine
 * (not through {@code AbstractMap}'s linear scans); the entry set iterates in insertion order
 * and its iterator compares the dict's off-heap {@code mod_count}, so that it fails fast on a
 * change of size made through the dict itself or another view too. Entries write through
 * ({@code setValue} overwrites the dict's value, which is not a change of size).
 *
 * <p>Thread-safety: as the dict it views.
 *
 * @param <K> the boxed key type
 * @param <V> the boxed value type
 */
final class DictView<K, V> extends AbstractMap<K, V> {

    private final HashDict<K, V> dict;
    private Set<Map.Entry<K, V>> entrySet;

    DictView(HashDict<K, V> dict) {
        this.dict = dict;
    }

    @Override
    public int size() {
        return (int) Math.min(dict.size(), Integer.MAX_VALUE);
    }

    @Override
    public boolean containsKey(Object key) {
        return dict.findKey(key) != 0;
    }

    @Override
    public V get(Object key) {
        long at = dict.findKey(key);
        return at == 0 ? null : dict.boxValue(HashStorage.load(at + 8));
    }

    @Override
    public V put(K key, V value) {
        // For reference values, the old value is borrowed before the put releases it: good
        // for equals, usable only while something else keeps it alive.
        V old = get(Objects.requireNonNull(key, "this dict holds no null keys"));
        dict.putBoxed(key, value);
        return old;
    }

    @Override
    public V remove(Object key) {
        V old = get(key);
        dict.removeKey(key);
        return old;
    }

    @Override
    public void clear() {
        dict.clear();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> set = entrySet;
        if (set == null) {
            set = new Entries();
            entrySet = set;
        }
        return set;
    }

    /** The entry set: its size and iterator are the dict's; the rest is {@code AbstractSet}'s. */
    private final class Entries extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public int size() {
            return DictView.this.size();
        }

        @Override
        public boolean contains(Object o) {
            return o instanceof Map.Entry<?, ?> entry && containsKey(entry.getKey())
                && Objects.equals(get(entry.getKey()), entry.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (contains(o)) {
                DictView.this.remove(((Map.Entry<?, ?>) o).getKey());
                return true;
            }
            return false;
        }

        @Override
        public void clear() {
            dict.clear();
        }

        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new Walk();
        }
    }

    /** An iterator over the entry block, in insertion order. */
    private final class Walk extends HashWalk<Map.Entry<K, V>> {
        Walk() {
            super(dict);
        }

        @Override
        Map.Entry<K, V> element(long at) {
            long key = HashStorage.load(at);
            return new Entry(key, dict.entryHash(at), dict.boxKey(key), dict.boxValue(HashStorage.load(at + 8)));
        }
    }

    /** An entry that writes its value through to the dict while its key is there. */
    private final class Entry implements Map.Entry<K, V> {
        /** The key's word: a removed key is told by it, without using the boxed key. */
        private final long keyWord;
        /** Its hash as the dict's index keeps it. */
        private final long hash;
        private final K key;
        private V value;

        Entry(long keyWord, long hash, K key, V value) {
            this.keyWord = keyWord;
            this.hash = hash;
            this.key = key;
            this.value = value;
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        @Override
        public V setValue(V newValue) {
            long at = HashStorage.findWord(HashContainer.OBJECTS.read(dict), keyWord, hash, dict.stride(), dict.content);
            if (at != 0) {
                dict.setValueAt(at, newValue);
            }
            V old = value;
            value = newValue;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> other && key.equals(other.getKey()) && Objects.equals(value, other.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }
}
