// A strategy on createPrivateClient: reacts to every fill, reports connection changes, stops on a
// terminal failure with a clear message, and shuts down cleanly on Ctrl-C / SIGTERM.
//
//   INDODAX_API_KEY=... INDODAX_API_SECRET=... npx tsx examples/strategy.ts
//
// Against something other than production (the testing kit's fake, `indodax-pws fake-exchange`),
// set INDODAX_REST_BASE_URL, INDODAX_WS_URL and INDODAX_TAPI_V2_BASE_URL; behind a proxy, HTTPS_PROXY.
// Needs @types/node (for `process`) when type-checked.
import {
  ChannelError,
  createPrivateClient,
  environments,
  TokenRequestError,
  type Environment,
} from 'indodax-pws';

const env = process.env;
const apiKey = env['INDODAX_API_KEY'];
const apiSecret = env['INDODAX_API_SECRET'];
if (!apiKey || !apiSecret) {
  console.error('set INDODAX_API_KEY and INDODAX_API_SECRET');
  process.exit(2);
}

const environment: Environment = {
  restBaseUrl: env['INDODAX_REST_BASE_URL'] ?? environments.production.restBaseUrl,
  wsUrl: env['INDODAX_WS_URL'] ?? environments.production.wsUrl,
  tapiV2BaseUrl: env['INDODAX_TAPI_V2_BASE_URL'] ?? environments.production.tapiV2BaseUrl,
};
const proxy = env['HTTPS_PROXY'];

const client = createPrivateClient({
  credentials: { apiKey, apiSecret },
  environment,
  ...(proxy ? { proxy } : {}),
});

/** Why the client stopped, in one line (never a secret: the library's messages hold none). */
function describeFailure(error: unknown): string {
  if (error instanceof ChannelError) return `connection failed (${error.kind}): ${error.message}`;
  if (error instanceof TokenRequestError) return `token request failed (${error.code}): ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

let stopping = false;
async function shutdown(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await client.close(); // every stream completes, the socket closes with 1000
  console.log('closed');
  process.exit(exitCode);
}

client.status$.subscribe({
  next: (status) => console.log(`connection: ${status.state}`),
  // A terminal failure (bad keys, permission denied, retries exhausted) reaches every stream.
  error: (error: unknown) => {
    console.error(describeFailure(error));
    void shutdown(1);
  },
});

// The strategy: every fill of our orders, with its fee; `fills$` never errors on a bad item
// (those go to `invalid$`).
client.byStatus.FILL.subscribe({
  next: (fill) => {
    const { orderId, fillInformation: f } = fill.order;
    console.log(`fill ${orderId} ${f.qty} @ ${fill.order.price} fee ${f.fee} ${f.feeAsset}`);
  },
  error: () => undefined, // reported once, by status$ above
});
client.orders$.subscribe({
  next: (snapshot) => console.log(`open orders: ${snapshot.openCount}`),
  error: () => undefined,
});
client.invalid$.subscribe((problem) => console.error(`skipped an item: ${problem.reason}`));

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
