// A real Jupyter server and a real Chromium, for the browser tests.
//
// The server runs from the project's .venv on a free loopback port, serving a
// temporary copy of examples/. Chromium is Debian's /usr/bin/chromium, driven by
// playwright-core (which cannot download browsers here).
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const artifacts = join(root, 'test-artifacts');
const python = process.env.NNCARDS_PYTHON || join(root, '.venv', 'bin', 'python');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

export async function startServer(app = 'lab') {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const home = mkdtempSync(join(tmpdir(), 'nncards-jupyter-'));
  const notebooks = join(home, 'notebooks');
  cpSync(join(root, 'examples'), notebooks, { recursive: true });
  // A server of its own: no workspace, settings or open tabs carried over from another run.
  // Draw every cell: JupyterLab's windowing would skip cells out of view, which a script cannot click.
  const tracker = join(home, 'settings', '@jupyterlab', 'notebook-extension');
  mkdirSync(tracker, { recursive: true });
  writeFileSync(join(tracker, 'tracker.jupyterlab-settings'), JSON.stringify({ windowingMode: 'none' }));
  // No "Jupyter news" toast over the page: nothing here can fetch it, and it covers the canvas in screenshots.
  const notifications = join(home, 'settings', '@jupyterlab', 'apputils-extension');
  mkdirSync(notifications, { recursive: true });
  writeFileSync(join(notifications, 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));
  const jupyterDirs = {
    JUPYTER_CONFIG_DIR: join(home, 'config'),
    JUPYTER_RUNTIME_DIR: join(home, 'runtime'),
    JUPYTERLAB_WORKSPACES_DIR: join(home, 'workspaces'),
    JUPYTERLAB_SETTINGS_DIR: join(home, 'settings'),
  };
  const log = [];
  const server = spawn(
    python,
    [
      '-m', app === 'lab' ? 'jupyterlab' : 'notebook',
      '--no-browser', '--allow-root', `--port=${port}`, '--ServerApp.ip=127.0.0.1',
      `--ServerApp.token=${token}`, `--ServerApp.root_dir=${notebooks}`,
      '--ServerApp.port_retries=0', '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    ],
    { env: { ...process.env, ...jupyterDirs, TF_CPP_MIN_LOG_LEVEL: '3' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout.on('data', (chunk) => log.push(String(chunk)));
  server.stderr.on('data', (chunk) => log.push(String(chunk)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/api/status?token=${token}`);
      if (response.ok) {
        return {
          base, token, notebooks, log,
          url: (path) => `${base}/${path}${path.includes('?') ? '&' : '?'}token=${token}`,
          stop: async () => {
            mkdirSync(artifacts, { recursive: true });
            writeFileSync(join(artifacts, `server-${app}.log`), log.join(''));
            server.kill('SIGTERM');
            await new Promise((done) => setTimeout(done, 500));
            rmSync(home, { recursive: true, force: true });
          },
        };
      }
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null) {
      break;
    }
    await new Promise((done) => setTimeout(done, 300));
  }
  server.kill('SIGKILL');
  throw new Error(`Jupyter server did not start:\n${log.join('').slice(-3000)}`);
}

export async function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

// Type code into a new last cell, without running it: Shift+Enter runs it.
export async function typeCell(page, code) {
  await page.locator('.jp-Notebook .jp-Cell').last().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await page.keyboard.press('Enter');
  await page.keyboard.insertText(code);
}

// Run code in the notebook's kernel by typing it into a new last cell; returns what the cell printed.
let cellCount = 0;
export async function runInKernel(page, code, timeout = 60_000) {
  const marker = `nncards-${++cellCount}`;
  await typeCell(page, `${code}\nprint("<${marker}>")`);
  await page.keyboard.press('Shift+Enter');
  const output = page.locator('.jp-OutputArea-output', { hasText: `<${marker}>` });
  await output.first().waitFor({ timeout });
  const text = await output.first().innerText();
  return text.slice(0, text.indexOf(`<${marker}>`)).trim();
}

// The repr of a Python expression, evaluated in the notebook's kernel.
export async function evalInKernel(page, expression, timeout = 60_000) {
  return runInKernel(page, `print(repr(${expression}))`, timeout);
}

// Where a cytoscape element is drawn on the page.
export async function elementCentre(page, elementId, canvasIndex = 0) {
  return page.evaluate(
    ([id, index]) => {
      const el = document.querySelectorAll('.nncards-canvas')[index];
      const node = el.cytoscape.getElementById(id);
      if (node.empty()) {
        return null;
      }
      const rect = el.getBoundingClientRect();
      const p = node.isEdge() ? node.renderedMidpoint() : node.renderedPosition();
      return { x: rect.left + p.x, y: rect.top + p.y };
    },
    [elementId, canvasIndex],
  );
}

// Where an element can be clicked: its centre on the page, once the canvas hit-tests that point to
// it. The point is read again on every frame until then: a click
// depends on the drawing being up to date (an edge's route is recomputed when cytoscape next
// renders, after its cards moved or the view panned), not only on the element existing.
export async function clickablePoint(page, elementId, canvasIndex = 0, timeout = 10_000) {
  const handle = await page.waitForFunction(
    ([id, index]) => {
      const el = document.querySelectorAll('.nncards-canvas')[index];
      const cy = el.cytoscape;
      const element = cy.getElementById(id);
      if (element.empty()) {
        return null;
      }
      // A card is clicked on its title: a click on a value would open its field.
      const p = element.isEdge() ? element.renderedMidpoint() : { ...element.renderedPosition() };
      if (element.hasClass('card')) {
        p.y -= (element.data('height') / 2 - el.nncardsStore.geometry.title_height / 2) * cy.zoom();
      }
      const zoom = cy.zoom();
      const pan = cy.pan();
      const hit = cy.renderer().findNearestElement((p.x - pan.x) / zoom, (p.y - pan.y) / zoom, true, false);
      if (!hit || hit.id() !== id || p.x < 0 || p.y < 0 || p.x > cy.width() || p.y > cy.height()) {
        return null;
      }
      const rect = el.getBoundingClientRect();
      return { x: rect.left + p.x, y: rect.top + p.y };
    },
    [elementId, canvasIndex],
    { timeout, polling: 'raf' },
  );
  return handle.jsonValue();
}

// Pan (and zoom in, if far out) so that the elements are in the middle of the canvas.
export async function showElements(page, elementIds, canvasIndex = 0) {
  await page.locator('.nncards-canvas').nth(canvasIndex).scrollIntoViewIfNeeded();
  await page.evaluate(
    ([ids, index]) => {
      const cy = document.querySelectorAll('.nncards-canvas')[index].cytoscape;
      const elements = cy.collection(ids.map((id) => cy.getElementById(id)).filter((e) => e.nonempty()));
      if (elements.length > 1) {
        cy.fit(elements, 120);
        cy.zoom({ level: Math.min(1.2, cy.zoom()), renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
      } else if (elements.nonempty()) {
        cy.zoom(Math.max(cy.zoom(), 0.8));
        cy.center(elements);
      }
    },
    [elementIds, canvasIndex],
  );
}

// Click an element as a person would: scroll the canvas into view, pan so the element is in the
// middle, and click it once the canvas would take the click as one on it.
export async function clickElement(page, elementId, canvasIndex = 0) {
  await showElements(page, [elementId], canvasIndex);
  const centre = await clickablePoint(page, elementId, canvasIndex).catch(() => null);
  if (centre === null) {
    throw new Error(`${elementId} is not on the canvas where it can be clicked`);
  }
  await page.mouse.click(centre.x, centre.y);
}

// Where a card's parameter value is on the page: right of the port's text, in its row.
export async function rowPoint(page, key, port, canvasIndex = 0) {
  return page.evaluate(
    ([cardKey, portName, index]) => {
      const el = document.querySelectorAll('.nncards-canvas')[index];
      const cy = el.cytoscape;
      const card = cy.getElementById(`card:${cardKey}`);
      const store = el.nncardsStore;
      const record = store.cards.get(cardKey);
      const row = store.spec(record).inputs.findIndex((p) => p.name === portName);
      const g = store.geometry;
      const text = store.spec(record).inputs[row].text;
      const x = card.position('x') - card.data('width') / 2 + g.left_text + text.length * g.char_width + 14;
      const y = card.position('y') - card.data('height') / 2 + g.title_height + (row + 0.5) * g.row_height;
      const rect = el.getBoundingClientRect();
      return { x: rect.left + x * cy.zoom() + cy.pan().x, y: rect.top + y * cy.zoom() + cy.pan().y };
    },
    [key, port, canvasIndex],
  );
}

// Press the mouse at `from`, move it to `to` in small steps, as a hand does, and let go there
// (`during`, if given, runs with the button still down, at the end of the move).
// Press at `from`, move to `to`, run `during`, let go; returns when it let go (Date.now()), from
// which a drop's effect on screen is timed.
export async function dragMouse(page, from, to, during = null) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 12 });
  if (during) {
    await during();
  }
  const released = Date.now();
  await page.mouse.up();
  return released;
}

export async function canvasData(page, canvasIndex = 0) {
  return page.evaluate((index) => {
    const el = document.querySelectorAll('.nncards-canvas')[index];
    return el.cytoscape.elements().map((e) => ({ id: e.id(), label: e.data('label') || '', classes: e.classes().join(' '),
      position: e.isNode() && !e.isParent() ? e.position() : null }));
  }, canvasIndex);
}

export async function waitForLabel(page, elementId, text, timeout = 20_000) {
  await page.waitForFunction(
    ([id, expected]) => {
      const el = document.querySelector('.nncards-canvas');
      return el && el.cytoscape && String(el.cytoscape.getElementById(id).data('label') || '').includes(expected);
    },
    [elementId, text],
    { timeout },
  );
}

// Run every cell as a person would. The first code cell is run from its editor with
// Shift+Enter, again until it shows [*] or its count (a run before the kernel is ready is
// lost); then the toolbar's Run button, which runs the selected cell and selects the next,
// is pressed once for each cell left.
export async function runAllCells(page) {
  const cells = page.locator('.jp-Notebook .jp-Cell');
  await runFirstCodeCell(page);
  const kinds = await cells.evaluateAll((all) => all.map((cell) => cell.classList.contains('jp-CodeCell')));
  const remaining = kinds.length - kinds.indexOf(true) - 1;
  const run = page.locator('[data-command="notebook:run-cell-and-select-next"]').first();
  for (let index = 0; index < remaining; index += 1) {
    await run.click();
    await acceptKernelDialog(page);
  }
  // On a loaded machine a run asked for while the kernel was still starting can be dropped (its cell
  // keeps an empty prompt, nothing queued): each such cell (the new empty last one aside) is run again, in order, from its editor.
  const codeCells = page.locator('.jp-Notebook .jp-CodeCell');
  for (let index = 0; index < await codeCells.count(); index += 1) {
    const cell = codeCells.nth(index);
    const empty = (await cell.locator('.jp-InputArea-editor').innerText()).trim() === '';
    if (!empty && (await cell.locator('.jp-InputPrompt').innerText()).trim() === '[ ]:') {
      await cell.locator('.jp-InputArea-editor').click();
      await page.keyboard.press('Shift+Enter');
      await cell.locator('.jp-InputPrompt', { hasText: /\[[*\d]+\]/ }).waitFor({ state: 'attached', timeout: 15_000 });
    }
  }
}

// Run the first code cell from its editor with Shift+Enter, again until it shows [*] or its count
// (a run before the kernel is ready is lost).
export async function runFirstCodeCell(page) {
  const firstCode = page.locator('.jp-Notebook .jp-CodeCell').first();
  await firstCode.waitFor({ state: 'attached', timeout: 90_000 });
  // Runs start on a kernel that is up: a kernel chosen in the "Select Kernel" dialog after the first
  // runs were sent replaced the one they went to, and they were lost with it (seen on a loaded machine).
  const idle = page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first();
  for (let tries = 0; tries < 60 && !(await idle.count() && !(await page.locator('.jp-Dialog').count())); tries += 1) {
    await acceptKernelDialog(page);
    await idle.waitFor({ state: 'attached', timeout: 3_000 }).catch(() => {});
  }
  for (let attempt = 0; ; attempt += 1) {
    await acceptKernelDialog(page);
    await firstCode.locator('.jp-InputArea-editor').click();
    await page.keyboard.press('Shift+Enter');
    try {
      await firstCode.locator('.jp-InputPrompt', { hasText: /\[[*\d]+\]/ }).waitFor({ state: 'attached', timeout: 15_000 });
      return;
    } catch (error) {
      if (attempt === 5) {
        throw new Error(`The first code cell never started: ${error.message}`);
      }
    }
  }
}

async function acceptKernelDialog(page) {
  const dialog = page.locator('.jp-Dialog', { hasText: 'Select Kernel' });
  if (await dialog.count()) {
    await dialog.locator('.jp-Dialog-button.jp-mod-accept').click();
  }
}

// Wait until no two cards share a place: the first layout has come back from Python.
export async function waitForLayout(page, canvasIndex = 0, timeout = 30_000) {
  await page.waitForFunction(
    (index) => {
      const cy = document.querySelectorAll('.nncards-canvas')[index].cytoscape;
      const places = cy.nodes('node.card').map((n) => `${Math.round(n.position('x'))},${Math.round(n.position('y'))}`);
      return places.length > 0 && new Set(places).size === places.length;
    },
    canvasIndex,
    { timeout },
  );
}
