// A map for values worth keeping once (interned strings, shared objects, computed answers) that must not grow
// all day. When full, a new key empties it first: dropping everything is one call and keeps no order to
// maintain, and a cache of this kind only loses its sharing or speed for the keys it held, never correctness.
// Used by the watcher's slim pods, the cell diff and the Ink patches (scripts/bundle.js puts it into Ink).

export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Keeps `value` for `key`; a new key when `max` are held empties the map first. */
  set(key: K, value: V): this {
    if (this.entries.size >= this.max && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, value);
    return this;
  }

  /** The value kept for `key`, or `value`, kept from now on: one copy of equal things. */
  intern(key: K, value: V): V {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    this.set(key, value);
    return value;
  }
}
