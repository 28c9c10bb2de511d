/**
 * The star and reject marks on a small take picture (the inspector's take list): a gold star for a starred take,
 * a red mark for a rejected one (whose picture the list dims). Nothing for a plain take.
 */
import { RejectIcon, StarIcon } from './icons';
import './takes.css';

/** The marks of one take, top left of its picture. */
export function TakeTriageMarks(p: { starred: boolean; rejected: boolean }) {
  if (!p.starred && !p.rejected) return null;
  return (
    <span className="take-marks" aria-hidden="true">
      {p.starred ? (
        <span className="take-mark is-starred">
          <StarIcon filled size={10} />
        </span>
      ) : null}
      {p.rejected ? (
        <span className="take-mark is-rejected">
          <RejectIcon size={10} />
        </span>
      ) : null}
    </span>
  );
}
