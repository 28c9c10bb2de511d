/**
 * Prompt composition (pure: compose.ts, vocabulary.ts), seed locking (seeds.ts) and the job prompt read from a
 * project and the library (jobPrompt.ts). The queue calls `composeJobPrompt` / `createJobPromptComposer`.
 */
export { composeShotPrompt, firstSentences, sceneWords, splitSentences, type ComposeCharacter, type ComposeInput, type ComposeTemplate, type ShotComposition } from './compose';
export { composeJobPrompt, createJobPromptComposer, familyFromPresetId, type JobPrompt, type JobPromptComposer, type JobPromptInput, type JobTemplate } from './jobPrompt';
export { lockedSeed, MAX_SEED, randomSeed, resolveSeed, SCENE_SHOT_STRIDE, seedFromShotId, wrapSeed, type ResolvedSeed, type SceneSeedLock, type ShotSeedLock } from './seeds';
export { CAMERA_ANGLE_WORDS, CAMERA_MOVE_IMAGE_WORDS, CAMERA_MOVE_VIDEO_WORDS, estimateTokens, lensWords, SHOT_SIZE_WORDS, tokenWindow } from './vocabulary';
export { consistencyMeta, JobConsistency, JobInitImage, JobReference, jobConsistencyOf, type ReferenceUse } from './provenance';
