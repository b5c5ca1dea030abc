// Shared set-up of the end-to-end tests: serve dist/ on 127.0.0.1, launch
// Debian's Chromium through playwright-core, and read the terminal's screen.

import { createServer } from 'node:http';
import { readFile, mkdtemp, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const root = new URL('../..', import.meta.url).pathname;
export const dist = join(root, 'dist');
export const screenshots = join(root, 'target', 'e2e');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.png': 'image/png',
};

/** Serves dist/ as a static site; resolves to { url, close }. */
export async function serveDist() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(dist, path.endsWith('/') ? path + 'index.html' : path);
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Chromium as root in a closed network: the flags TOOLCHAIN.md lists, a fresh profile. */
export async function launchBrowser() {
  const profile = await mkdtemp(join(tmpdir(), 'kplay-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    viewport: { width: 1100, height: 700 },
  });
}

/** Opens the playground; page errors and console errors are collected in `errors`. */
export async function openPlayground(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await waitForScreen(page, /root@kafka-1:~\/kafka_2\.8\.0-0\.8\.0#$/m);
  await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
  return { page, errors };
}

/** The visible rows of the terminal, as the DOM renderer shows them. */
export async function screen(page) {
  return page.evaluate(() => {
    const rows = document.querySelectorAll('[data-testid="terminal"] .xterm-rows > div');
    return Array.from(rows, (r) => r.textContent.replace(/\u00a0/g, ' ').trimEnd()).join('\n');
  });
}

/** Every line of the terminal's buffer, scrollback included. */
export async function buffer(page) {
  return page.evaluate(() => {
    const b = window.kplayTerminal.buffer.active;
    const lines = [];
    for (let y = 0; y < b.length; y++) lines.push(b.getLine(y).translateToString(true));
    return lines.join('\n').replace(/\n+$/, '');
  });
}

/** Waits until the visible screen matches `pattern`; fails with the screen shown. */
export async function waitForScreen(page, pattern, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await screen(page);
    if (pattern.test(text)) return text;
    await page.waitForTimeout(50);
  }
  throw new Error(`screen never matched ${pattern}; it shows:\n${text}`);
}

/** Types a command with real key events and presses Enter. */
export async function run(page, command) {
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

export async function saveScreenshot(page, name) {
  await mkdir(screenshots, { recursive: true });
  const path = join(screenshots, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
