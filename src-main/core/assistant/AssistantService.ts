/**
 * The shot assistant (optional, off until configured): an OpenAI-compatible chat endpoint (a local Ollama, LM Studio
 * or llama.cpp server, or a hosted one with a key) proposes a shot breakdown for a scene; the artist accepts, edits
 * or rejects each proposed shot, and the accepted ones are added in one undoable step.
 *
 * - Settings: `<configDir>/assistant.json` (settings.ts). The key: the shell's {@link SecretStore} (secrets.ts).
 * - Proposing (`proposeShots`): the scene's text goes out with a system prompt and `response_format: json_schema`;
 *   a server that refuses response_format is asked again with a plain JSON instruction. The reply is parsed whole
 *   (propose.ts): an invalid one is refused with `assistant_invalid_reply`, nothing applied. Timeouts, HTTP errors
 *   (401 key, 404 model, 429, 5xx) and unreachable servers become clear errors (chat.ts).
 * - Applying (`applyShots`): the artist's accepted list becomes shots at the end of the scene, one undo step.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import type { AssistantSettings, DialogueLine, ProposedShot as ProposedShotType, ShotProposal } from '../../../src-preload/model';
import { ProposedShot } from '../../../src-preload/model';
import { AppError } from '../errors';
import { newId } from '../ids';
import { nameKey } from '../library/names';
import { describeShots, nextShotNumber, type ProjectStore } from '../store/ProjectStore';
import { chatCompletion, type ChatMessage } from './chat';
import { parseShotList, sceneText, SHOT_LIST_RESPONSE_FORMAT, speakers, systemPrompt } from './propose';
import { ASSISTANT_KEY_NAME, type SecretStore } from './secrets';
import { readAssistantFile, writeAssistantFile, type AssistantFile } from './settings';

/** A change of the settings (the contract's `assistant.configure`); `apiKey: null` removes the key. */
export interface AssistantPatch {
  baseUrl?: string;
  model?: string;
  enabled?: boolean;
  timeoutMs?: number;
  apiKey?: string | null;
}

/** See the module comment. One per core. */
export class AssistantService {
  constructor(
    private readonly configDir: string,
    private readonly secrets: SecretStore,
    private readonly options: { fetchImpl?: typeof fetch } = {},
  ) {}

  /** The settings as people see them (never the key). @throws AppError `assistant_settings_unreadable`. */
  async settings(): Promise<AssistantSettings> {
    const file = readAssistantFile(this.configDir);
    const key = await this.secrets.get(ASSISTANT_KEY_NAME);
    return { baseUrl: file.baseUrl, model: file.model, enabled: file.enabled, timeoutMs: file.timeoutMs, hasKey: key !== null, keyStore: key !== null ? this.secrets.kind : 'none' };
  }

