-- StoryCanvas library schema, version 1: characters and style templates shared by every project.
-- Lives in <configDir>/library.db. Every table is STRICT. Names are unique without case: `name_key` holds the
-- NFC-normalised, upper-cased name (see characterKey in ../names.ts), so `Cyber Bob` and `CYBER BOB` are one.
-- Lists are JSON text, validated with the zod schemas of src-preload/model.ts on every read.

CREATE TABLE character (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  -- [{path: "refs/<sha256>.<ext>", contentHash, originalName, widthPx, heightPx, weight}]
  reference_images TEXT NOT NULL DEFAULT '[]',
  -- {name, strength} or NULL
  lora TEXT,
  trigger_words TEXT NOT NULL DEFAULT '[]',
  reference_weight REAL NOT NULL DEFAULT 0.6 CHECK (reference_weight >= 0 AND reference_weight <= 1),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE template (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  style_prompt TEXT NOT NULL DEFAULT '',
  negative_prompt TEXT NOT NULL DEFAULT '',
  workflow_id TEXT,
  preset_id TEXT,
  -- {steps?, cfg?, samplerName?, scheduler?}
  sampler TEXT NOT NULL DEFAULT '{}',
  -- [{name, strengthModel?, strengthClip?}]
  loras TEXT NOT NULL DEFAULT '[]',
  -- takes generated with it, in every project
  use_count INTEGER NOT NULL DEFAULT 0 CHECK (use_count >= 0),
  -- its latest takes, newest first: [{projectPath, takePath, createdAt}]
  thumbnails TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
