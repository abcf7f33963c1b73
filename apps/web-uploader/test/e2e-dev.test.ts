// The one command a developer runs (`pnpm --filter web-uploader dev`): it starts the dev
// server, the backend and Vite, prints the URL, serves a page that uploads, and stops
// cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_DIR } from '../server/start.ts';
import { CHROMIUM, CHROMIUM_ARGS, MiB, makeFile, waitForState } from './support/harness.ts';

let child: ChildProcess | undefined;
let dir: string | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Resolves with the first stdout match of `pattern`; rejects if the process ends first. */
function waitForOutput(proc: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match !== null) {
        proc.stdout?.off('data', onData);
        resolve(match);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.once('exit', (code) =>
      reject(new Error(`dev exited with ${code} before printing:\n${out}`)),
    );
  });
}

describe('pnpm --filter web-uploader dev', () => {
  it('starts everything with one command, prints the URL, and the page uploads', async () => {
    dir = await mkdtemp(join(tmpdir(), 'web-uploader-dev-'));
    const file = await makeFile(dir, 'from-dev.bin', 10 * MiB);
    // Exactly what the package's `dev` script runs (`node ...`), on free ports.
    const pkg = JSON.parse(await readFile(join(APP_DIR, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const [node, ...args] = pkg.scripts['dev']!.split(' ');
    expect(node).toBe('node');
    child = spawn(process.execPath, [...args, '--ephemeral', '--port', '0', '--oss-port', '0'], {
      cwd: APP_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    const [, url] = await waitForOutput(child, /Page\s+(http:\/\/127\.0\.0\.1:\d+\/)/);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(url!);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      await page.setInputFiles('#picker', file.path);
      await waitForState(page, file.name, 'done');
      const crc = await page
        .locator(`[data-testid="file-card"][data-name="${file.name}"]`)
        .getAttribute('data-crc64');
      expect(crc).toBe(file.crc64.toString());
    } finally {
      await browser.close();
    }

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
  });
});
