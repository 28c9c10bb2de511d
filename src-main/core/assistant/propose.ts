/**
 * The shot breakdown conversation: what the assistant is told (a system prompt with the shot vocabulary and the
 * reply's JSON schema, then the scene's text), and how its reply is read. Pure: no I/O.
 *
 * The reply must be `{"shots": [{shotSize, cameraAngle, cameraMove, lensMm, description, dialogue}]}` with the
 * app's words (`ProposedShot` in src-preload/model.ts). It is parsed whole with zod: a reply that is not JSON, or
 * not of that shape, is refused with a message that says what was wrong (`assistant_invalid_reply`), and nothing
 * of it is used.
 */
import { z } from 'zod';
import { CAMERA_ANGLES, CAMERA_MOVES, ProposedShot, SHOT_SIZES, type Scene, type Shot } from '../../../src-preload/model';
import { AppError } from '../errors';

/** The most shots a reply may propose for one scene. */
export const MAX_PROPOSED_SHOTS = 60;

/** The reply's schema (as zod). */
export const ShotListReply = z.strictObject({ shots: z.array(ProposedShot).min(1, 'the reply proposes no shot').max(MAX_PROPOSED_SHOTS) });

/**
 * The reply's JSON Schema for `response_format: {type: 'json_schema'}` (OpenAI structured outputs, strict mode: every
 * property required, optional ones nullable, no extra properties).
 */
export const SHOT_LIST_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['shots'],
  properties: {
    shots: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['shotSize', 'cameraAngle', 'cameraMove', 'lensMm', 'description', 'dialogue'],
        properties: {
          shotSize: { type: 'string', enum: [...SHOT_SIZES] },
          cameraAngle: { type: 'string', enum: [...CAMERA_ANGLES] },
          cameraMove: { type: 'string', enum: [...CAMERA_MOVES] },
          lensMm: { type: ['number', 'null'] },
          description: { type: 'string' },
          dialogue: {
            type: 'array',
            items: { type: 'object', additionalProperties: false, required: ['character', 'text'], properties: { character: { type: 'string' }, text: { type: 'string' } } },
          },
        },
      },
    },
  },
} as const;

/** The `response_format` asking for {@link SHOT_LIST_JSON_SCHEMA}. */
export const SHOT_LIST_RESPONSE_FORMAT = { type: 'json_schema', json_schema: { name: 'shot_list', strict: true, schema: SHOT_LIST_JSON_SCHEMA } };

/** The system prompt. With `plainJson`, it also spells out the JSON shape (for servers without response_format). */
export function systemPrompt(plainJson: boolean): string {
  const lines = [
    "You are a film director's storyboard assistant. Break the scene you are given into the shots of a storyboard, in story order, covering the whole scene.",
    'For each shot give:',
    `- shotSize: one of ${SHOT_SIZES.join(', ')} (extreme wide, wide, medium wide, medium, medium close-up, close-up, extreme close-up, insert);`,
    `- cameraAngle: one of ${CAMERA_ANGLES.join(', ')} (ots = over the shoulder, pov = point of view);`,
    `- cameraMove: one of ${CAMERA_MOVES.join(', ')};`,
    '- lensMm: the focal length in millimetres (35 mm full-frame equivalent), or null;',
    '- description: what the frame shows, one or two sentences in the present tense, naming the characters;',
    '- dialogue: the lines spoken during the shot as [{"character": NAME, "text": LINE}], or [] when nobody speaks.',
    'Use the scene\'s own dialogue; do not invent lines. Prefer 3 to 15 shots.',
  ];
  if (plainJson) {
    lines.push(
      'Answer with JSON only, no prose and no code fence, exactly of this shape:',
      '{"shots": [{"shotSize": "WS", "cameraAngle": "eye-level", "cameraMove": "static", "lensMm": 35, "description": "…", "dialogue": []}]}',
    );
  }
  return lines.join('\n');
}

/** The scene as the assistant reads it: the slugline, the synopsis, then each existing shot's action and dialogue. */
export function sceneText(scene: Pick<Scene, 'heading' | 'synopsis'>, shots: ReadonlyArray<Pick<Shot, 'action' | 'dialogue'>>): string {
  const parts = [scene.heading.trim()];
  if (scene.synopsis.trim()) parts.push(scene.synopsis.trim());
  for (const s of shots) {
    if (s.action.trim()) parts.push(s.action.trim());
    for (const line of s.dialogue) parts.push(`${line.character.toUpperCase()}${line.parenthetical ? ` (${line.parenthetical.replace(/^\(|\)$/g, '')})` : ''}\n${line.text}`);
  }
  return parts.join('\n\n');
}

/** The reply text without a Markdown code fence around it. */
export function stripFence(text: string): string {
  const m = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/i.exec(text);
  return (m ? m[1] : text).trim();
}

/**
 * Reads a reply into shots, all or nothing.
 * @param finishReason the reply's `finish_reason` (`length`: cut off).
 * @throws AppError `assistant_invalid_reply` saying what was wrong (not JSON, cut off, which field of which shot).
 */
export function parseShotList(content: string, finishReason: string | null = null): ProposedShot[] {
  const text = stripFence(content);
  const hint = 'Ask again (the model may do better), or choose a model that follows JSON instructions. Nothing was applied.';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const cut = finishReason === 'length' ? ' (the reply was cut off: the model reached its length limit)' : '';
    throw new AppError('assistant_invalid_reply', `The assistant's reply is not JSON${cut}: ${(err as Error).message}. It began: ${JSON.stringify(text.slice(0, 120))}`, hint);
  }
  const parsed = ShotListReply.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 8).map((i) => `${i.path.length ? i.path.join('.') : '(reply)'}: ${i.message}`);
    throw new AppError('assistant_invalid_reply', `The assistant's reply does not fit the shot list: ${problems.join('; ')}${parsed.error.issues.length > 8 ? ` (and ${parsed.error.issues.length - 8} more)` : ''}.`, hint);
  }
  return parsed.data.shots.map((s) => {
    const { dialogue, lensMm, ...rest } = s;
    return { ...rest, ...(lensMm !== null && lensMm !== undefined ? { lensMm } : {}), ...(dialogue && dialogue.length ? { dialogue } : {}) };
  });
}

/** The characters who speak in a proposed shot, as the script writes names (upper case). */
export function speakers(shot: ProposedShot): string[] {
  return [...new Set((shot.dialogue ?? []).map((d) => d.character.trim().replace(/\s+/g, ' ').toUpperCase()))].filter((n) => n !== '');
}
