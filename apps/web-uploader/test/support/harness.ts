// Shared setup of the end-to-end tests: build the page with Vite, start the dev server, the
// backend and the page on loopback, drive Debian's Chromium through playwright-core, and
// check on the server what arrived.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCrc64 } from '@ossup/checksum';
import { createClient, type OssClient } from '@ossup/client';
import type { DevServer, DevServerOptions, RequestLogEntry } from '@ossup/dev-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import {
  APP_DIR,
  startWebUploader,
  type WebUploader,
  type WebUploaderOptions,
} from '../../server/start.ts';

/** Debian's Chromium; never a browser downloaded by Playwright. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const MiB = 1024 * 1024;

/** Everything one test file drives. */
export interface Harness {
  app: WebUploader;
  devServer: DevServer;
  browser: Browser;
  /** Temporary directory for generated files (deleted by `close`). */
  dir: string;
  /** A Node client with the permanent key, to look at what the server stored. */
  admin: OssClient;
  bucket: string;
  close(): Promise<void>;
}

/** Builds the page with Vite into a temporary directory (what a deployment serves). */
export async function buildPage(outDir: string): Promise<void> {
  await build({
    configFile: join(APP_DIR, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
}

/** Starts everything for one test file. */
export async function startHarness(
  options: { backend?: WebUploaderOptions['backend']; devServer?: DevServerOptions } = {},
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'web-uploader-e2e-'));
  const cleanups: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];
  try {
    const dist = join(dir, 'dist');
    await buildPage(dist);
    const app = await startWebUploader({
      page: { kind: 'static', dir: dist },
      devServerOptions: { hashWorkers: 1, ...options.devServer },
      backend: { partSize: 4 * MiB, ...options.backend },
    });
    cleanups.unshift(() => app.close());
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    cleanups.unshift(() => browser.close());
    const bucket = app.backend.config.bucket;
    const admin = createClient({
      endpoint: app.devServer.endpoint,
      region: app.devServer.region,
      credentials: app.devServer.credentials,
    });
    return {
      app,
      devServer: app.devServer,
      browser,
      dir,
      admin,
      bucket,
      close: async () => {
        for (const cleanup of cleanups) await cleanup().catch(() => {});
      },
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    throw error;
  }
}

/** A fresh browser profile (own IndexedDB) with the page open and ready. */
export async function openPage(
  h: Harness,
  query = '',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  await page.goto(`${h.app.url}${query}`);
  await waitReady(page);
  return { context, page };
}

/** Waits until main.ts has loaded its config and listed unfinished uploads. */
export async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
}

/** A generated file on disk with what the server must end up holding. */
export interface TestFile {
  path: string;
  name: string;
  size: number;
  crc64: bigint;
  sha256: string;
}

/**
 * Writes `size` random bytes to `dir/name` and returns their CRC-64 and SHA-256.
 * `mtimeMs` fixes lastModified (part of the browser's fingerprint of the file).
 */
export async function makeFile(
  dir: string,
  name: string,
  size: number,
  mtimeMs = Date.UTC(2026, 0, 1),
): Promise<TestFile> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  const file = await open(path, 'w');
  const crc = createCrc64();
  const sha = createHash('sha256');
  try {
    for (let written = 0; written < size; ) {
      const chunk = randomBytes(Math.min(4 * MiB, size - written));
      crc.update(chunk);
      sha.update(chunk);
      await file.write(chunk);
      written += chunk.length;
    }
  } finally {
    await file.close();
  }
  await utimes(path, new Date(mtimeMs), new Date(mtimeMs));
  return { path, name, size, crc64: crc.digest(), sha256: sha.digest('hex') };
}

/** Picks files in the page's file input, as a user choosing them in the dialog. */
export async function pickFiles(page: Page, files: readonly TestFile[]): Promise<void> {
  await page.setInputFiles(
    '#picker',
    files.map((f) => f.path),
  );
}

/** The card of a file. */
export function card(page: Page, name: string) {
  return page.locator(`[data-testid="file-card"][data-name="${name}"]`);
}

/** Waits until the card of `name` is in one of `states`. */
export async function waitForState(
  page: Page,
  name: string,
  states: string | readonly string[],
  timeout = 45_000,
): Promise<void> {
  const wanted = typeof states === 'string' ? [states] : states;
  await page.waitForFunction(
    ([n, s]) => {
      const el = document.querySelector<HTMLElement>(
        `[data-testid="file-card"][data-name="${CSS.escape(n as string)}"]`,
      );
      return el !== null && (s as string[]).includes(el.dataset['state'] ?? '');
    },
    [name, wanted] as const,
    { timeout, polling: 50 },
  );
}

