/**
 * Character and style template consistency end to end, in web mode in Chromium at 1440x900, the way an artist works:
 * create BOB in the Character view (description, LoRA, trigger words; a nameless character is refused inline),
 * create a style template in the Template view and use it for the project (export it as JSON and import it back as
 * a copy), select shot 1D where BOB speaks and read the composed prompt in the inspector (trigger words,
 * description, template style), type additions (composed live), pin and unpin a hand-written prompt, override BOB
 * for this project only and reset it, then add a ComfyUI test double (FakeComfyServer, whose models include the
 * LoRAs and the checkpoint) in the Servers view, generate one take of 1D through the Generate dialog, and check the
 * graph the double received: the positive CLIPTextEncode carries the trigger words, the description, the additions
 * and the style, the negative one the template's negative prompt, and a LoraLoader loads BOB's LoRA. Last, deleting
 * BOB asks first, listing the shots it is taken off (the script's BOB stays, out of the library).
 *
 * Screenshots land in e2e/.artifacts/ (gitignored) for a person to look at.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeComfyServer } from '../src-main/core/comfy/fake/FakeComfyServer.ts';
import { type Cleanup, launchChromium, newScreenplayProject, openWebPage, screenshotter, shotCard as card, startWebMode, tempDir } from './support';

/** One take on the double: 20 steps x 0.02 s, plus dispatch and writing, with room for a busy machine. */
const JOB_TIMEOUT_MS = 30_000;

const BOB = {
  name: 'BOB',
  description: 'a goofy man of 40 in a grey suit, round glasses',
  lora: 'bob_v2.safetensors',
  triggerWords: ['ohwx man', 'cyberbob'],
};
const TEMPLATE = {
  name: 'Charcoal storyboard',
  stylePrompt: 'charcoal storyboard sketch, loose lines, high contrast',
  negativePrompt: 'colour, photo, watermark',
  lora: 'charcoal_style.safetensors',
};
const CHECKPOINT = 'v1-5-pruned-emaonly.safetensors';

/** A node of a ComfyUI API-format graph. */
interface GraphNode {
  class_type: string;
  inputs: Record<string, unknown>;
}

const shot = screenshotter('consistency');

/** The generation graphs the double was sent (POST /prompt with a CLIPTextEncode: not the servers' probes). */
function generationGraphs(comfy: FakeComfyServer): Array<Record<string, GraphNode>> {
  return comfy.requests
    .filter((r) => r.method === 'POST' && r.route === '/prompt')
    .map((r) => (r.body as { prompt?: Record<string, GraphNode> }).prompt ?? {})
    .filter((g) => Object.values(g).some((n) => n.class_type === 'CLIPTextEncode'));
}

