-- StoryCanvas project schema, version 6: take triage (star, reject, tags) and the project's trash.
-- Every column here is an artist edit, written through the undo journal (ProjectStore.edit), so starring,
-- rejecting, tagging and moving a take to the trash are undoable. A trashed take keeps its row and its file:
-- `trashed_at` (ISO 8601) says when it went to the trash; restoring clears it. Only "Empty the trash" (asked for
-- with confirm: true) deletes rows and files for real (src-main/core/takes/triage.ts).

ALTER TABLE take ADD COLUMN starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1));
ALTER TABLE take ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0 CHECK (rejected IN (0, 1));
-- Free tags for the library's search: a JSON array of strings (trimmed, unique, at most 32).
ALTER TABLE take ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE take ADD COLUMN trashed_at TEXT;
CREATE INDEX take_trashed ON take (trashed_at);
