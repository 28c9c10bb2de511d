-- StoryCanvas project schema, version 3: the music bed and the export preferences.
-- The music is a property of the project (one bed under the whole timeline), so it lives on the project row and its
-- edits (set, move, clear) go through the undo journal like any other project edit. The file itself is
-- content-addressed under media/music/<sha256>.<ext> and stays there when the music is cleared (undo brings it back).
-- Its length is kept in seconds, not frames, so a change of the project's frame rate keeps it exact.
-- export_last_choice is a preference, not an artist edit: written directly (never through the undo journal).

ALTER TABLE project ADD COLUMN music_path TEXT;
ALTER TABLE project ADD COLUMN music_original_name TEXT;
ALTER TABLE project ADD COLUMN music_offset_frames INTEGER NOT NULL DEFAULT 0 CHECK (music_offset_frames >= 0);
ALTER TABLE project ADD COLUMN music_duration_seconds REAL CHECK (music_duration_seconds IS NULL OR music_duration_seconds > 0);
ALTER TABLE project ADD COLUMN music_sample_rate_hz INTEGER;
ALTER TABLE project ADD COLUMN music_channels INTEGER;
-- The arguments of the last successful export (JSON, see ExportChoice in src-preload/contract.ts), or NULL.
ALTER TABLE project ADD COLUMN export_last_choice TEXT;
