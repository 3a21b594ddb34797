/**
 * A persistent string-keyed map whose newest version is a plain mutable `Map`: versions
 * of one lineage share that `Map`, and every other version is one undo record away from
 * its neighbour (Baker's "rerooting" of persistent arrays). `set` and `delete` on the
 * version holding the `Map` are O(1) and copy nothing; reading any other version first
 * moves the `Map` to it by replaying the undo records between them, reversing them as it
 * goes, so every version keeps exactly the contents it had when it was made.
 *
 * Why: the order store hands out an immutable snapshot per update, and almost every read
 * is of the newest one. A hash trie copies a path of 32-wide nodes per change; this costs
 * one small object.
 *
 * Bounds, so no use pattern degrades:
 * - a version more than `max(REROOT_LIMIT, size)` records from the `Map` is not rerooted
 *   but detached: it gets a `Map` of its own (O(size)), and the others are left alone.
 *   Below that, rerooting (O(distance), and as much again when the newest is read next) is
 *   the cheaper of the two, so a reader lagging behind a busy writer pays at most O(size);
 * - a write to a version that is not the `Map`'s holder reroots or detaches the same way;
 *   a write to an empty version that no longer holds a `Map` gets a fresh one, and a read
 *   of it moves nothing, so stores seeded with one shared empty snapshot never share a `Map`;
 * - after `max(1024, 2 × size)` changes a lineage copies its `Map` and starts over, so an
 *   old version that is kept but never read holds at most that many undo records.
 *
 * Iteration walks a copy of the entries taken when it starts, in the `Map`'s insertion
 * order (unspecified: sort for display), so reading another version inside the loop is
 * safe (the internal `each` walks in place, for loops that read nothing else of the map).
 * Values must not be `undefined`.
 *
 * All state lives in private fields, so `Object.freeze` (a deep-frozen snapshot) changes
 * nothing here.
 *
 * @module
 */

/** Marks "no entry for this key" in an undo record. */
const ABSENT: unique symbol = Symbol('absent');

/**
 * A version this many undo records or fewer from its `Map` (or, in a larger map, as many as
 * it has entries) is rerooted; a farther one is detached.
 */
export const REROOT_LIMIT = 64;

/** What an empty version that holds no `Map` reads: never written (a write forks first). */
const NOTHING: ReadonlyMap<string, never> = new Map<string, never>();

/** Changes after which a lineage copies its `Map`, for a map of `size` entries. */
const segmentLength = (size: number): number => (size > 512 ? 2 * size : 1024);

/**
 * An immutable string-keyed map with the `ReadonlyMap` interface; `set` and `delete`
 * return a new version (or this one when nothing changed) and never change this one.
 *
 * ## Example
 * ```ts
 * const a = VersionedMap.empty<number>().set('x', 1);
 * const b = a.set('y', 2); // a still has 1 entry
 * b.get('y'); // 2
 * ```
 */
export class VersionedMap<V> implements ReadonlyMap<string, V> {
  /** The entries, when this version holds the lineage's `Map`. */
  #map: Map<string, V> | undefined;
  /** Otherwise the neighbour this version differs from, by the entry `#key`... */
  #next: VersionedMap<V> | undefined = undefined;
  #key = '';
  /** ...which in this version is `#value` (`ABSENT`: no entry). */
  #value: V | typeof ABSENT = ABSENT;
  readonly #size: number;
  /** Changes since the lineage's `Map` was last copied. */
  readonly #age: number;

  private constructor(map: Map<string, V>, size: number, age: number) {
    this.#map = map;
    this.#size = size;
    this.#age = age;
  }

  /** A new empty map (its own lineage). */
  static empty<V>(): VersionedMap<V> {
    return new VersionedMap(new Map<string, V>(), 0, 0);
  }

  /** A map of `entries` (later duplicates win). */
  static of<V>(entries: Iterable<readonly [string, V]>): VersionedMap<V> {
    const map = new Map<string, V>();
    for (const [k, v] of entries) map.set(k, v);
    return new VersionedMap(map, map.size, 0);
  }

