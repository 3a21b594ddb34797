export { privateChannel, type PrivateChannelOptions, type ReconnectOptions } from './private-channel';
export { backoff } from '../util/backoff';
export * from './types';
