/**
 * App commands as window events, so a menu (Electron `ui.command`), a button far from the timeline and the
 * keyboard all run the same code in TimelineScreen.
 */
import type { UiCommand } from '../bridge';

/** The window event name; its `detail` is the command. */
export const COMMAND_EVENT = 'storycanvas:command';

/** Runs an app command (the open timeline handles it; with none open it does nothing). */
export function dispatchCommand(command: UiCommand): void {
  window.dispatchEvent(new CustomEvent<UiCommand>(COMMAND_EVENT, { detail: command }));
}
