/**
 * The packaging configuration (electron-builder.yml, build/, scripts/dist.mjs), read the way electron-builder
 * reads it and validated against electron-builder's own schema, so a wrong key fails here and not on the
 * release machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// electron-builder's own modules, resolved from electron-builder (a devDependency) so their versions match it.
const builderRequire = createRequire(createRequire(join(root, 'package.json')).resolve('electron-builder'));
const appBuilderRequire = createRequire(builderRequire.resolve('app-builder-lib'));

/** electron-builder configuration as loaded (loosely typed: the schema validation below is the check). */
type BuilderConfig = Record<string, any>;

interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
}
const { getConfig, validateConfiguration } = appBuilderRequire('app-builder-lib/out/util/config/config.js') as ConfigModule;
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { minimatch } = appBuilderRequire('minimatch') as { minimatch: (path: string, pattern: string, opts?: object) => boolean };

interface DistModule {
  electronBuilderEnv(env: Record<string, string | undefined>): Record<string, string | undefined>;
  electronBinary(projectDir: string): { path: string } | { why: string };
}

describe('electron-builder.yml', () => {
  let config: BuilderConfig;
  beforeAll(async () => {
    config = await getConfig(root, join(root, 'electron-builder.yml'), null);
  });

  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    // …and that validation is strict: a misspelt fuse is refused.
    const misspelt = { ...structuredClone(config), electronFuses: { ...config.electronFuses, runAsNod: false } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('names the app and packs the electron-vite output', () => {
    expect(config.appId).toBe('app.storycanvas.desktop');
    expect(config.productName).toBe('StoryCanvas');
    const filePatterns = (config.files as Array<string | { filter: string[] }>).flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(filePatterns).toContain('out/**/*');
    expect(config.extraResources).toEqual([{ from: 'resources', to: 'resources', filter: ['**/*'] }]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('builds AppImage and deb (Graphics, AudioVideo), a hardened dmg, and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Graphics');
    expect(config.linux.desktop.entry.Categories).toBe('Graphics;AudioVideo;');
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('signs macOS builds with entitlements that exist and ask only for the JIT', () => {
    for (const key of ['entitlements', 'entitlementsInherit']) {
      const file = join(root, config.mac[key]);
      expect(existsSync(file), file).toBe(true);
      const plist = readFileSync(file, 'utf8');
      const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
      expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
    }
  });

  it('has a 1024 px icon for every platform', () => {
    for (const platform of ['linux', 'mac', 'win']) {
      const icon = readFileSync(join(root, config[platform].icon));
      expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([1024, 1024]);
    }
  });

  it('flips the fuses: no RunAsNode, NODE_OPTIONS or --inspect; asar integrity, asar only, encrypted cookies', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    expect(config.asar).toBe(true);
  });

  it('unpacks every native binary from the asar (better-sqlite3, sharp and libvips, onnxruntime)', () => {
    const unpacked = (path: string) => (config.asarUnpack as string[]).some((pattern) => minimatch(path, pattern, { dot: true }));
    for (const path of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/sharp/lib/index.js',
      'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node',
      'node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.17.3',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
      'node_modules/onnxruntime-node/bin/napi-v6/darwin/arm64/libonnxruntime.1.23.0.dylib',
    ]) {
      expect(unpacked(path), path).toBe(true);
    }
    expect(unpacked('out/main/index.js')).toBe(false);
    expect(unpacked('node_modules/zod/index.js')).toBe(false);
  });

  it('rebuilds native modules for Electron with @electron/rebuild', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(false);
    expect(config.nativeRebuilder).toBe('sequential');
  });
});

describe('scripts/dist.mjs', () => {
  let dist: DistModule;
  beforeAll(async () => {
    dist = (await import(pathToFileURL(join(root, 'scripts', 'dist.mjs')).href)) as DistModule;
  });

  it('removes every spelling of nodedir from the environment it gives electron-builder, and nothing else', () => {
    const env = {
      npm_config_nodedir: '/usr',
      NPM_CONFIG_NODEDIR: '/usr',
      nodedir: '/usr',
      npm_package_config_node_gyp_nodedir: '/usr',
      npm_config_cache: '/root/.npm',
      PATH: '/usr/bin',
      MY_NODEDIR_NOTE: 'kept',
    };
    expect(dist.electronBuilderEnv(env)).toEqual({ npm_config_cache: '/root/.npm', PATH: '/usr/bin', MY_NODEDIR_NOTE: 'kept' });
    expect(env.npm_config_nodedir).toBe('/usr');
  });

  describe('electronBinary', () => {
    const make = (files: Record<string, string>) => {
      const dir = mkdtempSync(join(tmpdir(), 'sc-dist-'));
      writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
      for (const [rel, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text.replaceAll('$DIR', dir));
      }
      return dir;
    };

    it('says the package is missing when electron is not installed', () => {
      const dir = make({});
      try {
        expect(dist.electronBinary(dir)).toEqual({ why: expect.stringMatching(/not installed/) });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('says the binary is missing when the package is there without its download', () => {
      const dir = make({
        'node_modules/electron/package.json': '{"name":"electron","version":"45.4.1","main":"index.js"}',
        'node_modules/electron/index.js': "throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');",
      });
      try {
        expect(dist.electronBinary(dir)).toEqual({ why: expect.stringMatching(/has no binary \(Electron failed to install correctly/) });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('gives the binary path when it exists', () => {
      const dir = make({
        'node_modules/electron/package.json': '{"name":"electron","version":"45.4.1","main":"index.js"}',
        'node_modules/electron/index.js': "module.exports = require('path').join(__dirname, 'dist', 'electron');",
        'node_modules/electron/dist/electron': '#!/bin/sh\n',
      });
      try {
        expect(dist.electronBinary(dir)).toEqual({ path: join(dir, 'node_modules', 'electron', 'dist', 'electron') });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  const here = dist_electronHere();
  it.skipIf(here.installed)(`exits 1 with the reason when Electron is absent${here.installed ? ' (skipped: Electron is installed here, and running dist would package the app)' : ''}`, () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'dist.mjs')], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot package here: the electron package is not installed/);
  });
});

/** Whether the electron package resolves from the project (decides whether running dist.mjs is safe in a test). */
function dist_electronHere(): { installed: boolean } {
  try {
    createRequire(join(root, 'package.json')).resolve('electron/package.json');
    console.warn('[packaging.test] Electron is installed here: the "exits 1 when Electron is absent" test is skipped.');
    return { installed: true };
  } catch {
    return { installed: false };
  }
}
