/**
 * The ComfyUI servers an artist has set up, app-wide (shared by every project): `<configDir>/servers.json`,
 * `{"version": 1, "servers": [{id, name, url, headers, enabled, addedAt}]}`, checked with zod on every read and
 * written atomically (a temporary file in the same folder, renamed into place). A file that cannot be read or
 * does not match the schema is never overwritten: calls fail with AppError `servers_unreadable` naming it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { deriveEndpoints } from '../comfy/endpoints.ts';
import { AppError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';

/** One configured server. `url` is the base URL as typed (normalised by `deriveEndpoints`); `headers` go on every request. */
export const ServerConfigSchema = z.strictObject({
  id: z.string().regex(/^srv_[0-9a-z]+$/),
  name: z.string().min(1).max(120),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).default({}),
  enabled: z.boolean().default(true),
  addedAt: z.string(),
});
/** A configured server (see {@link ServerConfigSchema}). */
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

const FileSchema = z.strictObject({ version: z.literal(1), servers: z.array(ServerConfigSchema) });

/** Fields of a server an artist may change. */
export interface ServerPatch {
  name?: string;
  url?: string;
  headers?: Record<string, string>;
  enabled?: boolean;
}

/**
 * Checks and normalises a server URL (`gpu-box:8188` -> `http://gpu-box:8188`).
 * @throws AppError `invalid_server_url` with the reason and an example.
 */
export function normaliseServerUrl(url: string): string {
  try {
    return deriveEndpoints(url).httpBase;
  } catch (error) {
    throw new AppError('invalid_server_url', (error as Error).message, 'Enter the address ComfyUI prints at start-up, such as http://127.0.0.1:8188.');
  }
}

/** The servers file of one config folder. Reads are fresh from disk (another process, the CLI, may write it). */
export class ServerRegistry {
  readonly filePath: string;

  /** @param configDir the app's configuration folder (created on first write). */
  constructor(private readonly configDir: string) {
    this.filePath = join(configDir, 'servers.json');
  }

  /** Every server, in the order they were added. @throws AppError `servers_unreadable`. */
  list(): ServerConfig[] {
    if (!existsSync(this.filePath)) return [];
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.filePath, 'utf8'));
    } catch (error) {
      throw new AppError(
        'servers_unreadable',
        `${this.filePath} cannot be read as JSON (${(error as Error).message}).`,
        'Fix the file by hand or move it away; StoryCanvas does not overwrite a damaged servers file.',
      );
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) {
      throw new AppError(
        'servers_unreadable',
        `${this.filePath} does not hold a valid server list: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}.`,
        'Fix the file by hand or move it away; StoryCanvas does not overwrite a damaged servers file.',
      );
    }
    return parsed.data.servers;
  }

  /** One server. @throws AppError `not_found`. */
  get(serverId: string): ServerConfig {
    const found = this.list().find((s) => s.id === serverId);
    if (!found) throw notFound('server', serverId, 'List the servers (servers.list): it may have been removed.');
    return found;
  }

  /**
   * Adds a server. The name defaults to `host:port`.
   * @throws AppError `invalid_server_url`, `server_exists` when a server already has this URL.
   */
  add(input: { url: string; name?: string; headers?: Record<string, string>; enabled?: boolean }): ServerConfig {
    const url = normaliseServerUrl(input.url);
    const servers = this.list();
    const twin = servers.find((s) => s.url === url);
    if (twin) throw new AppError('server_exists', `The server ${url} is already in the list as "${twin.name}".`, 'Edit that server instead of adding it again.');
    const server: ServerConfig = {
      id: newId('srv'),
      name: input.name?.trim() || new URL(url).host,
      url,
      headers: { ...(input.headers ?? {}) },
      enabled: input.enabled ?? true,
      addedAt: new Date().toISOString(),
    };
    this.write([...servers, server]);
    return server;
  }

  /** Changes a server. @throws AppError `not_found`, `invalid_server_url`, `server_exists`. */
  update(serverId: string, patch: ServerPatch): ServerConfig {
    const servers = this.list();
    const index = servers.findIndex((s) => s.id === serverId);
    if (index < 0) throw notFound('server', serverId, 'List the servers (servers.list): it may have been removed.');
    const next = { ...servers[index] };
    if (patch.url !== undefined) {
      next.url = normaliseServerUrl(patch.url);
      const twin = servers.find((s) => s.url === next.url && s.id !== serverId);
      if (twin) throw new AppError('server_exists', `The server ${next.url} is already in the list as "${twin.name}".`, 'Remove one of the two.');
    }
    if (patch.name !== undefined) next.name = patch.name.trim() || next.name;
    if (patch.headers !== undefined) next.headers = { ...patch.headers };
    if (patch.enabled !== undefined) next.enabled = patch.enabled;
    servers[index] = next;
    this.write(servers);
    return next;
  }

  /** Removes a server. @throws AppError `not_found`. */
  remove(serverId: string): void {
    const servers = this.list();
    if (!servers.some((s) => s.id === serverId)) throw notFound('server', serverId, 'List the servers (servers.list): it may have been removed already.');
    this.write(servers.filter((s) => s.id !== serverId));
  }

  private write(servers: ServerConfig[]): void {
    mkdirSync(this.configDir, { recursive: true });
    const temporary = join(this.configDir, `.servers.json.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      writeFileSync(temporary, `${JSON.stringify({ version: 1, servers }, null, 2)}\n`, { flag: 'wx', mode: 0o600, flush: true });
      renameSync(temporary, this.filePath);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}
