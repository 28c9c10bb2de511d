/**
 * Which ffmpeg the animatic runs, and its version.
 *
 * Order: the `STORYCANVAS_FFMPEG` environment variable (a person's override), then the binary the app bundles
 * (passed by the caller), then `ffmpeg` on PATH.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { findOnPath } from '../../media/tools.ts';

/** Where the ffmpeg binary came from. */
export type FfmpegSource = 'system' | 'bundled' | 'env';

/** The ffmpeg a render uses. */
export interface FfmpegBinary {
  /** absolute path of the executable */
  path: string;
  source: FfmpegSource;
  /** the version word of `ffmpeg -version` (`5.1.9-0+deb12u1`, `7.1`, `N-118000-g…`) */
  version: string;
}

/** The environment variable that names an ffmpeg binary to use instead of the bundled or system one. */
export const FFMPEG_ENV_VAR = 'STORYCANVAS_FFMPEG';

const INSTALL_HINT =
  'install ffmpeg (macOS: `brew install ffmpeg`; Debian/Ubuntu: `sudo apt install ffmpeg`; Windows: `winget install ffmpeg`) ' +
  `and make sure it is on PATH, or set ${FFMPEG_ENV_VAR} to the ffmpeg executable's full path`;

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const versionCache = new Map<string, Promise<string>>();

/** Runs `<path> -version` and returns its version word; rejects when the file does not run as ffmpeg. */
function readVersion(path: string): Promise<string> {
  let cached = versionCache.get(path);
  if (!cached) {
    cached = new Promise<string>((resolve, reject) => {
      execFile(path, ['-hide_banner', '-version'], { timeout: 15_000, windowsHide: true }, (error, stdout) => {
        const match = /^ffmpeg version (\S+)/m.exec(String(stdout));
        if (error || !match) {
          reject(new Error(`${path} did not run as ffmpeg (${error ? error.message : 'no "ffmpeg version" line'}): ${INSTALL_HINT}`));
        } else resolve(match[1]!);
      });
    });
    versionCache.set(path, cached);
    cached.catch(() => versionCache.delete(path));
  }
  return cached;
}

/**
 * Finds the ffmpeg to run: `STORYCANVAS_FFMPEG` from `env`, else `bundledPath`, else `ffmpeg` on PATH.
 * @param bundledPath the app's own ffmpeg binary, when it ships one.
 * @throws Error naming what to install or set when the chosen file is missing, is not executable or is not ffmpeg,
 *   or when no ffmpeg is found at all.
 */
export async function resolveFfmpeg(
  bundledPath?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FfmpegBinary> {
  let path: string | null;
  let source: FfmpegSource;
  const fromEnv = env[FFMPEG_ENV_VAR];
  if (fromEnv) {
    source = 'env';
    path = fromEnv;
    if (!isExecutableFile(path)) {
      throw new Error(`${FFMPEG_ENV_VAR} names ${path}, which is not an executable file: fix or unset it, or ${INSTALL_HINT}`);
    }
  } else if (bundledPath) {
    source = 'bundled';
    path = bundledPath;
    if (!isExecutableFile(path)) {
      throw new Error(`the bundled ffmpeg ${path} is missing or not executable: reinstall StoryCanvas, or ${INSTALL_HINT}`);
    }
  } else {
    source = 'system';
    path = findOnPath('ffmpeg', env.PATH);
    if (!path) throw new Error(`ffmpeg was not found, and rendering an animatic needs it: ${INSTALL_HINT}`);
  }
  return { path, source, version: await readVersion(path) };
}
