import { describe, expect, it } from 'vitest';
import { SUPPORTED_FRAME_RATES } from '../../../src-preload/model';
import { RESOLUTION_PRESETS, frameRateFromValue, frameRateLabel, frameRateValue } from './resolution';

describe('frame rate choices', () => {
  it('round-trips every supported rate through its <option> value', () => {
    for (const r of SUPPORTED_FRAME_RATES) expect(frameRateFromValue(frameRateValue(r))).toEqual({ num: r.num, den: r.den });
    expect(frameRateValue({ num: 24000, den: 1001 })).toBe('24000/1001');
  });

  it('refuses a rate that is not offered', () => {
    expect(() => frameRateFromValue('23.976')).toThrow(/not a supported frame rate/);
    expect(() => frameRateFromValue('48/1')).toThrow(/not a supported frame rate/);
  });

  it('labels equal rationals alike', () => {
    expect(frameRateLabel({ num: 48000, den: 2002 })).toBe('23.976 (24000/1001)');
  });
});

describe('resolution presets', () => {
  it('offers the four delivery formats of the brief', () => {
    expect(RESOLUTION_PRESETS.map((p) => `${p.widthPx}x${p.heightPx}`)).toEqual(['1920x1080', '3840x2160', '2048x858', '1080x1920']);
  });
});

describe('aspectLabel', () => {
  it('names the ratios people use', async () => {
    const { aspectLabel } = await import('./resolution');
    expect(aspectLabel(1920, 1080)).toBe('16:9');
    expect(aspectLabel(1080, 1920)).toBe('9:16');
    expect(aspectLabel(2048, 858)).toBe('2.39:1');
    expect(aspectLabel(1440, 1080)).toBe('4:3');
    expect(aspectLabel(0, 1080)).toBe('');
  });
});