  /**
   * Whether `a` and `b` share one `Map` (reading one may move it away from the other), found by
   * following their undo records without moving anything. For tests and diagnostics. @internal
   */
  static sameLineage<V>(a: VersionedMap<V>, b: VersionedMap<V>): boolean {
    const holder = (v: VersionedMap<V>): Map<string, V> | undefined => {
      let at: VersionedMap<V> | undefined = v;
      while (at !== undefined && at.#map === undefined) at = at.#next;
      return at === undefined ? undefined : at.#map;
    };
    const map = holder(a);
    return map !== undefined && map === holder(b);
  }

  /** How many entries. */
  get size(): number {
    return this.#size;
  }

  get(key: string): V | undefined {
    return this.#entries().get(key);
  }

  has(key: string): boolean {
    return this.#entries().has(key);
  }

  /** A map with `key` set to `value`; this same map when it already held that value. */
  set(key: string, value: V): VersionedMap<V> {
    // (`#writable` first: an empty version forks rather than reading a shared `Map`.)
    return this.replace(key, this.#writable().get(key), value);
  }

  /**
   * `set` for a caller that has just read `previous = this.get(key)` from this same
   * version: the same result, without reading it again. A `previous` read anywhere else
   * corrupts this version (the store always passes what it just read). @internal
   */
  replace(key: string, previous: V | undefined, value: V): VersionedMap<V> {
    if (previous !== undefined && Object.is(previous, value)) return this;
    const map = this.#writable();
    return previous === undefined
      ? this.#change(map, key, ABSENT, value, this.#size + 1)
      : this.#change(map, key, previous, value, this.#size);
  }

  /** A map without `key`; this same map when it had no such key. */
  delete(key: string): VersionedMap<V> {
    const map = this.#writable();
    const old = map.get(key);
    if (old === undefined && !map.has(key)) return this;
    return this.#change(map, key, old as V, ABSENT, this.#size - 1);
  }

  /** Makes the new version with `key` changed from `old` to `value`; `map` is this version's. */
  #change(map: Map<string, V>, key: string, old: V | typeof ABSENT, value: V | typeof ABSENT, size: number) {
    if (this.#age >= segmentLength(this.#size)) {
      // A fresh lineage: older versions keep this `Map` as it is.
      const copy = new Map(map);
      if (value === ABSENT) copy.delete(key);
      else copy.set(key, value);
      return new VersionedMap(copy, size, 0);
    }
    const next = new VersionedMap(map, size, this.#age + 1);
    if (value === ABSENT) map.delete(key);
    else map.set(key, value);
    this.#map = undefined;
    this.#next = next;
    this.#key = key;
    this.#value = old;
    return next;
  }

  /** This version's `Map` for a change: its own, rerooted when near, else a fork of its own. */
  #writable(): Map<string, V> {
    const map = this.#map;
    if (map !== undefined) return map;
    return this.#size === 0 ? this.#fork() : this.#rooted();
  }

  /**
   * An empty version that no longer holds its lineage's `Map` gives its writer a fresh one,
   * so stores seeded with one shared empty snapshot never share a `Map`.
   */
  #fork(): Map<string, V> {
    const map = new Map<string, V>();
    this.#next = undefined;
    this.#value = ABSENT;
    this.#map = map;
    return map;
  }

  /**
   * This version's `Map`: itself, rerooted to it, or a detached copy when it is far. An empty
   * version is read without moving anything: two stores seeded with one empty snapshot, one
   * of them reading the seed before its first write, would otherwise share one `Map` and move
   * it back and forth at every change of either.
   */
  #entries(): ReadonlyMap<string, V> {
    return this.#map ?? (this.#size === 0 ? NOTHING : this.#rooted());
  }

  /** The `Map`, moved to this version (which holds none): rerooted when near, else a detached copy. */
  #rooted(): Map<string, V> {
    const limit = this.#size > REROOT_LIMIT ? this.#size : REROOT_LIMIT;
    const path: VersionedMap<V>[] = [this];
    let root = this.#next as VersionedMap<V>;
    while (root.#map === undefined) {
      path.push(root);
      root = root.#next as VersionedMap<V>;
      if (path.length > limit) return this.#detach(path, root);
    }
    const map = root.#map;
    // Nearest the `Map` first: apply each record, and leave its inverse behind.
    for (let i = path.length - 1; i >= 0; i--) {
      const v = path[i] as VersionedMap<V>;
      const key = v.#key;
      const current = map.get(key);
      const inverse = current !== undefined || map.has(key) ? (current as V) : ABSENT;
      const value = v.#value;
      if (value === ABSENT) map.delete(key);
      else map.set(key, value);
      root.#map = undefined;
      root.#next = v;
      root.#key = key;
      root.#value = inverse;
      v.#next = undefined;
      v.#value = ABSENT;
      root = v;
    }
    this.#map = map;
    return map;
  }

  /**
   * Gives this far version a `Map` of its own: the holder's entries with the records on the
   * way applied, newest first. The other versions are not touched: those whose way passes
   * through this one now end here, and this version's contents are exactly theirs to see.
   */
  #detach(path: VersionedMap<V>[], at: VersionedMap<V>): Map<string, V> {
    let root = at;
    while (root.#map === undefined) {
      path.push(root);
      root = root.#next as VersionedMap<V>;
    }
    const map = new Map(root.#map);
    for (let i = path.length - 1; i >= 0; i--) {
      const v = path[i] as VersionedMap<V>;
      if (v.#value === ABSENT) map.delete(v.#key);
      else map.set(v.#key, v.#value);
    }
    this.#next = undefined;
    this.#value = ABSENT;
    this.#map = map;
    return map;
  }

  *entries(): MapIterator<[string, V]> {
    yield* Array.from(this.#entries());
    return undefined;
  }

  *keys(): MapIterator<string> {
    yield* Array.from(this.#entries().keys());
    return undefined;
  }

  *values(): MapIterator<V> {
    yield* Array.from(this.#entries().values());
    return undefined;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of Array.from(this.#entries())) callback.call(thisArg, value, key, this);
  }

  /**
   * Calls `callback` with every entry of this version, in place: no copy, nothing allocated.
   * For hot loops that read nothing else of this map's lineage while they run: `callback` must
   * not read or write any other version of this map (that may move the `Map` under the loop);
   * otherwise use `forEach`, which walks a copy. @internal
   */
  each(callback: (value: V, key: string) => void): void {
    this.#entries().forEach(callback);
  }

  get [Symbol.toStringTag](): string {
    return 'VersionedMap';
  }

  /** JSON as a plain object of its entries. */
  toJSON(): Record<string, V> {
    return Object.fromEntries(this.#entries());
  }
}
