-- StoryCanvas project schema, version 2: the generation queue.
-- Jobs are queue bookkeeping, not artist edits: they are written directly (never through the undo journal).
-- `prompt_id` is chosen by StoryCanvas (a UUID) and stored BEFORE the workflow is posted to a server, so after a
-- crash the prompt can be found again on that server (/queue, /history) and is never run twice nor lost.
-- A generated take names its job and the output it came from; the UNIQUE index makes a second take of the same
-- output impossible, even if a result were processed twice.

CREATE TABLE job (
  id TEXT PRIMARY KEY,
  -- What runs it: 'comfy' (a ComfyUI server of the pool); 'enhance' and 'render' are reserved for local executors.
  kind TEXT NOT NULL DEFAULT 'comfy' CHECK (kind IN ('comfy', 'enhance', 'render')),
  -- No foreign key: a shot may be deleted (and undone) while its jobs wait; a job of a missing shot is cancelled.
  shot_id TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  -- Built-in workflow id, or the workflow file's name.
  workflow_id TEXT NOT NULL,
  -- SHA-256 of the workflow template's canonical JSON (before parameters were bound).
  workflow_hash TEXT NOT NULL,
  -- The bound API-format graph that is submitted, as JSON: a retry or a restart submits exactly this.
  graph TEXT NOT NULL,
  -- The bound parameters (prompt, seed, steps, size, checkpoint, LoRAs...), JSON.
  params TEXT NOT NULL DEFAULT '{}',
  -- What a server needs: {"nodeTypes": [...], "checkpoint": "...", "loras": [...]}, JSON.
  requires TEXT NOT NULL DEFAULT '{}',
  prompt TEXT NOT NULL DEFAULT '',
  seed INTEGER NOT NULL CHECK (seed >= 0),
  -- Expected GPU work in sampling-step units (steps x megapixels x batch), for the dispatcher's estimates.
  work_units REAL NOT NULL DEFAULT 1 CHECK (work_units > 0),
  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('critical', 'high', 'normal', 'low')),
  -- The artist's order within a priority (fractional index key: a reorder writes one row).
  order_key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'dispatched', 'running', 'succeeded', 'failed', 'cancelled')),
  server_id TEXT,
  prompt_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  error_code TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  dispatched_at TEXT,
  started_at TEXT,
  finished_at TEXT
) STRICT;
CREATE INDEX job_state ON job (state, priority, order_key);
CREATE INDEX job_shot ON job (shot_id);
CREATE INDEX job_prompt ON job (prompt_id);

ALTER TABLE take ADD COLUMN job_id TEXT;
ALTER TABLE take ADD COLUMN output_index INTEGER;
CREATE UNIQUE INDEX take_job_output ON take (job_id, output_index);
