/**
 * Binds `registerIpc` (./index.ts) to Electron's real `ipcMain`. Only the Electron main bundle imports this
 * file; tests import ./index.ts with a fake ipcMain.
 */
// @ts-ignore -- electron is an optional dependency (its binary download fails offline); where it is absent its types are too.
import { ipcMain } from 'electron';
import { registerIpc, type IpcMainLike, type RegisterIpcOptions } from './index';

/**
 * Registers the contract on Electron's ipcMain (see `registerIpc`).
 * @returns the function that unregisters it.
 */
export function registerElectronIpc(opts: Omit<RegisterIpcOptions, 'ipcMain'>): () => void {
  return registerIpc({ ...opts, ipcMain: ipcMain as IpcMainLike });
}
