import { createClient } from '@ossup/client';
import { type DevServer, type FaultSpec, startDevServer } from '@ossup/dev-server';
import type { Page } from 'playwright';
import type { BrowserCommand } from 'vitest/node';

// Commands the browser tests call (through `commands` of 'vitest/browser') to drive extra
// pages in the same browser context: another tab of the same origin, which can be reloaded
// while the test itself keeps running in its own frame.

const pages = new Map<string, Page>();
let counter = 0;

function pageOf(id: string): Page {
  const page = pages.get(id);
  if (page === undefined) throw new Error(`no fixture page ${id} (closed already?)`);
  return page;
}

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => 'fixture' in globalThis, undefined, { timeout: 30_000 });
}

/** Opens `url` (on the test server's origin) in a new tab and waits for its fixture. */
export const pageOpen: BrowserCommand<[url: string]> = async (ctx, url) => {
  const page = await ctx.context.newPage();
  const id = `page-${++counter}`;
  pages.set(id, page);
  await page.goto(url);
  await ready(page);
  return id;
};

/** Evaluates a JavaScript expression in the tab and returns its (awaited) JSON value. */
export const pageEval: BrowserCommand<[id: string, expression: string]> = async (
  _ctx,
  id,
  expression,
) => pageOf(id).evaluate(expression);

/** Reloads the tab, as a user pressing F5 would, and waits for its fixture again. */
export const pageReload: BrowserCommand<[id: string]> = async (_ctx, id) => {
  const page = pageOf(id);
  await page.reload();
  await ready(page);
};

/** Closes the tab. */
export const pageClose: BrowserCommand<[id: string]> = async (_ctx, id) => {
  const page = pages.get(id);
  pages.delete(id);
  await page?.close();
};

// A real dev server for the transport tests, started in Node on first use and closed when the
// test run ends. Its default CORS rule admits the test page's http://localhost:<port> origin.
// Kept on globalThis: the config and its global setup load this file as separate module
// instances, and the teardown must close the server that the commands started.
const SERVER = Symbol.for('ossup.browser-tests.dev-server');
const shared = globalThis as { [SERVER]?: Promise<DevServer> };
function devServer(): Promise<DevServer> {
  shared[SERVER] ??= startDevServer({ buckets: ['browser'] });
  return shared[SERVER];
}

/** Closes the dev server if a test started it (the config's global teardown). */
export async function closeDevServer(): Promise<void> {
  const s = shared[SERVER];
  delete shared[SERVER];
  await (await s)?.close();
}

/** Where the dev server listens, and its credentials. */
export const devServerInfo: BrowserCommand<[]> = async () => {
  const s = await devServer();
  return { endpoint: s.endpoint, region: s.region, credentials: s.credentials };
};

/** Adds a fault rule (see @ossup/dev-server's faults); returns its id. */
export const devServerFault: BrowserCommand<[spec: FaultSpec]> = async (_ctx, spec) =>
  (await devServer()).faults.add(spec).id;

/** Removes a fault rule. */
export const devServerClearFault: BrowserCommand<[id: string]> = async (_ctx, id) => {
  (await devServer()).faults.remove(id);
};

/**
 * An object's size and CRC-64 as the server stores them, read in Node with its own client (not
 * the browser's), and the multipart uploads still open for the key.
 */
export const devServerObject: BrowserCommand<[bucket: string, key: string]> = async (
  _ctx,
  bucket,
  key,
) => {
  const s = await devServer();
  const client = createClient({
    endpoint: s.endpoint,
    region: s.region,
    credentials: s.credentials,
  });
  const head = await client.headObject({ bucket, key });
  const open = await client.listMultipartUploads({ bucket, prefix: key });
  return { size: head.size, crc64: String(head.crc64), openUploads: open.uploads.length };
};
