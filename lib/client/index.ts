// The client: the composition root (create-client.ts) and the one fold its streams project (pipeline.ts, core.ts).
export { createPrivateClient, type PrivateClientOptions, type ReconcileOptions } from './create-client';
export { pipelineFromChannel, type PipelineOptions, type PrivateClient } from './pipeline';
export type { ClientHealth, LastCheck } from './health';
