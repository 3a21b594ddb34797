import {
  createOrderState,
  reduceOrderState,
  type OrderStateSnapshot,
  type RetentionOptions,
} from '../orders';
import { decodeBusPayload } from './decode';
import { ORDERS_STREAM, accountOrdersFilter } from './names';
import { loadNats, type NatsConnection } from './nats';

/**
 * What the bus knows of an account right now: its subjects folded from the stream's first
 * message up to the last one stored when the call began (payloads that do not decode are
 * skipped). A bridge that takes an account over seeds its client's store with it, so the
 * client's reconciliation knows the account's orders and symbols and fills exactly the gap.
 *
 * ## Example
 * ```ts
 * const initial = await loadAccountState(nc, 'acct0');
 * const client = createPrivateClient({ credentials, store: { initial } });
 * ```
 */
export async function loadAccountState(
  nc: NatsConnection,
  account: string,
  options: RetentionOptions & { readonly stream?: string } = {},
): Promise<OrderStateSnapshot> {
  const { jetstream } = loadNats();
  const js = jetstream.jetstream(nc);
  let state = createOrderState(options);
  const stream = options.stream ?? ORDERS_STREAM;
  const filter = accountOrdersFilter(account);
  const jsm = await jetstream.jetstreamManager(nc);
  const info = await jsm.streams.info(stream, { subjects_filter: filter });
  const stored = Object.values(info.state.subjects ?? {}).reduce((n, c) => n + c, 0);
  if (stored === 0) return state;
  const consumer = await js.consumers.get(stream, {
    filter_subjects: filter,
    deliver_policy: jetstream.DeliverPolicy.All,
  });
  const messages = await consumer.consume();
  for await (const m of messages) {
    const decoded = decodeBusPayload(m.string(), m.subject);
    if (decoded.kind === 'update') state = reduceOrderState(state, decoded.update);
    if (m.info.pending === 0) break;
  }
  await messages.close();
  return state;
}
