/**
 * A raw WebSocket listener for tests of the ComfyUI double: connects as a given client id and records every
 * message in the shape of `testdata/recorded/ws_*.json` (text messages as `{type, data}`, binary frames as
 * `{type: "<binary>", event, len, image_format | metadata, magic}`), so sequences can be compared with the
 * recordings.
 */
import { WebSocket } from 'ws';

/** One recorded message. */
export interface RecordedMessage {
  type: string;
  data?: Record<string, unknown>;
  event?: number;
  len?: number;
  image_format?: number;
  metadata?: Record<string, unknown>;
  magic?: string;
}

/** A connected recorder. */
export interface WsRecorder {
  readonly messages: RecordedMessage[];
  /** Resolves with the first message (from now or already recorded, after `fromIndex`) matching `predicate`. */
  waitFor(predicate: (message: RecordedMessage) => boolean, timeoutMs?: number, fromIndex?: number): Promise<RecordedMessage>;
  close(): Promise<void>;
}

/**
 * Connects to `ws://127.0.0.1:PORT/ws?clientId=ID`; with `featureFlags`, sends ComfyUI's
 * `{"type":"feature_flags","data":{"supports_preview_metadata":true}}` first.
 * @throws Error when the connection does not open within 5 s.
 */
export async function recordWs(port: number, clientId: string, options: { featureFlags?: boolean; path?: string } = {}): Promise<WsRecorder> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/ws'}?clientId=${encodeURIComponent(clientId)}`);
  const messages: RecordedMessage[] = [];
  const waiters: Array<{ predicate: (message: RecordedMessage) => boolean; resolve: (message: RecordedMessage) => void; fromIndex: number }> = [];
  ws.on('message', (data, isBinary) => {
    const buffer = data as Buffer;
    let message: RecordedMessage;
    if (isBinary) {
      const event = buffer.readUInt32BE(0);
      message = { type: '<binary>', event, len: buffer.length };
      if (event === 1) {
        message.image_format = buffer.readUInt32BE(4);
        message.magic = buffer.subarray(8, 12).toString('hex');
      } else if (event === 4) {
        const length = buffer.readUInt32BE(4);
        message.metadata = JSON.parse(buffer.toString('utf8', 8, 8 + length)) as Record<string, unknown>;
        message.magic = buffer.subarray(8 + length, 12 + length).toString('hex');
      }
    } else {
      message = JSON.parse(buffer.toString('utf8')) as RecordedMessage;
    }
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (messages.length - 1 >= waiter.fromIndex && waiter.predicate(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`recordWs: no connection to port ${port} within 5 s`)), 5000);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  if (options.featureFlags) ws.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }));
  return {
    messages,
    waitFor(predicate, timeoutMs = 5000, fromIndex = 0) {
      const found = messages.slice(fromIndex).find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          fromIndex,
          resolve: (message: RecordedMessage) => {
            clearTimeout(timer);
            resolve(message);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`recordWs: no matching message within ${timeoutMs} ms; got ${messages.map((m) => m.type).join(', ')}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) {
          resolve();
          return;
        }
        ws.once('close', () => resolve());
        ws.terminate();
      });
    },
  };
}
