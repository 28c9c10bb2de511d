/**
 * The viewer above the timeline: the focused shot's picture large, framed at the project's aspect ratio, with
 * its number, scene, action and dialogue as a storyboard panel reads. Empty states guide a new project. An
 * enhanced take can be compared with its source there (enhance/CompareView.tsx: the Compare button, or C).
 */
import { memo, useMemo, useState } from 'react';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { formatDuration } from '../../lib/duration';
import { useUi } from '../../state/ui';
import { CompareSlot } from '../enhance/CompareView';
import { shotViewerUrl } from './media';

/** Props of Viewer. */
export interface ViewerProps {
  projectId: string;
  snapshot: ProjectSnapshot;
  onAddScene(): void;
}

function ViewerImpl({ projectId, snapshot, onAddScene }: ViewerProps) {
  const bridge = useBridge();
  const focusId = useUi((s) => s.selection.focusId);
  const count = useUi((s) => s.selection.ids.length);
  const setDialog = useUi((s) => s.setDialog);
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const takesById = useMemo(() => new Map<string, Take>(snapshot.takes.map((t) => [t.id, t])), [snapshot.takes]);
  const found = useMemo(() => {
    if (!focusId) return null;
    for (const scene of snapshot.scenes) {
      const i = scene.shots.findIndex((s) => s.id === focusId);
      if (i >= 0) return { scene, shot: scene.shots[i], indexInScene: i };
    }
    return null;
  }, [snapshot.scenes, focusId]);
  const { widthPx, heightPx, frameRate } = snapshot.settings;
  const totalShots = snapshot.scenes.reduce((n, s) => n + s.shots.length, 0);

  if (snapshot.scenes.length === 0) {
    return (
      <section className="viewer viewer-empty">
        <div className="empty-state">
          <h2>An empty storyboard</h2>
          <p>Import a screenplay to lay out its scenes and shots, or start with an empty scene.</p>
          <div className="empty-actions">
            <button className="button button-primary" onClick={() => setDialog('import-script')}>
              Import script…
            </button>
            <button className="button" onClick={onAddScene}>
              Add a scene
            </button>
          </div>
        </div>
      </section>
    );
  }

  if (!found) {
    return (
      <section className="viewer viewer-empty">
        <div className="empty-state">
          <h2>{totalShots === 0 ? 'No shots yet' : 'Select a shot'}</h2>
          <p>
            {totalShots === 0
              ? 'Add a shot with N or the Shot button, or import a script.'
              : 'Click a card on the timeline. ←/→ step through shots, Shift extends the selection, Alt+←/→ moves shots, [ and ] trim by half a second.'}
          </p>
        </div>
      </section>
    );
  }

  const { scene, shot } = found;
  const url = shotViewerUrl(bridge, projectId, shot, scene.number, takesById);
  return (
    <section className="viewer" aria-label={`Shot ${shot.number}`}>
      <div className="viewer-stage">
        <div className="viewer-frame" style={{ ['--aspect' as string]: String(widthPx / heightPx) }}>
          <CompareSlot projectId={projectId} shot={shot} takesById={takesById}>
            {failedUrl === url ? (
              <div className="viewer-missing">This picture could not be loaded.</div>
            ) : (
              <img src={url} alt={`Shot ${shot.number}`} draggable={false} onError={() => setFailedUrl(url)} />
            )}
          </CompareSlot>
        </div>
      </div>
      <aside className="viewer-caption">
        <div className="viewer-caption-head">
          <span className="viewer-shot">Shot {shot.number}</span>
          {shot.shotSize ? <span className="chip chip-strong">{shot.shotSize}</span> : null}
          <span className="viewer-duration tabular">{formatDuration(shot.durationFrames, frameRate)}</span>
        </div>
        <div className="viewer-scene" title={scene.heading}>
          Scene {scene.number} · {scene.heading}
        </div>
        {count > 1 ? <div className="viewer-multi">{count} shots selected</div> : null}
        {shot.action ? <p className="viewer-action">{reflow(shot.action)}</p> : <p className="viewer-action muted">No action written.</p>}
        {shot.dialogue.length > 0 ? (
          <div className="viewer-dialogue">
            {shot.dialogue.map((line, i) => (
              <div key={i} className="dialogue-block">
                <div className="dialogue-character">{line.character}</div>
                {line.parenthetical ? <div className="dialogue-parenthetical">{line.parenthetical}</div> : null}
                <div className="dialogue-text">{line.text}</div>
              </div>
            ))}
          </div>
        ) : null}
      </aside>
    </section>
  );
}

/** The focused shot, large (memoized). */
export const Viewer = memo(ViewerImpl);

/** Joins a screenplay's hard-wrapped lines into running text for the caption; blank lines stay paragraph breaks. */
function reflow(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((para) => para.replace(/\s*\n\s*/g, ' ').trim())
    .join('\n\n');
}
