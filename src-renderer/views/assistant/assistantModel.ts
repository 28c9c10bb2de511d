/**
 * The pure logic of the shot assistant panel (AssistantPanel.tsx): the settings form as `assistant.configure`
 * arguments, the proposed shots as editable rows the artist accepts or rejects one by one, and the accepted rows
 * checked against the contract's ProposedShot schema (src-preload/model.ts) before `assistant.applyShots`, so an
 * invalid row is named and nothing is half-applied.
 *
 * Pure: no DOM, no React.
 */
import type { MethodArgs } from '../../../src-preload/contract';
import { ProposedShot, type AssistantSettings, type CameraAngle, type CameraMove, type ShotProposal, type ShotSize } from '../../../src-preload/model';

/** Whether the assistant must be set up before it can propose: it is off, or has no model. */
export function needsSetup(settings: AssistantSettings): boolean {
  return !settings.enabled || settings.model.trim() === '';
}

/** The settings form as typed. `apiKey` '' keeps the stored key; `removeKey` forgets it. */
export interface SettingsDraft {
  baseUrl: string;
  model: string;
  apiKey: string;
  removeKey: boolean;
}

/** The form filled from the current settings (never with the key: the core does not hand it out). */
export function settingsDraft(settings: AssistantSettings): SettingsDraft {
  return { baseUrl: settings.baseUrl, model: settings.model, apiKey: '', removeKey: false };
}

/**
 * The `assistant.configure` arguments of a draft (turned on), or what to fix: an address that is not http(s), no
 * model. The key is sent only when typed (or null to remove it).
 */
export function configureArgs(draft: SettingsDraft): { ok: true; args: MethodArgs<'assistant.configure'> } | { ok: false; field: 'baseUrl' | 'model'; error: string } {
  const baseUrl = draft.baseUrl.trim().replace(/\/+$/, '');
  let url: URL | null = null;
  try {
    url = new URL(baseUrl);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return { ok: false, field: 'baseUrl', error: 'Give the server\'s address with http:// or https://, e.g. http://127.0.0.1:11434/v1 (Ollama).' };
  }
  const model = draft.model.trim();
  if (!model) return { ok: false, field: 'model', error: 'Give the model name the server knows, e.g. llama3.1:8b.' };
  if (model.length > 200) return { ok: false, field: 'model', error: 'A model name is at most 200 characters.' };
  const key = draft.apiKey.trim();
  return {
    ok: true,
    args: { baseUrl, model, enabled: true, ...(draft.removeKey ? { apiKey: null } : key ? { apiKey: key } : {}) },
  };
}

/** One proposed shot as the artist edits it. */
export interface ProposalRow {
  /** Stable React key. */
  key: string;
  accepted: boolean;
  shotSize: ShotSize;
  cameraAngle: CameraAngle;
  cameraMove: CameraMove;
  /** The focal length in millimetres as typed ('' for none). */
  lens: string;
  description: string;
  /** Lines spoken in the shot, kept as proposed. */
  dialogue: Array<{ character: string; text: string }>;
}

/** The rows of a proposal, every one accepted to begin with. */
export function rowsFromProposal(proposal: Pick<ShotProposal, 'shots'>): ProposalRow[] {
  return proposal.shots.map((s, i) => ({
    key: `row-${i}`,
    accepted: true,
    shotSize: s.shotSize,
    cameraAngle: s.cameraAngle,
    cameraMove: s.cameraMove,
    lens: s.lensMm == null ? '' : String(s.lensMm),
    description: s.description,
    dialogue: s.dialogue ?? [],
  }));
}

/** A row as a ProposedShot, or why it is not one (in words, naming the field). */
export function rowToShot(row: ProposalRow): { ok: true; shot: ProposedShot } | { ok: false; error: string } {
  const lensText = row.lens.trim().replace(/\s*mm$/i, '');
  const lensMm = lensText === '' ? null : Number(lensText.replace(',', '.'));
  if (lensMm !== null && (!Number.isFinite(lensMm) || lensMm <= 0 || lensMm > 2000)) {
    return { ok: false, error: `The lens is a focal length in millimetres (1 to 2000), not "${row.lens}".` };
  }
  const parsed = ProposedShot.safeParse({
    shotSize: row.shotSize,
    cameraAngle: row.cameraAngle,
    cameraMove: row.cameraMove,
    lensMm,
    description: row.description,
    ...(row.dialogue.length ? { dialogue: row.dialogue } : {}),
  });
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'shot'}: ${i.message}`).join('; ') };
  return { ok: true, shot: parsed.data };
}

/**
 * The accepted rows as shots for `assistant.applyShots`, in order; `problems` names each accepted row that is not
 * valid (1-based, as the panel numbers them). Apply only when `problems` is empty and `shots` is not.
 */
export function acceptedShots(rows: readonly ProposalRow[]): { shots: ProposedShot[]; problems: Array<{ row: number; error: string }> } {
  const shots: ProposedShot[] = [];
  const problems: Array<{ row: number; error: string }> = [];
  rows.forEach((row, i) => {
    if (!row.accepted) return;
    const r = rowToShot(row);
    if (r.ok) shots.push(r.shot);
    else problems.push({ row: i + 1, error: r.error });
  });
  return { shots, problems };
}
