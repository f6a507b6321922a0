// Training from the editor's Train tab in a real JupyterLab 4, driven through Chromium as a person would.
//
// Opens examples/teach_a_class.ipynb and runs its first cell (the spirals and the editor, Train tab
// shown); presses Train; waits until loss curve points are drawn on the page; runs a cell while it
// trains; presses Stop and checks in the kernel that the run stopped, and that the layer cards draw
// their weight-norm traces. Screenshots go to test-artifacts/.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, evalInKernel, launchBrowser, runFirstCodeCell, runInKernel, startServer } from './jupyter.mjs';

async function shoot(page, name) {
  const panel = page.locator('.nncards-train');
  if (await panel.count()) {
    await panel.first().scrollIntoViewIfNeeded();
  }
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
}

// Whether a curve of the Train tab's figures has at least `points` points (bqplot draws each curve as an SVG path).
function curveHasPoints(points) {
  const paths = [...document.querySelectorAll('.nncards-train .curve path.line')].map((path) => path.getAttribute('d') || '');
  return paths.some((d) => (d.match(/[ML]/g) || []).length >= points);
}

describe('Training in the Train tab', () => {
  let server;
  let browser;
  let page;

  before(async () => {
    server = await startServer('lab');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    await page.goto(server.url('lab/tree/teach_a_class.ipynb'));
    await runFirstCodeCell(page);
    await page.locator('.nncards-train-start').waitFor({ state: 'visible', timeout: 180_000 });
  });

  afterEach(async (context) => {
    if (!context.passed && page) {
      await shoot(page, `failed-train-${context.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('Train draws curve points, a cell runs while it trains, and Stop stops it', async () => {
    // Long enough to still be training when Stop is pressed; batches of 8 make many small steps.
    await runInKernel(page, 'editor.train_panel.epochs.value = 2000; editor.train_panel.batch_size.value = 8');
    await page.locator('.nncards-train-start').click();
    await page.waitForFunction(curveHasPoints, 3, { timeout: 120_000 });
    await shoot(page, 'train-01-curves-while-training');

    const started = Date.now();
    assert.equal(await evalInKernel(page, 'editor.training_run.state.status'), "'running'");
    const answer = Date.now() - started;
    assert.ok(answer < 30_000, `the cell answered while training (${answer} ms)`);
    await page.locator('.nncards-train-progress', { hasText: 'Running: epoch' }).waitFor({ timeout: 20_000 });

    await page.locator('.nncards-train-stop').click();
    await page.locator('.nncards-train-progress', { hasText: 'Stopped' }).waitFor({ timeout: 60_000 });
    assert.equal(await evalInKernel(page, 'editor.training_run.state.status'), "'stopped'");
    assert.equal(await evalInKernel(page, 'editor.graph.locked_by'), 'None');
    const epochs = Number(await evalInKernel(page, 'len(editor.training_run.history["loss"])'));
    assert.ok(epochs >= 2 && epochs < 2000, `stopped after ${epochs} epochs`);
    await page.locator('.nncards-train-start:not([disabled])').waitFor({ timeout: 20_000 });
    await shoot(page, 'train-02-stopped');

    // Each layer card carries its weight-norm trace: zoomed in, the card's face draws it.
    await page.waitForFunction(() => {
      const cy = document.querySelector('.nncards-canvas').cytoscape;
      return ['hidden', 'head'].every((key) => decodeURIComponent(cy.getElementById(`card:${key}`).data('image') || '').includes('<polyline'));
    }, null, { timeout: 20_000 });
    await page.evaluate(() => {
      const cy = document.querySelector('.nncards-canvas').cytoscape;
      cy.zoom(1.6);
      cy.center(cy.getElementById('card:hidden'));
    });
    await page.locator('.nncards-canvas').scrollIntoViewIfNeeded();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: join(artifacts, 'train-03-weight-norm-trace.png') });
  });
});
