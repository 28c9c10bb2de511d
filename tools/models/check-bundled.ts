/**
 * Checks the bundled models the way the app sees them: lists `resources/models` through the registry
 * (src-main/core/enhance/registry.ts: sidecar schema, SHA-256, graph inputs and outputs) and runs every bundled
 * upscale model once through EnhanceRuntime (worker thread, CPU) on a 128x128 picture.
 *
 * Usage: npx tsx tools/models/check-bundled.ts [PICTURE.png]
 *   PICTURE: the picture to upscale (its top-left 128x128 is used); default a 128x128 test card rendered from SVG.
 * Prints one line per model (id, task, scale, size, licence, then the run's output size, provider and time) and a
 * JSON summary on the last line. Exits 1 when a bundled model is refused or a run fails.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { EnhanceRuntime } from '../../src-main/core/enhance/EnhanceRuntime.ts';
import { listModels } from '../../src-main/core/enhance/registry.ts';

const BUNDLED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/models');
const SIDE_PX = 128;

/** A 128x128 test card: gradients, hard edges, thin lines and text (what upscalers get wrong first). */
function testCardSvg(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIDE_PX}" height="${SIDE_PX}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1d3557"/><stop offset="1" stop-color="#f1faee"/></linearGradient></defs>
  <rect width="128" height="128" fill="url(#g)"/>
  <circle cx="40" cy="44" r="26" fill="#e63946"/>
  <rect x="70" y="20" width="44" height="30" fill="#2a9d8f" transform="rotate(12 92 35)"/>
  ${Array.from({ length: 10 }, (_, i) => `<line x1="${8 + i * 4}" y1="80" x2="${8 + i * 4}" y2="120" stroke="#111" stroke-width="1"/>`).join('')}
  <text x="56" y="100" font-family="sans-serif" font-size="16" fill="#111">12A</text>
</svg>`;
}

async function main(): Promise<number> {
  const picture = process.argv[2];
  const work = await mkdtemp(path.join(tmpdir(), 'sc-check-bundled-'));
  try {
    const inputPath = path.join(work, 'shot12A-take1.png');
    const source = picture ? sharp(picture).extract({ left: 0, top: 0, width: SIDE_PX, height: SIDE_PX }) : sharp(Buffer.from(testCardSvg()));
    await source.removeAlpha().png().toFile(inputPath);

    const list = await listModels({ bundledDir: BUNDLED_DIR });
    for (const refused of list.refused) console.log(`REFUSED ${refused.path}: ${refused.reason}`);
    for (const m of list.models) {
      console.log(`${m.id}: ${m.task} x${m.scale}, ${(m.sizeBytes / 1e6).toFixed(2)} MB, ${m.licence.spdx}, inputs ${m.inputName} -> ${m.outputName}, tileMultiple ${m.tileMultiple}`);
    }
    const runtime = new EnhanceRuntime({ roots: { bundledDir: BUNDLED_DIR }, useGpu: false });
    const runs: Array<{ modelId: string; widthPx: number; heightPx: number; provider: string; ms: number; tilesTotal: number }> = [];
    let failed = list.refused.length > 0;
    try {
      for (const m of list.models.filter((e) => e.task === 'upscale')) {
        const outputPath = path.join(work, `shot12A-take1@${m.id}.png`);
        try {
          const r = await runtime.enhance({ inputPath, outputPath, modelId: m.id });
          const meta = await sharp(r.outputPath).metadata();
          const ok = meta.width === SIDE_PX * m.scale && meta.height === SIDE_PX * m.scale;
          failed ||= !ok;
          console.log(`  ran ${m.id}: ${meta.width}x${meta.height} ${ok ? 'ok' : `WRONG SIZE (expected ${SIDE_PX * m.scale})`}, ${r.provider}, ${r.ms} ms, ${r.tilesTotal} tile(s)`);
          runs.push({ modelId: m.id, widthPx: r.widthPx, heightPx: r.heightPx, provider: r.provider, ms: r.ms, tilesTotal: r.tilesTotal });
        } catch (err) {
          failed = true;
          console.log(`  FAILED ${m.id}: ${(err as Error).message}`);
        }
      }
    } finally {
      await runtime.close();
    }
    console.log(JSON.stringify({ models: list.models.map((m) => m.id), refused: list.refused.length, runs }));
    return failed ? 1 : 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
