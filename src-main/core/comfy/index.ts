/**
 * The ComfyUI client's public surface (one {@link ComfyClient} per server). The test double lives in
 * `./fake/FakeComfyServer.ts` and is imported from there by tests and benchmarks only.
 */
export { ComfyClient, type ComfyClientOptions } from './ComfyClient.ts';
export { ComfyError, type ComfyErrorCode, type ComfyErrorKind, type ComfyProblem } from './ComfyError.ts';
export { capabilitiesFromObjectInfo, choicesFor, type ServerCapabilities } from './capabilities.ts';
export { deriveEndpoints, type ComfyEndpoints } from './endpoints.ts';
export type * from './types.ts';
