// An immutable map of tens of thousands of entries that a few change at a time: a frozen base plus an overlay of
// the keys changed since the base was taken. Each new version copies only the overlay (what changed since the
// base), and the base is taken again once the overlay outgrows a share of it, so a version costs the changes,
// amortised, instead of the whole map. A version knows the keys changed since the one it was made from, and two
// versions over the same base differ only in their overlays' keys, so a reader of both learns what changed
// without comparing every entry (changedKeys).

/** Overlay entries per base entry before a new version copies the whole map instead (see the cost above). */
const OVERLAY_SHARE = 1 / 32;
/** Small maps are copied whole: an overlay would save nothing. */
const MIN_OVERLAY = 256;

let versions = 0;

export class LayeredMap<K, V> implements ReadonlyMap<K, V> {
  /** Tells versions apart without keeping them alive (a version never points to the one before it). */
  private readonly id = ++versions;

  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    /** Changed keys since `base`: the new value, or undefined when deleted. */
    private readonly overlay: ReadonlyMap<K, V | undefined>,
    readonly size: number,
    /** The version this one was made from, and the keys changed since it. */
    private readonly since?: { id: number; keys: ReadonlySet<K> },
  ) {}

  /** A version holding what `live` holds now; never changes when `live` does. */
  static of<K, V>(live: ReadonlyMap<K, V>, since?: { id: number; keys: ReadonlySet<K> }): LayeredMap<K, V> {
    return new LayeredMap(new Map(live), new Map(), live.size, since);
  }

  /**
   * The next version: this one with `changed` keys read again from `live` (the map this one was taken from,
   * changed since only at those keys). Without `changed` (a wholesale change), or with too many changes since
   * the base, the whole of `live` is copied.
   */
  next(live: ReadonlyMap<K, V>, changed: Iterable<K> | undefined): LayeredMap<K, V> {
    if (changed === undefined) return LayeredMap.of(live);
    const since = { id: this.id, keys: new Set(changed) };
    const overlay = new Map(this.overlay);
    for (const key of since.keys) overlay.set(key, live.get(key));
    if (overlay.size > Math.max(MIN_OVERLAY, this.base.size * OVERLAY_SHARE))
      return LayeredMap.of(live, since);
    return new LayeredMap(this.base, overlay, live.size, since);
  }

  get(key: K): V | undefined {
    return this.overlay.has(key) ? this.overlay.get(key) : this.base.get(key);
  }

  has(key: K): boolean {
    return this.overlay.has(key) ? this.overlay.get(key) !== undefined : this.base.has(key);
  }

  *entries(): MapIterator<[K, V]> {
    for (const entry of this.base) if (!this.overlay.has(entry[0])) yield entry;
    for (const [key, value] of this.overlay) if (value !== undefined) yield [key, value];
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  /**
   * The keys whose value may differ from `before` to `after` (a superset: a key set back to its old value is
   * named too), when `after` was made from `before` or both are versions over the same base; undefined when
   * only a full comparison can tell.
   */
  static changedKeys<K, V>(
    before: ReadonlyMap<K, V> | undefined,
    after: ReadonlyMap<K, V> | undefined,
  ): ReadonlySet<K> | undefined {
    if (before === after) return new Set();
    if (!(before instanceof LayeredMap) || !(after instanceof LayeredMap)) return undefined;
    if (after.since?.id === before.id) return after.since.keys;
    if (before.base !== after.base) return undefined;
    return new Set([...before.overlay.keys(), ...after.overlay.keys()]);
  }
}
