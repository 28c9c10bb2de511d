import { describe, expect, it } from 'vitest';
import { capabilityCounts, checkedAgo, normalizeServerUrl, parseHeaderLines, versionLabel } from './serverForm';

describe('normalizeServerUrl', () => {
  it('adds http:// when no scheme is typed and drops a trailing slash', () => {
    expect(normalizeServerUrl(' 127.0.0.1:8188 ')).toEqual({ url: 'http://127.0.0.1:8188' });
    expect(normalizeServerUrl('https://gpu.example.org/comfy/')).toEqual({ url: 'https://gpu.example.org/comfy' });
    expect(normalizeServerUrl('http://gpu-box.local:8188/')).toEqual({ url: 'http://gpu-box.local:8188' });
  });

  it('says what is wrong with an empty field, a bad address or another protocol', () => {
    expect(normalizeServerUrl('  ')).toHaveProperty('error');
    expect(normalizeServerUrl('http://exa mple')).toEqual({ error: '"http://exa mple" is not an address: type one like http://127.0.0.1:8188.' });
    expect(normalizeServerUrl('ftp://host')).toEqual({ error: 'A ComfyUI server is reached over http or https, not ftp.' });
  });
});

describe('parseHeaderLines', () => {
  it('reads Name: value lines, values may hold colons', () => {
    expect(parseHeaderLines('X-Api-Key: abc\n\nAuthorization: Bearer a:b ')).toEqual({ headers: { 'X-Api-Key': 'abc', Authorization: 'Bearer a:b' } });
    expect(parseHeaderLines('')).toEqual({ headers: {} });
  });

  it('names the line that is wrong', () => {
    expect(parseHeaderLines('just-a-token')).toEqual({ error: '"just-a-token" is not a header: write it as Name: value, like X-Api-Key: 123.' });
    expect(parseHeaderLines('Bad Name: 1')).toEqual({ error: '"Bad Name" is not a header name: use letters, digits and - only, like X-Api-Key.' });
    expect(parseHeaderLines('X-Key:')).toEqual({ error: 'The header X-Key has no value.' });
  });
});

describe('capabilityCounts, checkedAgo and versionLabel', () => {
  it('counts what a checked server offers, and nothing before a check', () => {
    const s = { checkpoints: ['a', 'b'], loras: ['l'], nodeTypeCount: 1611, checkedAt: '2025-01-01T00:00:00Z' };
    expect(capabilityCounts(s)).toEqual(['2 checkpoints', '1 LoRA', '1,611 node types']);
    expect(capabilityCounts({ ...s, checkedAt: null })).toEqual([]);
  });

  it('says how long ago a server was checked', () => {
    const t = Date.parse('2025-01-01T00:00:00Z');
    expect(checkedAgo('2025-01-01T00:00:00Z', t + 2000)).toBe('checked just now');
    expect(checkedAgo('2025-01-01T00:00:00Z', t + 12_000)).toBe('checked 12 s ago');
    expect(checkedAgo('2025-01-01T00:00:00Z', t + 300_000)).toBe('checked 5 min ago');
    expect(checkedAgo('2025-01-01T00:00:00Z', t + 3 * 3600_000)).toBe('checked 3 h ago');
    expect(checkedAgo(null, t)).toBe('not checked yet');
  });

  it('names the version and an older protocol', () => {
    expect(versionLabel({ comfyuiVersion: '0.3.64', protocol: 'current' })).toBe('ComfyUI 0.3.64');
    expect(versionLabel({ comfyuiVersion: '0.2.2', protocol: 'mid2024' })).toBe('ComfyUI 0.2.2 (mid-2024 protocol)');
    expect(versionLabel({ comfyuiVersion: null, protocol: null })).toBeNull();
  });
});
