// The playground page as a person uses it: typing into the terminal with real
// key events and reading what the screen shows.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveDist, launchBrowser, openPlayground, screen, buffer, waitForScreen, run, saveScreenshot,
} from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const PROMPT = 'root@kafka-1:~/kafka_2.8.0-0.8.0# ';

test('ls config and cat config/server.properties show the 0.8.0 files', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await run(page, 'ls config');
  await waitForScreen(page, /^consumer\.properties +producer\.properties +.*zookeeper\.properties$/m);
  await run(page, 'cat config/server.properties');
  const visible = await waitForScreen(page, /zookeeper\.connection\.timeout\.ms=1000000/);
  assert.match(visible, /zookeeper\.connect=localhost:2181/);
  const all = await buffer(page);
  assert.match(all, /^broker\.id=0$/m, 'the start of the file is in the scrollback');
  assert.match(all, /^num\.partitions=2$/m, 'Kafka 0.8.0 ships num.partitions=2');
  assert.ok(all.trimEnd().endsWith(PROMPT.trimEnd()), 'a new prompt follows the file');
  await saveScreenshot(page, 'terminal');
  assert.deepEqual(errors, []);
  await page.close();
});

test('line editing keys and history work as in bash', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  // Left arrow and typing in the middle; Home and End.
  await page.keyboard.type('echo wrld');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('o');
  await page.keyboard.press('Home');
  await page.keyboard.type('  ');
  await page.keyboard.press('End');
  await page.keyboard.type('!');
  await page.keyboard.press('Enter');
  await waitForScreen(page, /^world!$/m);
  // Ctrl-A / Ctrl-K / Ctrl-E / Ctrl-W / Ctrl-U.
  await page.keyboard.type('junk echo one two three');
  await page.keyboard.press('Control+a');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Control+u');
  await page.keyboard.press('Control+e');
  await page.keyboard.press('Control+w');
  await page.keyboard.press('Enter');
  await waitForScreen(page, /^one two$/m);
  // Up arrow brings back the last command.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  const text = await waitForScreen(page, /^one two\n.*\n^one two$/m);
  assert.ok(text.includes(`${PROMPT}echo one two`));
  assert.deepEqual(errors, []);
  await page.close();
});

test('Ctrl-C interrupts a running command and Ctrl-L clears the screen', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await run(page, 'sleep 100; echo not-reached');
  await page.keyboard.press('Control+c');
  await waitForScreen(page, /sleep 100; echo not-reached\n\^C\n.*#$/m);
  await run(page, 'echo $?');
  await waitForScreen(page, /^130$/m);
  assert.doesNotMatch(await screen(page), /^not-reached$/m);
  await page.keyboard.press('Control+l');
  const cleared = await waitForScreen(page, /^root@kafka-1:~\/kafka_2\.8\.0-0\.8\.0#\s*$/);
  assert.equal(cleared.trim(), PROMPT.trim());
  assert.deepEqual(errors, []);
  await page.close();
});

test('Ctrl-V and Shift-Insert paste, and pasted lines run in order', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.evaluate(() => navigator.clipboard.writeText('echo first\necho second\ncd bin\npwd\n'));
  await page.keyboard.press('Control+v');
  const text = await waitForScreen(page, /^\/root\/kafka_2\.8\.0-0\.8\.0\/bin$/m);
  assert.match(text, /^first\n.*\n^second$/m);
  assert.match(text, /root@kafka-1:~\/kafka_2\.8\.0-0\.8\.0\/bin#$/m);
  await page.evaluate(() => navigator.clipboard.writeText('echo from-shift-insert'));
  await page.keyboard.press('Shift+Insert');
  await page.keyboard.press('Enter');
  await waitForScreen(page, /^from-shift-insert$/m);
  assert.deepEqual(errors, []);
  await page.close();
});

test('ls colours directories and the terminal follows the window size', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await run(page, 'ls');
  await waitForScreen(page, /LICENSE\s+NOTICE\s+bin\s+config/);
  const colours = await page.evaluate(() =>
    Array.from(document.querySelectorAll('[data-testid="terminal"] .xterm-rows span'))
      .filter((s) => s.textContent === 'bin' || s.textContent === 'config')
      .map((s) => s.className),
  );
  assert.ok(colours.length >= 2 && colours.every((c) => /xterm-fg-4\b|xterm-fg-12\b/.test(c)), `classes: ${colours}`);
  const wide = await page.evaluate(() => window.kplayTerminal.cols);
  await page.setViewportSize({ width: 600, height: 500 });
  await page.waitForFunction((before) => window.kplayTerminal.cols < before, wide);
  const narrow = await page.evaluate(() => window.kplayTerminal.cols);
  assert.ok(narrow < wide / 1.5, `cols went from ${wide} to ${narrow}`);
  await run(page, 'ls bin');
  // At the narrower width the shell lays bin/ out in one column, as GNU ls would.
  await waitForScreen(page, /^kafka-add-partitions\.sh\nkafka-console-consumer\.sh$/m);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Ctrl-C copies selected text instead of interrupting', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await run(page, 'echo copy-me-please');
  await waitForScreen(page, /^copy-me-please$/m);
  // Select the output line with the mouse, as a person would.
  const row = page.locator('[data-testid="terminal"] .xterm-rows > div', { hasText: /^copy-me-please/ }).first();
  const box = await row.boundingBox();
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 2 + 14 * 8.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  assert.ok(await page.evaluate(() => window.kplayTerminal.hasSelection()), 'text is selected');
  await page.keyboard.press('Control+c');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /^copy-me-pl/);
  assert.equal(await page.evaluate(() => window.kplayTerminal.hasSelection()), false);
  // No interrupt reached the shell: the prompt line has no ^C.
  assert.doesNotMatch(await screen(page), /\^C/);
  // Without a selection, Ctrl-C interrupts the line being typed.
  await page.keyboard.type('half typed');
  await page.keyboard.press('Control+c');
  await waitForScreen(page, /half typed\^C$/m);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the terminal keeps 10,000 lines of scrollback', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await run(page, 'i=0; while [ $i -lt 10500 ]; do echo line-$i; i=$((i+1)); done');
  await waitForScreen(page, /^line-10499$/m, 30_000);
  const { length, rows, first } = await page.evaluate(() => {
    const t = window.kplayTerminal;
    const b = t.buffer.active;
    return { length: b.length, rows: t.rows, first: b.getLine(0).translateToString(true) };
  });
  assert.equal(length, 10_000 + rows, 'scrollback plus the screen');
  // The oldest lines scrolled out; the 10,000 before the screen are kept.
  const firstIndex = Number(first.replace('line-', ''));
  assert.ok(firstIndex > 0 && firstIndex <= 500 + rows, `first kept line: ${first}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('exit ends the shell and Enter starts a new one', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await run(page, 'cd /tmp');
  await run(page, 'exit');
  await waitForScreen(page, /^\[The shell has exited\. Press Enter for a new one\.\]$/m);
  await page.keyboard.press('Enter');
  // The new shell starts again in the book's distribution.
  const text = await waitForScreen(page, /Enter for a new one\.\]\n(.*\n)*root@kafka-1:~\/kafka_2\.8\.0-0\.8\.0#$/m);
  assert.match(text, /root@kafka-1:\/tmp# exit\nexit$/m);
  assert.deepEqual(errors, []);
  await page.close();
});
