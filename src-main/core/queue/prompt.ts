/**
 * The text prompt of a shot, until the consistency work composes prompts from characters and style templates:
 * the shot's action, then words for its size and camera angle. Kept in this one function so it can be replaced.
 */
import type { CameraAngle, Scene, Shot, ShotSize } from '../../../src-preload/model';

const SIZE_WORDS: Readonly<Record<ShotSize, string>> = {
  EWS: 'extreme wide shot',
  WS: 'wide shot',
  MWS: 'medium wide shot',
  MS: 'medium shot',
  MCU: 'medium close-up',
  CU: 'close-up',
  ECU: 'extreme close-up',
  INSERT: 'insert shot, detail',
};

const ANGLE_WORDS: Readonly<Record<CameraAngle, string>> = {
  'eye-level': 'eye-level angle',
  high: 'high angle',
  low: 'low angle',
  'birds-eye': "bird's-eye view",
  'worms-eye': "worm's-eye view",
  dutch: 'dutch angle',
  ots: 'over-the-shoulder shot',
  pov: 'point-of-view shot',
};

/**
 * `"<action>, <size words>, <angle words>, <scene location and time>, storyboard frame"`; empty parts are left
 * out. Line breaks in the action become spaces. The scene is optional (its location and time of day help).
 */
export function basicPromptForShot(shot: Pick<Shot, 'action' | 'shotSize' | 'cameraAngle' | 'dialogue'>, scene?: Pick<Scene, 'location' | 'timeOfDay'>): string {
  const action = shot.action.replace(/\s+/g, ' ').trim() || shot.dialogue.map((line) => `${line.character} speaking`).join(', ');
  const parts = [
    action,
    shot.shotSize ? SIZE_WORDS[shot.shotSize] : '',
    shot.cameraAngle ? ANGLE_WORDS[shot.cameraAngle] : '',
    scene ? [scene.location, scene.timeOfDay].filter((p) => p.trim() !== '').join(', ').toLowerCase() : '',
    'storyboard frame',
  ];
  return parts.filter((p) => p !== '').join(', ');
}
