// The wheel as a user installs it: JupyterLab from a virtual environment that holds the
// built wheel and nothing of this tree (NNCARDS_PYTHON points there). The seed editor of
// examples/quickstart.ipynb must draw its cards with no widget error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  artifacts, canvasData, evalInKernel, launchBrowser, runAllCells, startServer, waitForLabel, waitForLayout,
} from './jupyter.mjs';

test('the installed wheel draws the seed editor in JupyterLab 4', async () => {
  const server = await startServer('lab');
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  try {
    await page.goto(server.url('lab/tree/quickstart.ipynb'));
    await runAllCells(page);
    const canvas = page.locator('.nncards-canvas');
    await canvas.first().waitFor({ state: 'attached', timeout: 120_000 });
    await canvas.first().scrollIntoViewIfNeeded();
    await page.waitForSelector('.nncards-canvas[data-rendered]', { timeout: 60_000 });
    await waitForLabel(page, 'port:locally_connected_2d:output', '(None, 24, 24, 3)', 60_000);
    await waitForLayout(page);
    assert.ok((await canvasData(page)).some((element) => element.id === 'card:locally_connected_2d'));
    assert.equal(await page.getByText(/Error displaying widget|Click to show javascript error/).count(), 0);
    await canvas.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'wheel-smoke.png') });
    const location = await evalInKernel(page, '__import__("nncards_widget").__file__');
    assert.ok(location.includes(process.env.NNCARDS_PYTHON.replace(/\/bin\/python$/, '')), `imported from ${location}`);
  } catch (error) {
    await page.screenshot({ path: join(artifacts, 'failed-wheel-smoke.png') });
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
});