/** Waits until at least `parts` parts of `name` are acknowledged, as the card shows. */
export async function waitForParts(page: Page, name: string, parts: number, timeout = 45_000) {
  await page.waitForFunction(
    ([n, p]) => {
      const el = document.querySelector<HTMLElement>(
        `[data-testid="file-card"][data-name="${CSS.escape(n as string)}"]`,
      );
      return Number(el?.dataset['partsDone'] ?? 0) >= (p as number);
    },
    [name, parts] as const,
    { timeout, polling: 50 },
  );
}

/** Reads a card's data attributes. */
export async function cardData(page: Page, name: string): Promise<Record<string, string>> {
  return card(page, name).evaluate(
    (el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>,
  );
}

/**
 * Records every state a card goes through (a MutationObserver installed before the page's
 * scripts run), so a test can check that a transient state such as `retrying` happened.
 */
export async function recordStates(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: Record<string, string[]> = {};
    (globalThis as unknown as { __states: typeof seen }).__states = seen;
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as HTMLElement;
        const name = el.dataset?.['name'];
        const state = el.dataset?.['state'];
        if (name === undefined || state === undefined) continue;
        const list = seen[name] ?? [];
        seen[name] = list;
        if (list[list.length - 1] !== state) list.push(state);
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
}

/** The states a card went through (see {@link recordStates}). */
export async function statesOf(page: Page, name: string): Promise<string[]> {
  return page.evaluate(
    (n) => (globalThis as unknown as { __states: Record<string, string[]> }).__states[n] ?? [],
    name,
  );
}

/** What the server holds at `key`: size, its CRC-64 header, and the SHA-256 of the bytes. */
export async function storedObject(
  h: Harness,
  key: string,
): Promise<{ size: number; crc64: bigint | undefined; sha256: string; etag: string }> {
  const object = await h.admin.getObject({ bucket: h.bucket, key });
  const sha = createHash('sha256');
  const crc = createCrc64();
  let size = 0;
  const reader = object.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    sha.update(value);
    crc.update(value);
    size += value.length;
  }
  const head = await h.admin.headObject({ bucket: h.bucket, key });
  // The server's header must match the bytes it serves, not just what the client claimed.
  if (head.crc64 !== crc.digest()) {
    throw new Error(`server CRC-64 header ${head.crc64} does not match its bytes ${crc.digest()}`);
  }
  return { size, crc64: head.crc64, sha256: sha.digest('hex'), etag: head.etag };
}

/** UploadPart entries of the request log for one key, in arrival order. */
export function uploadParts(h: Harness, key: string): RequestLogEntry[] {
  return h.devServer.requests.entries({ operation: 'UploadPart', key });
}

/** A request held by {@link hold} until the test lets it go. */
export interface HeldRequest {
  /** Resolves when the browser has sent the request (it is held then). */
  arrived: Promise<void>;
  /** Lets the request continue to the server. */
  release(): void;
}

/**
 * Holds the first request the page (or its workers) sends that `match` selects, already
 * signed, until `release()`: a way to make a real request reach the server later than it
 * was made, without sleeping. Other requests pass untouched.
 */
export function hold(page: Page, match: (url: URL, method: string) => boolean): HeldRequest {
  let arrive!: () => void;
  let release!: () => void;
  const arrived = new Promise<void>((r) => {
    arrive = r;
  });
  const released = new Promise<void>((r) => {
    release = r;
  });
  let taken = false;
  void page.route(
    () => true,
    async (route) => {
      const request = route.request();
      if (!taken && match(new URL(request.url()), request.method())) {
        taken = true;
        arrive();
        await released;
      }
      await route.continue();
    },
  );
  return { arrived, release };
}

/**
 * Lets parts 1..`after` of `key` through at once and holds parts `after + 1`..`total` for
 * `ms` each, so that a test sees the first parts acknowledged and then has time to act
 * (pause, reload, cancel, go offline) while the others are still on their way.
 */
export function gateParts(
  h: Harness,
  key: string,
  options: { after: number; total: number; ms?: number },
): void {
  for (let partNumber = options.after + 1; partNumber <= options.total; partNumber++) {
    h.devServer.faults.add({
      match: { operation: 'UploadPart', key, partNumber },
      times: 'always',
      action: { kind: 'delay', ms: options.ms ?? 6_000 },
    });
  }
}