describe('consistency in web mode', () => {
  let browser: Browser;
  let comfy: FakeComfyServer;
  const cleanups: Cleanup[] = [];

  beforeAll(async () => {
    [browser, comfy] = await Promise.all([
      launchChromium(),
      FakeComfyServer.start({ speed: 0.02, previews: false, models: { checkpoints: [CHECKPOINT], loras: [BOB.lora, TEMPLATE.lora] } }),
    ]);
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await browser?.close();
    await comfy?.close();
  });

  it('creates a character and a template, shows them in the composed prompt, and sends them to ComfyUI', async () => {
    const startedMs = Date.now();
    const home = tempDir('sc-e2e-cons-home-');
    const projects = tempDir('sc-e2e-cons-projects-');
    cleanups.push(() => {
      home.remove();
      projects.remove();
    });
    const projectDir = newScreenplayProject(home.path, projects.path, 'Cyber Bob', ['--size', '768x432']);
    const web = await startWebMode({ project: projectDir, home: home.path });
    cleanups.push(() => web.stop());

    const { page, pageErrors } = await openWebPage(browser, web.url, cleanups, { acceptDownloads: true });
    await card(page, '1D').waitFor();
    const rail = page.getByRole('navigation', { name: 'Views' });

    // ---- Character view: a nameless character is refused inline; BOB is created with a LoRA and trigger words
    await rail.getByRole('button', { name: 'Characters', exact: true }).click();
    await page.getByRole('heading', { name: 'Characters', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Character BOB', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New character' }).click();
    const editor = page.getByRole('complementary', { name: 'Character editor' });
    await editor.getByRole('button', { name: 'Create character' }).click();
    await editor.getByRole('alert').filter({ hasText: 'A character needs a name.' }).waitFor();
    await editor.getByLabel('Name', { exact: true }).fill(BOB.name);
    await editor.getByLabel('Description').fill(BOB.description);
    await editor.getByLabel('LoRA file').fill(BOB.lora);
    await editor.getByLabel('Add a trigger word').fill(BOB.triggerWords.join(', '));
    await editor.getByLabel('Add a trigger word').press('Enter');
    await editor.getByRole('button', { name: 'Create character' }).click();
    await page.getByText(`Created ${BOB.name}`).waitFor();
    // the library entry is matched to the script's BOB: one card, from the script and in the library
    const bobCard = page.getByRole('button', { name: 'Character BOB', exact: true });
    await bobCard.locator('.badge', { hasText: 'Library' }).waitFor();
    await bobCard.getByText('ohwx man').waitFor();
    await expect.poll(() => editor.locator('.editor-panel-sub').textContent()).toMatch(/^in \d+ shots: 1A, 1C, 1D/);
    await shot(page, '01-character');

    // ---- Template view: create one, use it for the project, export it and import it back as a copy
    await rail.getByRole('button', { name: 'Templates', exact: true }).click();
    await page.getByRole('heading', { name: 'Style templates' }).waitFor();
    await page.getByRole('button', { name: 'New template' }).click();
    const tEditor = page.getByRole('complementary', { name: 'Template editor' });
    await tEditor.getByLabel('Template name').fill(TEMPLATE.name);
    await tEditor.getByLabel('Style prompt').fill(TEMPLATE.stylePrompt);
    await tEditor.getByLabel('Negative prompt').fill(TEMPLATE.negativePrompt);
    await tEditor.getByLabel('Preferred workflow').selectOption({ label: 'SD 1.5 text to image' });
    await tEditor.getByRole('button', { name: '+ Add LoRA' }).click();
    await tEditor.getByLabel('LoRA 1 file').fill(TEMPLATE.lora);
    await tEditor.getByLabel('LoRA 1 model strength').fill('0.6');
    await tEditor.getByRole('button', { name: 'Create template' }).click();
    await page.getByText(`Created ${TEMPLATE.name}`).waitFor();
    await tEditor.getByRole('button', { name: 'Use for this project' }).click();
    await tEditor.getByRole('button', { name: 'Project default' }).waitFor();
    await page.getByRole('button', { name: `Template ${TEMPLATE.name}` }).getByText('Project default').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), tEditor.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toBe('Charcoal storyboard.storycanvas-template.json');
    const exportedPath = join(projects.path, download.suggestedFilename());
    await download.saveAs(exportedPath);
    const exported = JSON.parse(readFileSync(exportedPath, 'utf8')) as Record<string, unknown>;
    expect(exported).toMatchObject({ storycanvas: 'template', version: 1, name: TEMPLATE.name, stylePrompt: TEMPLATE.stylePrompt, workflowId: 'sd15_txt2img' });
    await page.getByLabel('Template file to import').setInputFiles(exportedPath);
    const conflict = page.getByRole('dialog', { name: 'A template has this name' });
    await conflict.getByRole('button', { name: 'Import as a copy' }).click();
    await page.getByRole('button', { name: `Template ${TEMPLATE.name} (2)` }).waitFor();
    await shot(page, '02-templates');

    // ---- Inspector: shot 1D (BOB speaks) composes BOB's trigger words and description and the template's style
    await rail.getByRole('button', { name: 'Timeline', exact: true }).click();
    await card(page, '1D').click();
    const section = page.getByRole('region', { name: 'Prompt' });
    const composed = section.getByTestId('composed-prompt');
    await expect.poll(() => composed.textContent()).toContain(TEMPLATE.stylePrompt);
    const text = (await composed.textContent())!;
    expect(text).toContain(`${BOB.triggerWords.join(', ')}, `);
    expect(text).toContain(BOB.description);
    expect(await composed.locator('[data-source="character"]').first().textContent()).toContain('ohwx man');
    expect(await composed.locator('[data-source="template"]').textContent()).toBe(TEMPLATE.stylePrompt);
    await expect.poll(() => section.getByLabel('Style template of the shot').locator('option:checked').textContent()).toBe(`Project default: ${TEMPLATE.name}`);
    await section.locator('.chip-lora', { hasText: 'bob_v2 0.8' }).waitFor();
    await section.getByText(TEMPLATE.negativePrompt, { exact: true }).waitFor();
    await section.scrollIntoViewIfNeeded();
    await shot(page, '03-inspector-prompt');

    // additions are composed live while typed, and saved when the field is left
    const additions = section.getByLabel('Prompt additions');
    await additions.fill('rain on the windows');
    await expect.poll(() => composed.locator('[data-source="additions"]').textContent()).toBe('rain on the windows');
    await additions.press('Tab');
    await section.getByText('preview', { exact: true }).waitFor({ state: 'detached' });
    await expect.poll(() => composed.locator('[data-source="additions"]').textContent()).toBe('rain on the windows');

    // pin a hand-written prompt: the badge shows, the composition stays for reference; unpin
    await section.getByRole('button', { name: 'Pin a hand-written prompt' }).click();
    await section.getByLabel('Hand-written prompt').fill('BOB alone under a thundercloud, wide shot');
    await section.getByRole('button', { name: 'Pin this prompt' }).click();
    const pinned = section.getByLabel('Pinned prompt');
    await pinned.getByText('BOB alone under a thundercloud, wide shot').waitFor();
    await section.getByText('Composed prompt, for reference (not sent while pinned)').waitFor();
    await shot(page, '04-inspector-pinned');
    await pinned.getByRole('button', { name: 'Unpin' }).click();
    await pinned.waitFor({ state: 'detached' });

    // ---- an override for this project only: marked, composed, then reset to the library's version
    await rail.getByRole('button', { name: 'Characters', exact: true }).click();
    await bobCard.click();
    await editor.getByRole('radio', { name: 'This project only' }).click();
    await editor.getByLabel('Description').fill('an older BOB with a grey beard');
    await editor.getByRole('button', { name: 'Save for this project' }).click();
    const banner = editor.getByRole('status').filter({ hasText: 'This project overrides the description.' });
    await banner.waitFor();
    await bobCard.locator('.badge', { hasText: 'Override' }).waitFor();
    await rail.getByRole('button', { name: 'Timeline', exact: true }).click();
    await expect.poll(() => page.getByTestId('composed-prompt').textContent()).toContain('Bob: an older BOB with a grey beard');
    await rail.getByRole('button', { name: 'Characters', exact: true }).click();
    await banner.getByRole('button', { name: 'Reset to library' }).click();
    await banner.waitFor({ state: 'detached' });
    await expect.poll(() => editor.getByLabel('Description').inputValue()).toBe(BOB.description);
    await editor.getByRole('radio', { name: 'Library' }).click();

    // ---- Servers view: the double, with BOB's LoRA among its models
    await rail.getByRole('button', { name: 'Servers', exact: true }).click();
    await page.getByLabel('Server address').fill(comfy.url);
    await page.getByLabel('Server name').fill('gpu-1');
    await page.getByRole('button', { name: 'Add and check' }).click();
    await page.getByRole('article', { name: 'Server gpu-1' }).locator('.server-state', { hasText: 'Online' }).waitFor();

    // ---- Generate one take of 1D through the dialog
    await rail.getByRole('button', { name: 'Timeline', exact: true }).click();
    await card(page, '1D').click();
    await page.keyboard.press('g');
    const dialog = page.getByRole('dialog', { name: 'Generate takes' });
    await dialog.waitFor();
    await dialog.getByRole('radiogroup', { name: 'Takes per shot' }).getByRole('radio', { name: '1', exact: true }).click();
    await dialog.getByText('gpu-1 is ready to generate.').waitFor();
    await dialog.getByRole('button', { name: 'Queue 1 job' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => generationGraphs(comfy).length, { timeout: JOB_TIMEOUT_MS }).toBe(1);
    // the take lands on the shot: its card shows it instead of the placeholder card
    await expect.poll(() => card(page, '1D').locator('img').first().getAttribute('src'), { timeout: JOB_TIMEOUT_MS }).toMatch(/\/media\/(takes|thumbs)\//);
    await shot(page, '05-generated');

    // ---- the job parameters the double received
    const graph = generationGraphs(comfy)[0];
    const nodes = Object.values(graph);
    const sampler = nodes.find((n) => n.class_type === 'KSampler')!;
    const textOf = (link: unknown) => String(graph[(link as [string, number])[0]].inputs.text);
    const positive = textOf(sampler.inputs.positive);
    const negative = textOf(sampler.inputs.negative);
    expect(positive).toContain(BOB.triggerWords.join(', '));
    expect(positive).toContain(BOB.description);
    expect(positive).toContain(TEMPLATE.stylePrompt);
    expect(positive).toContain('rain on the windows');
    expect(positive.indexOf('ohwx man')).toBeLessThan(positive.indexOf(TEMPLATE.stylePrompt));
    expect(negative).toContain(TEMPLATE.negativePrompt);
    const loras = nodes.filter((n) => n.class_type === 'LoraLoader').map((n) => ({ name: n.inputs.lora_name, strength: n.inputs.strength_model }));
    expect(loras).toEqual(expect.arrayContaining([{ name: BOB.lora, strength: 0.8 }, { name: TEMPLATE.lora, strength: 0.6 }]));
    expect(nodes.find((n) => n.class_type === 'CheckpointLoaderSimple')?.inputs.ckpt_name).toBe(CHECKPOINT);

    // ---- deleting BOB asks first, listing the shots it is taken off
    await rail.getByRole('button', { name: 'Characters', exact: true }).click();
    await bobCard.click();
    await editor.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete BOB?' });
    await confirm.getByLabel('Shots with this character').getByText('1D', { exact: true }).waitFor();
    await shot(page, '06-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete anyway' }).click();
    await page.getByText(/^Deleted BOB and took it off \d+ shots$/).waitFor();
    // the script still names BOB: the card stays, out of the library and off every shot
    await bobCard.locator('.badge', { hasText: 'Library' }).waitFor({ state: 'detached' });
    await bobCard.getByText('in no shot').waitFor();

    expect(pageErrors).toEqual([]);
    expect(Date.now() - startedMs).toBeLessThan(60_000);
  });
});
