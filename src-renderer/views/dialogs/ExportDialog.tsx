/**
 * Export for an editor: FCPXML (version 1.9 to 1.13, default 1.10), written with a media/ folder of every
 * picture it references. Shows the files written.
 */
import { useState } from 'react';
import type { ExportResult } from '../../../src-preload/contract';
import type { ProjectSnapshot } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatTimecode } from '../../lib/duration';

const FCPXML_VERSIONS = ['1.9', '1.10', '1.11', '1.12', '1.13'] as const;
type FcpxmlVersion = (typeof FCPXML_VERSIONS)[number];

/** What `export.run` writes when no path is given: `<project>/exports/<name>.fcpxml`. */
export function defaultExportPath(snapshot: ProjectSnapshot): string {
  const sep = snapshot.path.includes('\\') && !snapshot.path.includes('/') ? '\\' : '/';
  return `${snapshot.path.replace(/[\\/]+$/, '')}${sep}exports${sep}${snapshot.settings.name}.fcpxml`;
}

/** The Export dialog (`export.run`, FCPXML). */
export function ExportDialog(props: { snapshot: ProjectSnapshot; open: boolean; onOpenChange(open: boolean): void }) {
  const bridge = useBridge();
  const [version, setVersion] = useState<FcpxmlVersion>('1.10');
  const [outPath, setOutPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const rate = props.snapshot.settings.frameRate;
  const shotCount = props.snapshot.scenes.reduce((n, s) => n + s.shots.length, 0);

  async function run() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(
        await bridge.call('export.run', {
          projectId: props.snapshot.projectId,
          format: 'fcpxml',
          fcpxmlVersion: version,
          ...(outPath.trim() ? { outPath: outPath.trim() } : {}),
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const close = (open: boolean) => {
    props.onOpenChange(open);
    if (!open) {
      setResult(null);
      setError(null);
    }
  };

  return (
    <Dialog
      open={props.open}
      onOpenChange={close}
      title="Export"
      widthPx={560}
      description={`The timeline (${shotCount} shots) as a file an editor opens, with a media folder beside it holding every picture it uses.`}
      footer={
        <>
          <button type="button" className="button" onClick={() => close(false)}>
            {result ? 'Done' : 'Cancel'}
          </button>
          <button type="button" className="button button-primary" onClick={() => void run()} disabled={busy || shotCount === 0}>
            {busy ? 'Exporting…' : result ? 'Export again' : 'Export'}
          </button>
        </>
      }
    >
      <div className="form">
        <div className="field-row">
          <label className="field">
            <span className="field-label">Format</span>
            <select className="input" value="fcpxml" disabled aria-label="Format">
              <option value="fcpxml">Final Cut Pro XML (FCPXML)</option>
            </select>
          </label>
          <label className="field field-narrow">
            <span className="field-label">Version</span>
            <select className="input" value={version} onChange={(e) => setVersion(e.target.value as FcpxmlVersion)}>
              {FCPXML_VERSIONS.map((v) => (
                <option key={v} value={v}>
                  {v}
                  {v === '1.10' ? ' (FCP 10.6)' : ''}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="field">
          <span className="field-label">Save as</span>
          <input
            className="input mono"
            value={outPath}
            onChange={(e) => setOutPath(e.target.value)}
            placeholder={defaultExportPath(props.snapshot)}
            spellCheck={false}
          />
          <span className="field-help">Leave empty for the default shown. The folder is created if needed.</span>
        </label>
        {shotCount === 0 ? <p className="field-help field-warning">The timeline has no shots to export yet.</p> : null}
        <ErrorNotice error={error} title="Export failed" />
        {result ? (
          <div className="result" role="status">
            <div className="result-title">
              Exported {result.shotCount} shots · {formatTimecode(result.durationFrames, rate)} ({result.durationFrames} frames)
            </div>
            <ul className="file-list">
              {result.files.slice(0, 8).map((f, i) => (
                <li key={f} className={i === 0 ? 'mono file-main' : 'mono'} title={f}>
                  {i === 0 ? <span className="file-badge">timeline</span> : null}
                  {f}
                </li>
              ))}
              {result.files.length > 8 ? <li className="muted">and {result.files.length - 8} more media files</li> : null}
            </ul>
          </div>
        ) : null}
      </div>
    </Dialog>
  );
}
