/**
 * Reading browser File objects for upload through the contract (web mode has no paths).
 */

/** The file's bytes as base64 (no `data:` prefix). Reads through FileReader so large files do not build a giant string twice. */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new Error(`Could not read ${(file as File).name ?? 'the file'}: ${reader.error?.message ?? 'unknown error'}`));
    reader.onload = () => {
      const url = String(reader.result);
      const comma = url.indexOf(',');
      resolve(comma >= 0 ? url.slice(comma + 1) : url);
    };
    reader.readAsDataURL(file);
  });
}

/** True when a drag carries files from the operating system (not a drag inside the page). */
export function dragHasFiles(dt: DataTransfer | null): boolean {
  return !!dt && Array.from(dt.types).includes('Files');
}
