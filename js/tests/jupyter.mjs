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

// Click an element as a person would: scroll the canvas into view, pan so the element is in the middle.
export async function clickElement(page, elementId, canvasIndex = 0) {
  await page.locator('.nncards-canvas').nth(canvasIndex).scrollIntoViewIfNeeded();
  await page.evaluate(
    ([id, index]) => {
      const cy = document.querySelectorAll('.nncards-canvas')[index].cytoscape;
      const element = cy.getElementById(id);
      if (element.nonempty()) {
        cy.zoom(Math.max(cy.zoom(), 0.8));
        cy.center(element);
      }
    },
    [elementId, canvasIndex],
  );
  const centre = await elementCentre(page, elementId, canvasIndex);
  if (centre === null) {
    throw new Error(`${elementId} is not on the canvas`);
  }
  await page.mouse.click(centre.x, centre.y);
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
}

// Run the first code cell from its editor with Shift+Enter, again until it shows [*] or its count
// (a run before the kernel is ready is lost).
export async function runFirstCodeCell(page) {
  const firstCode = page.locator('.jp-Notebook .jp-CodeCell').first();
  await firstCode.waitFor({ state: 'attached', timeout: 90_000 });
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
      const places = cy.nodes('node.body').map((n) => `${Math.round(n.position('x'))},${Math.round(n.position('y'))}`);
      return places.length > 0 && new Set(places).size === places.length;
    },
    canvasIndex,
    { timeout },
  );
}
