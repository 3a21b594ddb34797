// A consumer of the NATS JetStream bus (`indodax-pws bridge` publishes; see docs/scaling.md):
// the same streams as createPrivateClient, read from the bus instead of the exchange.
//
//   NATS_URL=nats://127.0.0.1:4222 INDODAX_ACCOUNT=acct0 npx tsx examples/bus-consumer.ts
//
// Needs the optional peers @nats-io/transport-node, @nats-io/jetstream and @nats-io/kv (3.3.x on
// Node 20, see the README), and @types/node when type-checked.
import { fromJetStream } from 'indodax-pws/bus';

const servers = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const account = process.env['INDODAX_ACCOUNT'] ?? 'acct0';

const client = fromJetStream({ servers, account });

let stopping = false;
async function shutdown(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await client.close();
  console.log('closed');
  process.exit(exitCode);
}

client.byStatus.FILL.subscribe({
  next: (f) => console.log(`fill ${f.order.orderId} ${f.order.fillInformation.qty} @ ${f.order.price}`),
  error: (error: unknown) => {
    console.error(`bus failed: ${error instanceof Error ? error.message : String(error)}`);
    void shutdown(1);
  },
});
client.orders$.subscribe({
  next: (snapshot) => console.log(`open orders: ${snapshot.openCount}`),
  error: () => undefined, // reported once, above
});

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
