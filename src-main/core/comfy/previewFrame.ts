/**
 * Binary WebSocket frames of ComfyUI: sampling previews (PROTOCOL.md, "Binary frames"; ComfyUI server.py
 * `BinaryEventTypes`). Every frame starts with a 4-byte big-endian event type:
 * - 1 PREVIEW_IMAGE: 4-byte image format (1 JPEG, 2 PNG), then the image;
 * - 4 PREVIEW_IMAGE_WITH_METADATA (after the client's `feature_flags`): 4-byte metadata length, metadata
 *   JSON `{node_id, prompt_id, display_node_id, parent_node_id, real_node_id, image_type}`, then the image.
 * Other events (2 unencoded preview, 3 progress text) are not previews.
 */

/** A decoded preview frame. `promptId`/`node` are only known for event 4. */
export interface PreviewFrame {
  event: 1 | 4;
  mime: string;
  image: Buffer;
  promptId: string | null;
  node: string | null;
}

/**
 * Decodes a binary frame. Returns null for events that are not previews.
 * @throws Error when the frame is too short or its metadata is not JSON (the message says which).
 */
export function parsePreviewFrame(frame: Buffer): PreviewFrame | null {
  if (frame.length < 8) throw new Error(`ComfyUI binary frame of ${frame.length} bytes is too short (at least 8 expected)`);
  const event = frame.readUInt32BE(0);
  if (event === 1) {
    const format = frame.readUInt32BE(4);
    return { event: 1, mime: format === 2 ? 'image/png' : 'image/jpeg', image: frame.subarray(8), promptId: null, node: null };
  }
  if (event === 4) {
    const length = frame.readUInt32BE(4);
    if (8 + length > frame.length) {
      throw new Error(`ComfyUI preview frame announces ${length} bytes of metadata but has only ${frame.length - 8}`);
    }
    let metadata: Record<string, unknown>;
    try {
      metadata = JSON.parse(frame.toString('utf8', 8, 8 + length)) as Record<string, unknown>;
    } catch {
      throw new Error('ComfyUI preview frame metadata is not JSON');
    }
    const node = metadata.display_node_id ?? metadata.node_id;
    return {
      event: 4,
      mime: typeof metadata.image_type === 'string' ? metadata.image_type : 'image/jpeg',
      image: frame.subarray(8 + length),
      promptId: typeof metadata.prompt_id === 'string' ? metadata.prompt_id : null,
      node: node === undefined || node === null ? null : String(node),
    };
  }
  return null;
}
