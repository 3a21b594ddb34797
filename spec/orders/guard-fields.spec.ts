import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import {
  CancelledOrder,
  DoneOrder,
  FillOrder,
  NewOrder,
  OrderUpdateItem,
  RejectedOrder,
} from '../../lib/orders/codecs';
import { isPlainOrderUpdateItem } from '../../lib/orders/guard';
import { cancelled, done, fill, newOrder, rejected } from '../../lib/testing/builders';

/**
 * Generated from the codecs: every field of every status (walked out of the io-ts codec
 * itself, so a field added there is walked here too), mutated to every kind of value.
 * The hand-written success-path guard must agree with the codecs on each: it says yes
 * exactly when the codecs accept the item and return it unchanged.
 */

interface Field {
  readonly path: readonly string[];
  readonly required: boolean;
}

type Node = { readonly _tag: string } & Record<string, unknown>;

function fieldsOf(codec: Node, path: readonly string[] = [], required = true): Field[] {
  switch (codec._tag) {
    case 'ReadonlyType':
    case 'RefinementType':
    case 'ExactType':
      return fieldsOf(codec['type'] as Node, path, required);
    case 'IntersectionType':
      return (codec['types'] as Node[]).flatMap((member) => fieldsOf(member, path, required));
    case 'InterfaceType':
    case 'PartialType': {
      const props = codec['props'] as Record<string, Node>;
      const own = codec._tag === 'InterfaceType';
      return Object.entries(props).flatMap(([key, prop]) => {
        const at = [...path, key];
        const nested =
          prop._tag === 'ReadonlyType' || prop._tag === 'InterfaceType' ? fieldsOf(prop, at, own) : [];
        return [{ path: at, required: own && required }, ...nested];
      });
    }
    default:
      return [];
  }
}

const STATUSES: readonly [string, t.Mixed, () => unknown][] = [
  ['NEW', NewOrder, () => newOrder({ transactionTime: 1_772_510_281_185 })],
  ['FILL', FillOrder, () => fill({ transactionTime: 1_772_510_281_185 })],
  [
    'CANCELLED',
    CancelledOrder,
    () => cancelled({ cancelReason: 'SELF_TRADE_PREVENTION', transactionTime: 1_772_510_281_185 }),
  ],
  ['DONE', DoneOrder, () => done({ transactionTime: 1_772_510_281_185 })],
  ['REJECTED', RejectedOrder, () => rejected({ transactionTime: 1_772_510_281_185 })],
];

/** Every kind of value a field may be given: the wrong types, and the edge of each rule. */
const KINDS: readonly [string, unknown][] = [
  ['missing', undefined],
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['negative', -1],
  ['fraction', 1.5],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['unsafe integer', 9007199254740991],
  ['beyond the largest Date', 8.64e15 + 1],
  ['the largest Date', 8.64e15],
  ['a time', 1_772_510_281_185],
  ['empty string', ''],
  ['word', 'x'],
  ['decimal', '0.5'],
  ['numeric string rate', '0.002'],
  ['exponent string', '1e-8'],
  ['negative decimal', '-1'],
  ['64-digit decimal', '1'.repeat(64)],
  ['65-digit decimal', '1'.repeat(65)],
  ['CR LF', 'a\r\nb'],
  ['NUL', 'a\u0000b'],
  ['DEL', 'a\u007fb'],
  ['C1', 'a\u0085b'],
  ['tab', '\t'],
  ['128 characters', 'a'.repeat(128)],
  ['129 characters', 'a'.repeat(129)],
  ['status word', 'NEW'],
  ['side word', 'SELL'],
  ['participant word', 'MAKER'],
  ['array', []],
  ['object', {}],
  ['date', new Date(0)],
];

function mutate(item: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(item) as Record<string, unknown>;
  let target = copy['order'] as Record<string, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (value === undefined) delete target[last];
  else target[last] = value instanceof Date ? new Date(value) : value;
  return copy;
}

function codecAccepts(item: unknown): boolean {
  const decoded = OrderUpdateItem.decode(item);
  return E.isRight(decoded) && decoded.right.order === (item as { order: unknown }).order;
}

describe('the success-path guard agrees with the codecs on every field of every status (generated)', () => {
  it('walks the fields the codecs declare (a field added to a codec is walked too)', () => {
    const fill = fieldsOf(FillOrder as unknown as Node).map((f) => f.path.join('.'));
    expect(fill).toEqual(
      expect.arrayContaining([
        'orderId',
        'tradeId',
        'fillInformation.qty',
        'fillInformation.feeRate',
        'clientOrderId',
      ]),
    );
    expect(fieldsOf(CancelledOrder as unknown as Node).map((f) => f.path.join('.'))).toContain(
      'cancelReason',
    );
  });

  for (const [status, codec, sample] of STATUSES) {
    const fields = fieldsOf(codec as unknown as Node).filter((f) => f.path[f.path.length - 1] !== 'status');
    describe(status, () => {
      it('accepts its sample', () => {
        expect(isPlainOrderUpdateItem(sample())).toBe(true);
        expect(codecAccepts(sample())).toBe(true);
      });
      for (const field of fields) {
        it(`${field.path.join('.')}: every kind of value`, () => {
          const disagreements: string[] = [];
          for (const [kind, value] of KINDS) {
            const item = mutate(sample(), field.path, value);
            const codec = codecAccepts(item);
            const guard = isPlainOrderUpdateItem(item);
            // The guard may leave to the codecs what they accept by converting it (a rate
            // as a numeric string); it never says yes where they say no.
            const converts = E.isRight(OrderUpdateItem.decode(item)) && !codec;
            if (guard !== codec && !(converts && !guard))
              disagreements.push(`${kind}: guard ${guard}, codecs ${codec}`);
          }
          expect(disagreements).toEqual([]);
        });
      }
    });
  }
});
