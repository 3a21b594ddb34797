import type * as t from 'io-ts';
import { describeValue } from './describe';

/** Options for {@link formatValidationErrors}. @internal */
export interface ReportOptions {
  /** Leave the offending values out (for payloads that may carry tokens). */
  readonly redactValues?: boolean;
  /** At most this many messages (default 5). */
  readonly max?: number;
}

type Wrapped = { readonly _tag?: string; readonly type?: unknown };
const WRAPPERS = new Set(['ReadonlyType', 'ExactType', 'RefinementType']);

function combinatorTag(codec: unknown): string | undefined {
  let c = codec as Wrapped | undefined;
  for (let i = 0; i < 8 && c && WRAPPERS.has(c._tag ?? ''); i++) c = c.type as Wrapped | undefined;
  return c?._tag;
}

/**
 * The path of one io-ts error, as `order/status` (array indexes included, union
 * member names and the root left out).
 * @internal
 */
export function errorPath(error: t.ValidationError): string {
  const keys: string[] = [];
  const ctx = error.context;
  for (let i = 1; i < ctx.length; i++) {
    const entry = ctx[i];
    const parent = ctx[i - 1];
    if (!entry || entry.key === '') continue;
    // Inside a union (or an intersection, also one wrapped in t.readonly or t.exact) io-ts
    // adds the member's index as a key: leave it out.
    const tag = combinatorTag(parent?.type);
    if (tag === 'UnionType' || tag === 'IntersectionType') continue;
    keys.push(entry.key);
  }
  return keys.join('/') || '(root)';
}

/**
 * Turns io-ts `Errors` into readable path messages, e.g.
 * `Invalid value "x" supplied to order/status`, joined with `; `.
 * @internal
 */
export function formatValidationErrors(errors: t.Errors, options: ReportOptions = {}): string {
  const max = options.max ?? 5;
  const seen = new Set<string>();
  for (const error of errors) {
    const path = errorPath(error);
    const msg = error.message
      ? `${error.message} at ${path}`
      : error.value === undefined
        ? `Missing value at ${path}`
        : options.redactValues
          ? `Invalid value supplied to ${path}`
          : `Invalid value ${describeValue(error.value)} supplied to ${path}`;
    seen.add(msg);
    if (seen.size >= max) break;
  }
  const extra = errors.length > seen.size ? ` (and ${errors.length - seen.size} more)` : '';
  return [...seen].join('; ') + extra;
}
