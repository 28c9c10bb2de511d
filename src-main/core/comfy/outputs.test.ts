import { describe, expect, it } from 'vitest';
import { imagesOf } from './ComfyClient';

describe('output files of a run', () => {
  it('takes images, the video savers (reported under images) and VideoHelperSuite’s gifs, in node order', () => {
    const files = imagesOf({
      '9': { images: [{ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' }] },
      '12': { images: [{ filename: 'wan_00001_.mp4', subfolder: 'video', type: 'output' }], animated: [true] },
      '15': { gifs: [{ filename: 'AnimateDiff_00001.mp4', subfolder: '', type: 'output', format: 'video/h264-mp4' }] },
      '20': { text: ['not a file'] },
    });
    expect(files).toEqual([
      { node: '9', filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' },
      { node: '12', filename: 'wan_00001_.mp4', subfolder: 'video', type: 'output' },
      { node: '15', filename: 'AnimateDiff_00001.mp4', subfolder: '', type: 'output' },
    ]);
  });
});
