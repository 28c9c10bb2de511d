/**
 * Finding and running the ffmpeg command-line tools (ffprobe, ffmpeg) without a shell.
 *
 * The tools are looked up on PATH (with PATHEXT on Windows) and spawned directly with `execFile`, so no file name
 * ever passes through a shell.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { MediaError } from './MediaError.ts';

/** The tools this module runs. */
export type FfmpegTool = 'ffprobe' | 'ffmpeg';

/**
 * Absolute path of an executable found on a PATH string, or null when none of its folders holds it.
 * @param name the bare program name (`ffprobe`).
 * @param searchPath the PATH to search; defaults to `process.env.PATH`.
 * @param platform `process.platform` by default; on `win32` the PATHEXT extensions are tried too.
 */
export function findOnPath(
  name: string,
  searchPath: string | undefined = process.env.PATH,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (!searchPath) return null;
  const isWindows = platform === 'win32';
  const delimiter = isWindows ? ';' : ':';
  const extensions = isWindows ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean) : [''];
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = path.join(dir.replace(/^"(.*)"$/, '$1'), name + ext);
      try {
        if (!statSync(candidate).isFile()) continue;
        if (!isWindows) accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here: try the next folder
      }
    }
  }
  return null;
}

/**
 * Absolute path of ffprobe or ffmpeg on PATH.
 * @throws MediaError `media.toolMissing` ("ffprobe was not found: install ffmpeg ...") when it is not on PATH.
 */
export function requireTool(tool: FfmpegTool, searchPath: string | undefined = process.env.PATH): string {
  const found = findOnPath(tool, searchPath);
  if (found) return found;
  throw new MediaError(
    'media.toolMissing',
    `${tool} was not found: install ffmpeg (it brings ffmpeg and ffprobe) and make sure its folder is on PATH, then restart StoryCanvas.`,
    'macOS: `brew install ffmpeg`; Debian/Ubuntu: `sudo apt install ffmpeg`; Windows: `winget install ffmpeg`. Video takes need it; images do not.',
  );
}

/**
 * Runs ffprobe or ffmpeg with arguments (no shell) and resolves with its stdout.
 * @param timeoutMs the process is killed after this many milliseconds.
 * @throws MediaError `media.toolMissing` when the tool is not on PATH; `media.toolFailed` (with the tool's stderr in
 *   the message) when it exits non-zero or runs past `timeoutMs`.
 */
export function runTool(tool: FfmpegTool, args: string[], timeoutMs: number): Promise<string> {
  const file = requireTool(tool);
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const killed = (error as { killed?: boolean }).killed;
        const detail = String(stderr || error.message)
          .trim()
          .split('\n')
          .slice(-3)
          .join(' ');
        reject(
          new MediaError(
            'media.toolFailed',
            killed ? `${tool} took longer than ${timeoutMs} ms and was stopped.` : `${tool} failed: ${detail}`,
            'Check that the file plays in a video player; if it does, re-encode it to H.264 MP4 and import that.',
            { cause: error },
          ),
        );
      },
    );
  });
}
