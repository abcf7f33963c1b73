import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc64 } from '@ossup/checksum';
import { createClient } from '@ossup/client';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample } from '../../../docs/examples/browser/server.ts';
import { writeTestFile } from './support.ts';

// docs/examples/browser (page + backend) in headless Chromium, as a user would use it: pick
// a file, pause, reload the page, pick the same file again (resumes); pick another, cancel.
// Debian's /usr/bin/chromium, never a downloaded browser (as in @ossup/browser's tests).
const CHROMIUM = '/usr/bin/chromium';
const PART = 8 * 1024 * 1024;
const SIZE = 20_000_000;

let example: Awaited<ReturnType<typeof startExample>>;
let browser: Browser;
let page: Page;
let dir: string;
beforeAll(async () => {
  example = await startExample(0);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic'],
  });
  page = await browser.newPage();
  page.on('console', (m) => pageLog.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageLog.push(`pageerror: ${e.message}`));
  dir = await mkdtemp(join(tmpdir(), 'ossup-browser-example-'));
});
afterAll(async () => {
  await browser?.close();
  await example?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const state = (s: string) =>
  page.waitForSelector(`#status[data-state="${s}"]`, { timeout: 60_000 });
const pageLog: string[] = [];

/** Waits until `n` parts are stored, and fails with the page's status if it stopped first. */
async function partsDone(n: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const status = document.querySelector<HTMLElement>('#status');
      return (
        Number(status?.dataset['partsDone'] ?? 0) >= n || status?.dataset['state'] !== 'uploading'
      );
    },
    n,
    { timeout: 60_000 },
  );
  expect({
    state: await page.getAttribute('#status', 'data-state'),
    text: await statusText(),
    pageLog,
  }).toEqual({
    state: 'uploading',
    text: expect.any(String),
    pageLog: expect.any(Array),
  });
}
const statusText = async () => (await page.textContent('#status')) ?? '';

/** Holds part 2 of `key` back, so a pause or cancel finds parts 1 and 3 stored. */
function holdPart2(key: string) {
  return example.oss.faults.add({
    match: { operation: 'UploadPart', key, partNumber: 2 },
    times: 'always',
    // Long enough for a loaded machine; the server ends the wait when the client hangs up.
    action: { kind: 'delay', ms: 60_000 },
  });
}

describe('browser example', () => {
  it('pauses, survives a reload, and resumes when the same file is picked again', {
    timeout: 180_000,
  }, async () => {
    const path = join(dir, 'movie.bin');
    const data = await writeTestFile(path, SIZE, 7);
    await page.goto(example.url);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'Ready.');

    const hold = holdPart2('uploads/movie.bin');
    await page.setInputFiles('#file', path);
    await partsDone(2);
    await page.click('#pause');
    await state('paused');
    example.oss.faults.remove(hold.id);

    await page.reload();
    await page.waitForFunction(() =>
      /Unfinished: uploads\/movie\.bin\./.test(
        document.querySelector('#status')?.textContent ?? '',
      ),
    );
    await page.setInputFiles('#file', path);
    await state('done');
    expect(await statusText()).toBe(
      `Done: uploads/movie.bin, ${SIZE} bytes, CRC-64 ${crc64(data)}, ${SIZE - PART} bytes resumed.`,
    );

    const client = createClient({
      endpoint: example.oss.endpoint,
      region: example.oss.region,
      credentials: example.oss.credentials,
    });
    const head = await client.headObject({ bucket: 'uploads', key: 'uploads/movie.bin' });
    expect({ size: head.size, crc64: head.crc64 }).toEqual({ size: SIZE, crc64: crc64(data) });
  });

  it('cancel deletes the parts on the server and the checkpoint in IndexedDB', {
    timeout: 180_000,
  }, async () => {
    const path = join(dir, 'other.bin');
    await writeTestFile(path, SIZE, 9);
    await page.goto(example.url);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'Ready.');

    const hold = holdPart2('uploads/other.bin');
    await page.setInputFiles('#file', path);
    await partsDone(2);
    await page.click('#cancel');
    await state('cancelled');
    example.oss.faults.remove(hold.id);

    const client = createClient({
      endpoint: example.oss.endpoint,
      region: example.oss.region,
      credentials: example.oss.credentials,
    });
    const uploads = await client.listMultipartUploads({ bucket: 'uploads' });
    expect(uploads.uploads.map((u) => u.key)).toEqual([]);
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#status')?.textContent !== 'Loading…');
    expect(await statusText()).toBe('Ready.');
  });
});
