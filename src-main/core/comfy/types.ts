/**
 * Public types of the ComfyUI client: workflows, image references, queue and history entries, results and
 * the typed events a {@link ComfyClient} emits. Protocol reference: `/work/shared/comfyui/PROTOCOL.md`
 * (ComfyUI 0.3.64, and the mid-2024 servers it describes).
 */
import type { ComfyError } from './ComfyError.ts';

/** One node of an API-format workflow ("Export (API)" in ComfyUI): class and inputs (values or links). */
export interface ComfyGraphNode {
  class_type: string;
  /** Widget values, or links `[nodeId, outputSlot]`. */
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

/** An API-format workflow: node id -> node. */
export type ComfyGraph = Record<string, ComfyGraphNode>;

/** An image file on the server, as `executed`, `/history` and `/upload/image` report it. */
export interface ImageRef {
  filename: string;
  /** Folder below the server's output/input/temp folder; `""` at the top. */
  subfolder: string;
  /** `output` (SaveImage), `temp` (PreviewImage) or `input` (uploads). */
  type: string;
}

/** An image of a result, with the node that produced it. */
export interface ResultImage extends ImageRef {
  node: string;
}

/** The UI output of one node (`{images: [...]}` for image nodes; other keys kept as sent). */
export interface NodeOutput {
  images?: ImageRef[];
  [key: string]: unknown;
}

/** One `/queue` entry: `[number, prompt_id, prompt, extra_data, outputs_to_execute]`. */
export interface QueueEntry {
  number: number;
  promptId: string;
  graph: ComfyGraph;
  extraData: Record<string, unknown>;
  outputsToExecute: string[];
  /** `extra_data.client_id`: which client submitted it (null if none was given). */
  clientId: string | null;
}

/** What `/queue` shows: the prompt running (at most one per server) and those waiting. */
export interface QueueSnapshot {
  running: QueueEntry[];
  pending: QueueEntry[];
}

/** A `/history/{id}` entry. */
export interface HistoryEntry {
  promptId: string;
  outputs: Record<string, NodeOutput>;
  images: ResultImage[];
  /** `"success"` or `"error"` (an interrupted run is `"error"` too). */
  statusStr: string;
  completed: boolean;
  /** `[type, data]` pairs: execution_start, execution_cached, then execution_success/error/interrupted. */
  messages: Array<[string, Record<string, unknown>]>;
}

/** How a run ended: finished, failed on the server, or stopped by a cancel (while running or queued). */
export type ComfyRunStatus = 'success' | 'error' | 'interrupted';

/** The outcome of one prompt, as {@link ComfyClient.waitForResult} reports it. */
export interface ComfyResult {
  promptId: string;
  status: ComfyRunStatus;
  /** UI outputs by node id (partial when the run failed or was interrupted). */
  outputs: Record<string, NodeOutput>;
  /** Every image of `outputs`, in node order. */
  images: ResultImage[];
  /** For `status: 'error'`: what failed, artist-readable (node, exception). */
  error?: ComfyError;
  /** For `status: 'interrupted'`: the node it stopped at, or null when it was removed before it started. */
  interruptedNode?: string | null;
}

/** What {@link ComfyClient.submit} returns. */
export interface SubmitResult {
  /** The prompt id to follow (ours, or the server's on a mid-2024 server, which ignores ours). */
  promptId: string;
  /** Its queue number. */
  number: number;
  /** Outputs the server dropped as invalid while running the rest (artist-readable); usually empty. */
  warnings: string[];
}

/** `/system_stats`, reduced to what a server list shows. Fields a server did not send are null. */
export interface SystemStats {
  comfyuiVersion: string | null;
  pythonVersion: string | null;
  pytorchVersion: string | null;
  os: string | null;
  ramTotalBytes: number | null;
  ramFreeBytes: number | null;
  devices: Array<{ name: string; type: string; vramTotalBytes: number | null; vramFreeBytes: number | null }>;
}

/** `/features` of a current server (a mid-2024 server has none: `null`). */
export interface ServerFeatures {
  supportsPreviewMetadata: boolean;
  maxUploadSizeBytes: number | null;
}

/** Protocol generation of a server: `current` (0.3.x) or `mid2024` (no /features, ignores our prompt id). */
export type ComfyProtocol = 'current' | 'mid2024';

/** What {@link ComfyClient.cancel} did. */
export type CancelOutcome =
  /** It was queued and is now removed from the queue. */
  | 'deleted'
  /** It was running; a targeted interrupt was sent (the run ends as `interrupted`). */
  | 'interrupted'
  /** It belongs to another client; nothing was done. */
  | 'not-ours'
  /** The server has it neither queued nor running (finished, or unknown). */
  | 'not-found';

/** The events of a {@link ComfyClient}, by `type`. */
export type ComfyClientEvent =
  /** The WebSocket went up or down; `retryInMs` is the delay before the next attempt. */
  | { type: 'connection'; state: 'up' | 'down'; retryInMs?: number }
  /** `queue_remaining` of the server (running + pending, all clients). */
  | { type: 'status'; queueRemaining: number }
  | { type: 'started'; promptId: string }
  | { type: 'cached'; promptId: string; nodes: string[] }
  | { type: 'executing'; promptId: string; node: string }
  /** A sampling step: `value` of `max` for `node`. */
  | { type: 'progress'; promptId: string; node: string; value: number; max: number }
  /** A preview image during sampling (`mime` image/jpeg or image/png). */
  | { type: 'preview'; promptId: string | null; node: string | null; image: Buffer; mime: string }
  | { type: 'executed'; promptId: string; node: string; output: NodeOutput }
  /** The run finished and its outputs are read (after `executing {node:null}` and `/history`). */
  | { type: 'success'; promptId: string; result: ComfyResult }
  | { type: 'error'; promptId: string; result: ComfyResult; error: ComfyError }
  | { type: 'interrupted'; promptId: string; result: ComfyResult }
  /** The prompt's outcome cannot be known (connection lost too long, or the server forgot it). */
  | { type: 'lost'; promptId: string; error: ComfyError };

/** The event types of {@link ComfyClientEvent}. */
export type ComfyClientEventType = ComfyClientEvent['type'];

/** The minimal WebSocket a client needs (the `ws` package's WebSocket, or a browser-like one). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** A WebSocket constructor; `options.headers` carries auth headers (supported by `ws`). */
export type WebSocketConstructor = new (url: string, options?: { headers?: Record<string, string>; handshakeTimeout?: number }) => WebSocketLike;
