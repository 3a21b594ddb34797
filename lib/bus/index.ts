// indodax-pws/bus: order updates read from NATS JetStream (optional peers @nats-io/*).
export { fromJetStream, type BusClient, type FromJetStreamOptions } from './from-jetstream';
export {
  ORDERS_STREAM,
  ORDERS_SUBJECTS,
  LEASE_BUCKET,
  isBusName,
  subjectToken,
  ordersSubject,
  accountOrdersFilter,
  statusSubject,
  updateMsgId,
} from './names';
export { decodeBusPayload, type BusPayload } from './decode';
