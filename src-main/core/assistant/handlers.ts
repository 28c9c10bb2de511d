/**
 * The contract handlers of the shot assistant (`assistantMethods` in src-preload/contract.ts), merged into the core's
 * handler map by core/handlers.ts. Thin: they find the project and call AssistantService.
 */
import type { assistantMethods } from '../../../src-preload/contract';
import type { Core } from '../Core';
import type { Handlers } from '../dispatch';
import { AssistantService } from './AssistantService';
import { EnvSecretStore, type SecretStore } from './secrets';

/** The handlers of `assistantMethods`. */
export type AssistantHandlers = Pick<Handlers, keyof typeof assistantMethods>;

/**
 * The handler map of the assistant methods, closed over the core. The key lives in the core's secret store
 * (`core.secrets`: the OS keychain in Electron; `STORYCANVAS_ASSISTANT_KEY` in web mode and the CLI).
 */
export function createAssistantHandlers(core: Core & { readonly secrets?: SecretStore }): AssistantHandlers {
  let service: AssistantService | null = null;
  const assistant = () => (service ??= new AssistantService(core.configDir, core.secrets ?? new EnvSecretStore()));
  return {
    'assistant.get': () => assistant().settings(),
    'assistant.configure': (a) => assistant().configure(a),
    'assistant.test': () => assistant().test(),
    'assistant.proposeShots': (a) => assistant().proposeShots(core.project(a.projectId), a.sceneId),
    'assistant.applyShots': (a) => assistant().applyShots(core.project(a.projectId), a.sceneId, a.shots),
  };
}