  /**
   * Changes the settings; the key goes to the secret store first, so a store that cannot keep it changes nothing.
   * @throws AppError `secret_store_read_only`, `assistant_not_configured` (enabled without a model), `cannot_write`.
   */
  async configure(patch: AssistantPatch): Promise<AssistantSettings> {
    const current = readAssistantFile(this.configDir);
    const next: AssistantFile = {
      ...current,
      ...(patch.baseUrl !== undefined ? { baseUrl: patch.baseUrl.trim() } : {}),
      ...(patch.model !== undefined ? { model: patch.model.trim() } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.timeoutMs !== undefined ? { timeoutMs: patch.timeoutMs } : {}),
    };
    if (next.enabled && !next.model) {
      throw new AppError('assistant_not_configured', 'The assistant needs a model before it can be turned on.', 'Give the model name (e.g. llama3.1:8b for Ollama, or the model LM Studio has loaded).');
    }
    if (!/^https?:\/\//i.test(next.baseUrl)) throw new AppError('invalid_args', `The assistant's address must start with http:// or https://, not "${next.baseUrl}".`, 'Give e.g. http://127.0.0.1:11434/v1.');
    if (patch.apiKey !== undefined) await this.secrets.set(ASSISTANT_KEY_NAME, patch.apiKey === null ? null : patch.apiKey.trim());
    writeAssistantFile(this.configDir, next);
    return this.settings();
  }

  /** The settings and key of a call, refusing when the assistant is off. */
  private async ready(): Promise<{ file: AssistantFile; key: string | null }> {
    const file = readAssistantFile(this.configDir);
    if (!file.enabled || !file.model) {
      throw new AppError('assistant_disabled', 'The shot assistant is off.', 'Configure it first: storycanvas assistant configure --url http://127.0.0.1:11434/v1 --model <model> (or in Settings).');
    }
    return { file, key: await this.secrets.get(ASSISTANT_KEY_NAME) };
  }

  /** Asks for a one-word answer: the address, the key and the model work. @throws AppError as chat.ts. */
  async test(signal?: AbortSignal): Promise<{ ok: true; model: string; latencyMs: number }> {
    const { file, key } = await this.ready();
    const reply = await chatCompletion({
      baseUrl: file.baseUrl,
      apiKey: key,
      model: file.model,
      messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
      maxTokens: 5,
      temperature: 0,
      timeoutMs: file.timeoutMs,
      signal,
      fetchImpl: this.options.fetchImpl,
    });
    return { ok: true, model: reply.model, latencyMs: Math.round(reply.latencyMs) };
  }

  /**
   * A shot breakdown of a scene, proposed by the assistant; nothing is changed in the project.
   * @throws AppError `not_found` (scene), `assistant_disabled`, `assistant_invalid_reply`, and chat.ts's errors.
   */
  async proposeShots(store: ProjectStore, sceneId: string, signal?: AbortSignal): Promise<ShotProposal> {
    const scene = store.scene(sceneId);
    const { file, key } = await this.ready();
    const shots = store.shots(sceneId);
    const names = [...new Set(shots.flatMap((s) => s.characters))];
    const user = `${names.length ? `Characters: ${names.join(', ')}\n\n` : ''}Scene:\n\n${sceneText(scene, shots)}`;
    const ask = (structured: boolean) => {
      const messages: ChatMessage[] = [
        { role: 'system', content: systemPrompt(!structured) },
        { role: 'user', content: user },
      ];
      return chatCompletion({
        baseUrl: file.baseUrl,
        apiKey: key,
        model: file.model,
        messages,
        ...(structured ? { responseFormat: SHOT_LIST_RESPONSE_FORMAT } : {}),
        timeoutMs: file.timeoutMs,
        signal,
        fetchImpl: this.options.fetchImpl,
      });
    };
    let structured = true;
    let reply;
    try {
      reply = await ask(true);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'assistant_format_unsupported') throw error;
      structured = false;
      reply = await ask(false);
    }
    return { sceneId, shots: parseShotList(reply.content, reply.finishReason), model: reply.model, structured };
  }

  /**
   * Adds the accepted shots at the end of a scene, in order, in one undoable step: size, angle, move, lens, the
   * description as action, the dialogue, and as characters the speakers and the project's characters the
   * description names.
   * @returns the new shots' ids.
   * @throws AppError `not_found` (scene), `invalid_shot` (a shot that does not fit the schema; nothing is added).
   */
  applyShots(store: ProjectStore, sceneId: string, shots: readonly ProposedShotType[]): { shotIds: string[] } {
    const scene = store.scene(sceneId);
    const checked = shots.map((s, i) => {
      const parsed = ProposedShot.safeParse(s);
      if (!parsed.success) throw new AppError('invalid_shot', `Shot ${i + 1} is not valid: ${parsed.error.issues.map((e) => `${e.path.join('.') || '(shot)'}: ${e.message}`).join('; ')}.`, 'Fix it or leave it out; nothing was added.');
      return parsed.data;
    });
    if (checked.length === 0) return { shotIds: [] };
    const existing = store.shots(sceneId);
    const keys = generateNKeysBetween(existing.at(-1)?.orderKey ?? null, null, checked.length);
    const taken = store.allShotNumbers();
    const projectNames = store.characters().map((c) => c.name);
    const duration = store.settings().defaultShotDurationFrames;
    const ids = checked.map(() => newId('sht'));
    const numbers: string[] = [];
    for (let i = 0; i < checked.length; i += 1) {
      const n = nextShotNumber(scene.number, [...taken, ...numbers]);
      numbers.push(n);
    }
    store.edit(`Add ${describeShots(numbers.map((number) => ({ number })))} from the assistant`, (tx) => {
      checked.forEach((s, i) => {
        const dialogue: DialogueLine[] = (s.dialogue ?? []).map((d) => ({ character: d.character.trim().replace(/\s+/g, ' ').toUpperCase(), text: d.text }));
        const named = projectNames.filter((name) => new RegExp(`(^|[^\\p{L}])${escapeRegExp(name)}($|[^\\p{L}])`, 'iu').test(s.description));
        const characters = [...new Map([...speakers(s), ...named].map((n) => [nameKey(n), n])).values()];
        tx.insert('shot', {
          id: ids[i],
          scene_id: sceneId,
          order_key: keys[i],
          number: numbers[i],
          shot_size: s.shotSize,
          camera_angle: s.cameraAngle,
          camera_move: s.cameraMove,
          lens_mm: s.lensMm ?? null,
          action: s.description,
          dialogue: JSON.stringify(dialogue),
          notes: '',
          duration_frames: duration,
          selected_take_id: null,
          characters: JSON.stringify(characters),
          script_key: null,
        });
      });
    });
    return { shotIds: ids };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
