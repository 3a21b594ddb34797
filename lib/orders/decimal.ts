/**
 * The exact decimal helpers, re-exported from their leaf module `lib/util/decimal.ts`
 * (shared with rest and reconcile); kept so `../orders/decimal` imports still resolve.
 *
 * @module
 */
export * from '../util/decimal';
