-- StoryCanvas project schema, version 4: consistency (style templates, prompts, seeds, character overrides).
-- Templates and characters live in the app's library (<configDir>/library.db); a project refers to templates by
-- library id and to characters by name (compared without case), so one library serves every project.
-- Every column here is an artist edit: written through the undo journal (ProjectStore.edit).

-- The style template of shots that name none (a library template id), or NULL.
ALTER TABLE project ADD COLUMN default_template_id TEXT;

-- A shot's own template (overrides the project's default), its pinned prompt (replaces the composed one), the
-- artist's additions to the composed prompt, and its seed. While seed_locked = 1 every take of the shot uses seed.
ALTER TABLE shot ADD COLUMN template_id TEXT;
ALTER TABLE shot ADD COLUMN pinned_prompt TEXT;
ALTER TABLE shot ADD COLUMN prompt_additions TEXT NOT NULL DEFAULT '';
ALTER TABLE shot ADD COLUMN seed INTEGER CHECK (seed IS NULL OR (seed >= 0 AND seed <= 281474976710655));
ALTER TABLE shot ADD COLUMN seed_locked INTEGER NOT NULL DEFAULT 0 CHECK (seed_locked IN (0, 1));

-- A scene's seed: while seed_locked = 1, its shots without a locked seed of their own derive theirs from it.
ALTER TABLE scene ADD COLUMN seed INTEGER CHECK (seed IS NULL OR (seed >= 0 AND seed <= 281474976710655));
ALTER TABLE scene ADD COLUMN seed_locked INTEGER NOT NULL DEFAULT 0 CHECK (seed_locked IN (0, 1));

-- The character override: this project's version of a library character (matched by name without case), as a JSON
-- patch {description?, lora?, triggerWords?, referenceWeight?}, or NULL. It is a column of the project's character
-- row (one row per name) rather than a table of its own, so it is undoable through the same journal as every
-- other project edit; a library character that the script does not name gets a row (from_script = 0) when the
-- project overrides it or a shot is given it by hand.
ALTER TABLE character ADD COLUMN override TEXT;
