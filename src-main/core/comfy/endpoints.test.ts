import { describe, expect, it } from 'vitest';
import { deriveEndpoints, httpUrl, wsUrl } from './endpoints.ts';

describe('deriveEndpoints', () => {
  it.each([
    ['http://127.0.0.1:8188', 'http://127.0.0.1:8188', 'ws://127.0.0.1:8188'],
    ['http://gpu-box:8188/', 'http://gpu-box:8188', 'ws://gpu-box:8188'],
    ['https://comfy.studio.example/proxy/gpu-3/', 'https://comfy.studio.example/proxy/gpu-3', 'wss://comfy.studio.example/proxy/gpu-3'],
    ['HTTPS://Comfy.Example:8443', 'https://comfy.example:8443', 'wss://comfy.example:8443'],
    ['gpu-box:8188', 'http://gpu-box:8188', 'ws://gpu-box:8188'],
    ['wss://comfy.example', 'https://comfy.example', 'wss://comfy.example'],
    ['  http://[::1]:8188  ', 'http://[::1]:8188', 'ws://[::1]:8188'],
  ])('%s -> %s and %s', (base, http, ws) => {
    const endpoints = deriveEndpoints(base);
    expect([endpoints.httpBase, endpoints.wsBase, endpoints.basicAuthHeader]).toEqual([http, ws, null]);
  });

  it('moves user:password into a Basic auth header (fetch refuses URLs with credentials)', () => {
    const endpoints = deriveEndpoints('https://artist:p%40ss@comfy.example/');
    expect(endpoints.httpBase).toBe('https://comfy.example');
    expect(endpoints.basicAuthHeader).toBe(`Basic ${Buffer.from('artist:p@ss').toString('base64')}`);
  });

  it('builds request and WebSocket URLs with encoded parameters', () => {
    const endpoints = deriveEndpoints('https://comfy.example/p');
    expect(httpUrl(endpoints, '/view', { filename: 'a b.png', subfolder: '', type: 'output' })).toBe(
      'https://comfy.example/p/view?filename=a+b.png&subfolder=&type=output',
    );
    expect(wsUrl(endpoints, 'id with space')).toBe('wss://comfy.example/p/ws?clientId=id%20with%20space');
  });

  it.each([
    ['', /empty/],
    ['ftp://comfy.example', /uses 'ftp:'/],
    ['http://comfy.example/?token=1', /query or fragment/],
    ['http://', /not a valid URL/],
  ])('refuses %j with a message saying what to enter', (base, message) => {
    expect(() => deriveEndpoints(base)).toThrow(message);
  });
});
