-- StoryCanvas library schema, version 2: the generation pool, an index of the takes of every project the app knows
-- (recent and open projects), so takes can be browsed and searched across projects and sent to a shot of any
-- project. The project files stay the truth: this index is rebuilt from them (library.reindex) and refreshed when
-- takes are written. One row per (project folder, take id). Lists are JSON text; `characters_key` and `tags_key`
-- hold the same lists as `|KEY|KEY|` (names compared without case, see ../names.ts) for exact filters.

CREATE TABLE take_index (
  id INTEGER PRIMARY KEY,
  project_path TEXT NOT NULL,
  project_name TEXT NOT NULL,
  take_id TEXT NOT NULL,
  shot_id TEXT NOT NULL,
  shot_number TEXT,
  -- The take's file and thumbnail, relative to the project folder (`media/takes/<sha256>.png`).
  path TEXT NOT NULL,
  thumb_path TEXT,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  width_px INTEGER NOT NULL,
  height_px INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  prompt TEXT NOT NULL DEFAULT '',
  characters TEXT NOT NULL DEFAULT '[]',
  characters_key TEXT NOT NULL DEFAULT '|',
  template_id TEXT,
  template_name TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '[]',
  tags_key TEXT NOT NULL DEFAULT '|',
  starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
  rejected INTEGER NOT NULL DEFAULT 0 CHECK (rejected IN (0, 1)),
  created_at TEXT NOT NULL,
  indexed_at TEXT NOT NULL,
  UNIQUE (project_path, take_id)
) STRICT;
CREATE INDEX take_index_created ON take_index (created_at DESC, id DESC);
CREATE INDEX take_index_template ON take_index (template_id);

-- Full-text search over prompt, tags, characters and template name (SQLite FTS5, external content: the text lives
-- once, in take_index; the triggers keep the index in step).
CREATE VIRTUAL TABLE take_fts USING fts5(prompt, tags, characters, template_name, content='take_index', content_rowid='id', tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER take_index_ai AFTER INSERT ON take_index BEGIN
  INSERT INTO take_fts (rowid, prompt, tags, characters, template_name) VALUES (new.id, new.prompt, new.tags, new.characters, new.template_name);
END;
CREATE TRIGGER take_index_ad AFTER DELETE ON take_index BEGIN
  INSERT INTO take_fts (take_fts, rowid, prompt, tags, characters, template_name) VALUES ('delete', old.id, old.prompt, old.tags, old.characters, old.template_name);
END;
CREATE TRIGGER take_index_au AFTER UPDATE ON take_index BEGIN
  INSERT INTO take_fts (take_fts, rowid, prompt, tags, characters, template_name) VALUES ('delete', old.id, old.prompt, old.tags, old.characters, old.template_name);
  INSERT INTO take_fts (rowid, prompt, tags, characters, template_name) VALUES (new.id, new.prompt, new.tags, new.characters, new.template_name);
END;
