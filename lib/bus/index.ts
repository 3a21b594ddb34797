// indodax-pws/bus: order updates read from NATS JetStream (optional peers @nats-io/*).
export {
  fromJetStream,
  type BusClient,
  type FromJetStreamOptions,
  type FromJetStreamBase,
  type FromJetStreamServers,
  type FromJetStreamConnection,
} from './from-jetstream';
export {
  natsSecurityFromEnv,
  NatsSecurityError,
  NATS_ENV,
  type NatsSecurity,
  type NatsSecurityErrorCode,
} from './connect-options';
export {
  ORDERS_STREAM,
  ORDERS_SUBJECTS,
  IDENTITY_BUCKET,
  LEASE_BUCKET,
  isBusName,
  subjectToken,
  ordersSubject,
  accountOrdersFilter,
  statusSubject,
  updateMsgId,
} from './names';
export { decodeBusPayload, type BusPayload } from './decode';
export type { OpenNatsConnection } from './open-connection';
