/**
 * Describes any value in a short, JSON-like text for error messages, in bounded time and
 * stack: at most `maxDepth` levels and `maxLength` characters are looked at, so an item
 * nested 100 000 levels deep, a huge array or an object whose `toString` is poison
 * (`{ toString: 1 }`, a null prototype) is described without recursing into it or
 * calling any of its methods.
 *
 * @module
 */

/** Limits of {@link describeValue}. @internal */
export interface DescribeOptions {
  /** At most this many characters (default 80; longer texts end in `...`). */
  readonly maxLength?: number;
  /** Containers below this depth are shown as `[...]` / `{...}` (default 3). */
  readonly maxDepth?: number;
}

const MAX_ITEMS = 8;

function primitive(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
    case 'number':
      return Number.isFinite(value)
        ? String(value)
        : value !== value
          ? 'NaN'
          : value > 0
            ? 'Infinity'
            : '-Infinity';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `${value.toString()}n`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return 'Symbol()';
    case 'function':
      return '[function]';
    default:
      return value === null ? 'null' : undefined;
  }
}

function show(value: unknown, depth: number, budget: { left: number }): string {
  const simple = primitive(value);
  if (simple !== undefined) return simple;
  const isArray = Array.isArray(value);
  if (depth <= 0 || budget.left <= 0) return isArray ? '[...]' : '{...}';
  const parts: string[] = [];
  if (isArray) {
    const list = value as readonly unknown[];
    const n = Math.min(list.length, MAX_ITEMS);
    for (let i = 0; i < n && budget.left > 0; i++) {
      const part = show(list[i], depth - 1, budget);
      budget.left -= part.length + 1;
      parts.push(part);
    }
    if (list.length > parts.length) parts.push('...');
    return `[${parts.join(',')}]`;
  }
  let count = 0;
  for (const key in value as object) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (count++ >= MAX_ITEMS || budget.left <= 0) {
      parts.push('...');
      break;
    }
    const desc = Object.getOwnPropertyDescriptor(value, key);
    const part = `${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}...` : key)}:${
      desc && 'value' in desc ? show(desc.value, depth - 1, budget) : '[getter]'
    }`;
    budget.left -= part.length + 1;
    parts.push(part);
  }
  return `{${parts.join(',')}}`;
}

/**
 * A short description of `value` (JSON-like, bounded): never throws, never recurses deeper
 * than `maxDepth`, never calls a method of `value`.
 *
 * ## Example
 * ```ts
 * describeValue({ a: [1, { b: 2 }] }); // '{"a":[1,{"b":2}]}'
 * describeValue(JSON.parse('['.repeat(9000) + ']'.repeat(9000))); // '[[[[...]]]]'
 * ```
 * @internal
 */
export function describeValue(value: unknown, options: DescribeOptions = {}): string {
  const maxLength = options.maxLength ?? 80;
  const text = show(value, options.maxDepth ?? 3, { left: maxLength });
  return text.length > maxLength ? `${text.slice(0, Math.max(0, maxLength - 3))}...` : text;
}

/**
 * `JSON.stringify(value)`, or `undefined` when it cannot be stringified (a cycle, a
 * `bigint`, a nesting deeper than the stack). Never throws.
 *
 * ## Example
 * ```ts
 * safeJson({ a: 1 }); // '{"a":1}'
 * ```
 * @internal
 */
export function safeJson(value: unknown): string | undefined {
  try {
    const text: unknown = JSON.stringify(value);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}
