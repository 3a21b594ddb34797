/**
 * A persistent (immutable) hash map with string keys: a hash array mapped trie (HAMT,
 * Bagwell 2001) of 32-way bitmap nodes over a 32-bit FNV-1a hash.
 *
 * Why: the order store hands out a snapshot per update. Copying a `Map` of every tracked
 * order per event costs O(n); here `set` and `delete` copy only the path to one key
 * (at most 7 small nodes, depth ≈ log32 n: 2 at 1k orders, 4 at 100k), and every older
 * snapshot stays valid and unchanged. Structure is canonical (a key sits at the shallowest
 * level where its hash path is unique; deletes collapse single-leaf branches), so equal
 * contents iterate in the same (hash) order whatever the order of inserts. The store keeps
 * each order's fills in one (its orders are in a `VersionedMap`).
 *
 * @module
 */

const BITS = 5;
const MASK = 31;

interface Leaf<V> {
  readonly kind: 0;
  readonly hash: number;
  readonly key: string;
  readonly value: V;
}
interface Branch<V> {
  readonly kind: 1;
  readonly bitmap: number;
  readonly children: Node<V>[];
}
interface Collision<V> {
  readonly kind: 2;
  readonly hash: number;
  readonly leaves: readonly Leaf<V>[];
}
type Node<V> = Leaf<V> | Branch<V> | Collision<V>;

const branch = <V>(bitmap: number, children: Node<V>[]): Branch<V> => ({ kind: 1, bitmap, children });

/** FNV-1a over UTF-16 code units, as an unsigned 32-bit number. @internal */
export function hashString(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

const nodeHash = <V>(n: Leaf<V> | Collision<V>): number => n.hash;

function merge<V>(shift: number, a: Leaf<V> | Collision<V>, b: Leaf<V> | Collision<V>): Branch<V> {
  const fa = (nodeHash(a) >>> shift) & MASK;
  const fb = (nodeHash(b) >>> shift) & MASK;
  if (fa === fb) return branch(1 << fa, [merge(shift + BITS, a, b)]);
  return branch((1 << fa) | (1 << fb), fa < fb ? [a, b] : [b, a]);
}

function lookup<V>(root: Node<V> | undefined, hash: number, key: string): Leaf<V> | undefined {
  let node = root;
  let shift = 0;
  while (node) {
    if (node.kind === 0) return node.key === key ? node : undefined;
    if (node.kind === 2) return node.leaves.find((l) => l.key === key);
    const bit = 1 << ((hash >>> shift) & MASK);
    if ((node.bitmap & bit) === 0) return undefined;
    node = node.children[popcount(node.bitmap & (bit - 1))];
    shift += BITS;
  }
  return undefined;
}

function insert<V>(node: Node<V> | undefined, shift: number, leaf: Leaf<V>, added: Counts): Node<V> {
  if (!node) {
    added.n = 1;
    return leaf;
  }
  if (node.kind === 0) {
    if (node.key === leaf.key) return Object.is(node.value, leaf.value) ? node : leaf;
    added.n = 1;
    if (node.hash === leaf.hash) return { kind: 2, hash: leaf.hash, leaves: sortLeaves([node, leaf]) };
    return merge(shift, node, leaf);
  }
  if (node.kind === 2) {
    if (node.hash !== leaf.hash) {
      added.n = 1;
      return merge(shift, node, leaf);
    }
    const i = node.leaves.findIndex((l) => l.key === leaf.key);
    if (i >= 0 && Object.is(node.leaves[i]?.value, leaf.value)) return node;
    const leaves = node.leaves.slice();
    if (i >= 0) leaves[i] = leaf;
    else {
      leaves.push(leaf);
      added.n = 1;
    }
    return { kind: 2, hash: node.hash, leaves: sortLeaves(leaves) };
  }
  const bit = 1 << ((leaf.hash >>> shift) & MASK);
  const index = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    added.n = 1;
    const children = node.children.slice();
    children.splice(index, 0, leaf);
    return branch(node.bitmap | bit, children);
  }
  const child = node.children[index];
  const next = insert(child, shift + BITS, leaf, added);
  if (next === child) return node;
  const children = node.children.slice();
  children[index] = next;
  return branch(node.bitmap, children);
}

