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
  await page.waitForTimeout(200);
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

test('a pasted block runs its lines in order', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'echo first\necho second\ncd bin\npwd\n');
    const target = document.querySelector('[data-testid="terminal"] .xterm-helper-textarea');
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  const text = await waitForScreen(page, /^\/root\/kafka_2\.8\.0-0\.8\.0\/bin$/m);
  assert.match(text, /^first\n.*\n^second$/m);
  assert.match(text, /root@kafka-1:~\/kafka_2\.8\.0-0\.8\.0\/bin#$/m);
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
  await page.waitForTimeout(300);
  const narrow = await page.evaluate(() => window.kplayTerminal.cols);
  assert.ok(narrow < wide, `cols went from ${wide} to ${narrow}`);
  await run(page, 'ls bin');
  // At the narrower width the shell lays bin/ out in one column, as GNU ls would.
  await waitForScreen(page, /^kafka-add-partitions\.sh\nkafka-console-consumer\.sh$/m);
  assert.deepEqual(errors, []);
  await page.close();
});
