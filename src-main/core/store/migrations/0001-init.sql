-- StoryCanvas project schema, version 1.
-- Every table is STRICT. Order within a parent is a fractional index key (npm fractional-indexing),
-- so moving a scene or a shot writes one row. Paths are relative to the project folder, with '/'.

CREATE TABLE project (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  fps_num INTEGER NOT NULL CHECK (fps_num > 0),
  fps_den INTEGER NOT NULL CHECK (fps_den > 0),
  width_px INTEGER NOT NULL CHECK (width_px >= 16),
  height_px INTEGER NOT NULL CHECK (height_px >= 16),
  default_shot_duration_frames INTEGER NOT NULL CHECK (default_shot_duration_frames > 0),
  title_page TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE scene (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL,
  heading TEXT NOT NULL,
  int_ext TEXT CHECK (int_ext IN ('INT', 'EXT', 'INT/EXT')),
  location TEXT NOT NULL DEFAULT '',
  time_of_day TEXT NOT NULL DEFAULT '',
  synopsis TEXT NOT NULL DEFAULT '',
  order_key TEXT NOT NULL,
  script_key TEXT UNIQUE
) STRICT;
CREATE INDEX scene_order ON scene (order_key);

CREATE TABLE shot (
  id TEXT PRIMARY KEY,
  scene_id TEXT NOT NULL REFERENCES scene (id),
  order_key TEXT NOT NULL,
  number TEXT NOT NULL,
  shot_size TEXT,
  camera_angle TEXT,
  camera_move TEXT,
  lens_mm REAL,
  action TEXT NOT NULL DEFAULT '',
  dialogue TEXT NOT NULL DEFAULT '[]',
  notes TEXT NOT NULL DEFAULT '',
  duration_frames INTEGER NOT NULL CHECK (duration_frames > 0),
  selected_take_id TEXT REFERENCES take (id) DEFERRABLE INITIALLY DEFERRED,
  characters TEXT NOT NULL DEFAULT '[]',
  script_key TEXT UNIQUE
) STRICT;
CREATE INDEX shot_order ON shot (scene_id, order_key);

CREATE TABLE take (
  id TEXT PRIMARY KEY,
  shot_id TEXT NOT NULL REFERENCES shot (id) DEFERRABLE INITIALLY DEFERRED,
  path TEXT NOT NULL,
  thumb_path TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('image', 'video')),
  source TEXT NOT NULL CHECK (source IN ('imported', 'placeholder', 'generated')),
  width_px INTEGER NOT NULL CHECK (width_px > 0),
  height_px INTEGER NOT NULL CHECK (height_px > 0),
  duration_frames INTEGER CHECK (duration_frames > 0),
  content_hash TEXT NOT NULL,
  original_name TEXT,
  meta TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX take_shot ON take (shot_id);

CREATE TABLE character (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  from_script INTEGER NOT NULL DEFAULT 0 CHECK (from_script IN (0, 1))
) STRICT;
