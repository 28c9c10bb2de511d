import { describe, expect, it } from 'vitest';
import { parsePreviewFrame } from './previewFrame.ts';

const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');

function frame(...parts: Buffer[]): Buffer {
  return Buffer.concat(parts);
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

describe('parsePreviewFrame', () => {
  it('decodes event 1: format then image', () => {
    expect(parsePreviewFrame(frame(u32(1), u32(1), JPEG))).toEqual({ event: 1, mime: 'image/jpeg', image: JPEG, promptId: null, node: null });
    expect(parsePreviewFrame(frame(u32(1), u32(2), JPEG))?.mime).toBe('image/png');
  });

  it('decodes event 4: metadata length, metadata JSON (as recorded), image', () => {
    const metadata = Buffer.from(
      '{"node_id": "3", "prompt_id": "95e1a1a3-240f-444f-8adf-e4938145dc77", "display_node_id": "3", "parent_node_id": null, "real_node_id": "3", "image_type": "image/jpeg"}',
    );
    expect(parsePreviewFrame(frame(u32(4), u32(metadata.length), metadata, JPEG))).toEqual({
      event: 4,
      mime: 'image/jpeg',
      image: JPEG,
      promptId: '95e1a1a3-240f-444f-8adf-e4938145dc77',
      node: '3',
    });
  });

  it('ignores events that are not previews and refuses broken frames', () => {
    expect(parsePreviewFrame(frame(u32(3), u32(0), Buffer.from('text')))).toBeNull();
    expect(() => parsePreviewFrame(Buffer.from([0, 0, 0, 1]))).toThrow(/too short/);
    expect(() => parsePreviewFrame(frame(u32(4), u32(100), Buffer.from('{}')))).toThrow(/announces 100 bytes/);
    expect(() => parsePreviewFrame(frame(u32(4), u32(2), Buffer.from('{x'), JPEG))).toThrow(/not JSON/);
  });
});