function remove<V>(
  node: Node<V>,
  shift: number,
  hash: number,
  key: string,
  removed: Counts,
): Node<V> | undefined {
  if (node.kind === 0) {
    if (node.key !== key) return node;
    removed.n = 1;
    return undefined;
  }
  if (node.kind === 2) {
    const leaves = node.leaves.filter((l) => l.key !== key);
    if (leaves.length === node.leaves.length) return node;
    removed.n = 1;
    return leaves.length === 1 ? leaves[0] : { kind: 2, hash: node.hash, leaves };
  }
  const bit = 1 << ((hash >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return node;
  const index = popcount(node.bitmap & (bit - 1));
  const child = node.children[index];
  if (!child) return node;
  const next = remove(child, shift + BITS, hash, key, removed);
  if (next === child) return node;
  const children = node.children.slice();
  let bitmap = node.bitmap;
  if (next) children[index] = next;
  else {
    children.splice(index, 1);
    bitmap &= ~bit;
  }
  if (children.length === 0) return undefined;
  const only = children[0];
  // Keep the trie canonical: a branch holding one leaf (or collision) becomes that leaf.
  if (children.length === 1 && only && only.kind !== 1) return only;
  return branch(bitmap, children);
}

/** How many entries one `insert`/`remove` added or removed. */
interface Counts {
  n: number;
}
/** One scratch record for every edit (they never nest): no allocation per `set`/`delete`. */
const counts: Counts = { n: 0 };

function sortLeaves<V>(leaves: Leaf<V>[]): Leaf<V>[] {
  return leaves.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function* walk<V>(node: Node<V> | undefined): Generator<Leaf<V>, undefined, undefined> {
  if (!node) return undefined;
  if (node.kind === 0) yield node;
  else if (node.kind === 2) yield* node.leaves;
  else for (const child of node.children) yield* walk(child);
  return undefined;
}

/**
 * An immutable string-keyed map with the `ReadonlyMap` interface; `set` and `delete`
 * return a new map sharing all untouched nodes (or the same map when nothing changed).
 * Iteration is in hash order, the same for equal contents.
 *
 * ## Example
 * ```ts
 * const a = PersistentMap.empty<number>().set('x', 1);
 * const b = a.set('y', 2); // a still has 1 entry
 * b.get('y'); // 2
 * ```
 */
export class PersistentMap<V> implements ReadonlyMap<string, V> {
  private static readonly EMPTY = new PersistentMap<never>(undefined, 0);

  private constructor(
    private readonly root: Node<V> | undefined,
    /** How many entries. */
    readonly size: number,
  ) {}

  /** The empty map (one shared instance). */
  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY;
  }

  /** A map of `entries` (later duplicates win). */
  static of<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    let map = PersistentMap.empty<V>();
    for (const [k, v] of entries) map = map.set(k, v);
    return map;
  }

  get(key: string): V | undefined {
    return lookup(this.root, hashString(key), key)?.value;
  }

  /** `get` with the key's {@link hashString} already computed. @internal */
  getHashed(key: string, hash: number): V | undefined {
    return lookup(this.root, hash, key)?.value;
  }

  has(key: string): boolean {
    return lookup(this.root, hashString(key), key) !== undefined;
  }

  /** `has` with the key's {@link hashString} already computed. @internal */
  hasHashed(key: string, hash: number): boolean {
    return lookup(this.root, hash, key) !== undefined;
  }

  /** A map with `key` set to `value`; this same map when it already held that value. */
  set(key: string, value: V): PersistentMap<V> {
    return this.setHashed(key, hashString(key), value);
  }

  /** `set` with the key's {@link hashString} already computed. @internal */
  setHashed(key: string, hash: number, value: V): PersistentMap<V> {
    counts.n = 0;
    const root = insert(this.root, 0, { kind: 0, hash, key, value }, counts);
    if (root === this.root) return this;
    return new PersistentMap(root, this.size + counts.n);
  }

  /** A map without `key`; this same map when it had no such key. */
  delete(key: string): PersistentMap<V> {
    return this.deleteHashed(key, hashString(key));
  }

  /** `delete` with the key's {@link hashString} already computed. @internal */
  deleteHashed(key: string, hash: number): PersistentMap<V> {
    if (!this.root) return this;
    counts.n = 0;
    const root = remove(this.root, 0, hash, key, counts);
    if (counts.n === 0) return this;
    return root ? new PersistentMap(root, this.size - 1) : PersistentMap.empty<V>();
  }

  *entries(): MapIterator<[string, V]> {
    for (const leaf of walk(this.root)) yield [leaf.key, leaf.value];
    return undefined;
  }

  *keys(): MapIterator<string> {
    for (const leaf of walk(this.root)) yield leaf.key;
    return undefined;
  }

  *values(): MapIterator<V> {
    for (const leaf of walk(this.root)) yield leaf.value;
    return undefined;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const leaf of walk(this.root)) callback.call(thisArg, leaf.value, leaf.key, this);
  }

  get [Symbol.toStringTag](): string {
    return 'PersistentMap';
  }

  /** JSON as a plain object of its entries. */
  toJSON(): Record<string, V> {
    return Object.fromEntries(this.entries());
  }
}
