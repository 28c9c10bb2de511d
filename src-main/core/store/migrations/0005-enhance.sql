-- StoryCanvas project schema, version 5: local enhancement jobs (upscaling, frame interpolation) in the queue.
-- Jobs of kind 'enhance' run on this machine (src-main/core/queue/LocalEnhanceExecutor.ts); their results are takes
-- of the same shot with source 'generated' and meta.enhancedFrom (the source take, which is kept).
-- Queue bookkeeping: written directly, never through the undo journal (like the rest of the job row).

-- The execution provider that ran the job ('cpu', 'cuda', ...; 'cache' when an identical earlier result was reused
-- instead of computing it again), NULL until the job succeeded (and for ComfyUI jobs).
ALTER TABLE job ADD COLUMN provider TEXT;
-- The take the job resulted in when it did not insert one itself (a cache hit points at the existing take), or the
-- take it inserted; NULL for ComfyUI jobs (their takes are found by take.job_id).
ALTER TABLE job ADD COLUMN result_take_id TEXT;

-- Enhanced takes by cache key (SHA-256 of input, model and parameters, see core/enhance/cacheKey.ts), so a request
-- already computed in this project is found without a scan.
CREATE INDEX take_enhance_cache ON take (json_extract(meta, '$.cacheKey')) WHERE json_extract(meta, '$.cacheKey') IS NOT NULL;
