// End to end in headless Chromium: pausing, reloading the page, cancelling, going offline,
// and a CORS rule that hides ETag. The dev server delays every UploadPart where a test must
// act mid-upload, so it never has to guess with a sleep.
import { join } from 'node:path';
import type { RequestLogEntry } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  card,
  cardData,
  gateParts,
  type Harness,
  MiB,
  makeFile,
  openPage,
  pickFiles,
  startHarness,
  storedObject,
  uploadParts,
  waitForParts,
  waitForState,
  waitReady,
} from './support/harness.ts';

const PART = 4 * MiB;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Part numbers the server had acknowledged by now, and where the log stood. */
function acknowledged(key: string): { parts: Set<number>; mark: number } {
  const entries = uploadParts(h, key);
  return {
    parts: new Set(entries.filter((e) => e.status === 200).map((e) => e.partNumber!)),
    mark: entries.length,
  };
}

/** UploadPart requests made after `mark` (see {@link acknowledged}). */
function partsAfter(key: string, mark: number): RequestLogEntry[] {
  return uploadParts(h, key).slice(mark);
}

describe('resuming in Chromium', () => {
  it('pauses and resumes without re-sending stored parts', async () => {
    const file = await makeFile(join(h.dir, 'pause'), 'pause.bin', 32 * MiB);
    const key = `uploads/${file.name}`;
    gateParts(h, key, { after: 2, total: 8 });
    const { context, page } = await openPage(h);
    try {
      await pickFiles(page, [file]);
      await waitForParts(page, file.name, 2);
      await card(page, file.name).locator('[data-action="pause"]').click();
      await waitForState(page, file.name, 'paused');
      const paused = await cardData(page, file.name);
      expect(Number(paused['loaded'])).toBeLessThan(file.size);
      const before = acknowledged(key);
      expect(before.parts.size).toBeGreaterThanOrEqual(2);

      h.devServer.faults.clear();
      await card(page, file.name).locator('[data-action="resume"]').click();
      await waitForState(page, file.name, 'done');

      const after = partsAfter(key, before.mark);
      for (const n of before.parts) {
        expect(after.filter((e) => e.partNumber === n)).toEqual([]);
      }
      expect(h.devServer.requests.count({ operation: 'InitiateMultipartUpload', key })).toBe(1);
      const done = await cardData(page, file.name);
      expect(Number(done['resumedBytes'])).toBeGreaterThanOrEqual(before.parts.size * PART);
      const stored = await storedObject(h, key);
      expect(stored.sha256).toBe(file.sha256);
      expect(stored.crc64).toBe(file.crc64);
    } finally {
      h.devServer.faults.clear();
      await context.close();
    }
  });

  it('resumes after a page reload when the same file is picked again', async () => {
    const file = await makeFile(join(h.dir, 'reload'), 'reload.bin', 32 * MiB);
    const key = `uploads/${file.name}`;
    gateParts(h, key, { after: 3, total: 8 });
    const { context, page } = await openPage(h);
    try {
      await pickFiles(page, [file]);
      await waitForParts(page, file.name, 3);
      await page.reload();
      await waitReady(page);
      // Parts acknowledged before the reload; requests cut by it were not acknowledged.
      const before = acknowledged(key);
      expect(before.parts.size).toBeGreaterThanOrEqual(3);

      // The page lists the unfinished upload from IndexedDB and asks for the file again.
      const row = page.locator(`[data-testid="unfinished"][data-key="${key}"]`);
      await expect(row.textContent()).resolves.toContain('reload.bin');
      await expect(page.locator('#unfinished').isVisible()).resolves.toBe(true);

      h.devServer.faults.clear();
      await pickFiles(page, [file]);
      await waitForState(page, file.name, 'done');

      // Completed parts were not uploaded again: no UploadPart for them after the reload.
      const after = partsAfter(key, before.mark);
      for (const n of before.parts) {
        expect(after.filter((e) => e.partNumber === n)).toEqual([]);
      }
      expect(after.filter((e) => e.status === 200).length).toBeLessThanOrEqual(
        8 - before.parts.size,
      );
      expect(h.devServer.requests.count({ operation: 'InitiateMultipartUpload', key })).toBe(1);
      const done = await cardData(page, file.name);
      expect(Number(done['resumedBytes'])).toBeGreaterThanOrEqual(before.parts.size * PART);
      await expect(card(page, file.name).locator('.message').textContent()).resolves.toContain(
        'Resumed',
      );
      await expect(page.locator('#unfinished').isVisible()).resolves.toBe(false);
      const stored = await storedObject(h, key);
      expect(stored.sha256).toBe(file.sha256);
      expect(stored.crc64).toBe(file.crc64);
    } finally {
      h.devServer.faults.clear();
      await context.close();
    }
  });

  it('starts afresh when a different file with the same name is picked after a reload', async () => {
    const first = await makeFile(join(h.dir, 'same-a'), 'same-name.bin', 16 * MiB);
    const key = `uploads/${first.name}`;
    gateParts(h, key, { after: 1, total: 4 });
    const { context, page } = await openPage(h);
    try {
      await pickFiles(page, [first]);
      await waitForParts(page, first.name, 1);
      await page.reload();
      await waitReady(page);
      await expect(
        page.locator(`[data-testid="unfinished"][data-key="${key}"]`).count(),
      ).resolves.toBe(1);
      const firstUpload = h.devServer.requests.entries({
        operation: 'InitiateMultipartUpload',
        key,
      });
      expect(firstUpload).toHaveLength(1);

      // Same name, other size and modification time: not the file the parts came from.
      const second = await makeFile(
        join(h.dir, 'same-b'),
        'same-name.bin',
        12 * MiB + 12345,
        Date.UTC(2026, 1, 2),
      );
      h.devServer.faults.clear();
      await pickFiles(page, [second]);
      await waitForState(page, second.name, 'done');

      const done = await cardData(page, second.name);
      expect(done['resumedBytes']).toBe('0');
      expect(h.devServer.requests.count({ operation: 'InitiateMultipartUpload', key })).toBe(2);
      // The first file's upload was given up (aborted on the server, checkpoint gone).
      const listed = await h.admin.listMultipartUploads({ bucket: h.bucket, prefix: key });
      expect(listed.uploads).toEqual([]);
      const stored = await storedObject(h, key);
      expect(stored.size).toBe(second.size);
      expect(stored.sha256).toBe(second.sha256);
      await page.reload();
      await waitReady(page);
      await expect(page.locator('[data-testid="unfinished"]').count()).resolves.toBe(0);
    } finally {
      h.devServer.faults.clear();
      await context.close();
    }
  });

  it('discards an unfinished upload from an earlier visit', async () => {
    const file = await makeFile(join(h.dir, 'discard'), 'discard.bin', 16 * MiB);
    const key = `uploads/${file.name}`;
    gateParts(h, key, { after: 1, total: 4 });
    const { context, page } = await openPage(h, '?mode=signer');
    try {
      await pickFiles(page, [file]);
      await waitForParts(page, file.name, 1);
      await page.reload();
      await waitReady(page);
      const row = page.locator(`[data-testid="unfinished"][data-key="${key}"]`);
      await row.locator('button', { hasText: 'Discard' }).click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="unfinished"]') === null,
      );

      expect(
        h.devServer.requests
          .entries({ operation: 'AbortMultipartUpload', key })
          .map((e) => e.status),
      ).toEqual([204]);
      const listed = await h.admin.listMultipartUploads({ bucket: h.bucket, prefix: key });
      expect(listed.uploads).toEqual([]);
      await expect(page.locator('#unfinished').isVisible()).resolves.toBe(false);
    } finally {
      h.devServer.faults.clear();
      await context.close();
    }
  });

  it('cancels: the multipart upload is aborted on the server and nothing is left to resume', async () => {
    const file = await makeFile(join(h.dir, 'cancel'), 'cancel.bin', 16 * MiB);
    const key = `uploads/${file.name}`;
    gateParts(h, key, { after: 1, total: 4 });
    const { context, page } = await openPage(h);
    try {
      await pickFiles(page, [file]);
      await waitForParts(page, file.name, 1);
      await card(page, file.name).locator('[data-action="cancel"]').click();
      await waitForState(page, file.name, 'cancelled');

      const aborts = h.devServer.requests.entries({ operation: 'AbortMultipartUpload', key });
      expect(aborts.map((e) => e.status)).toEqual([204]);
      const listed = await h.admin.listMultipartUploads({ bucket: h.bucket, prefix: key });
      expect(listed.uploads).toEqual([]);
      await expect(h.admin.headObject({ bucket: h.bucket, key })).rejects.toThrow(/404|NoSuchKey/);
      await page.reload();
      await waitReady(page);
      await expect(page.locator('[data-testid="unfinished"]').count()).resolves.toBe(0);
    } finally {
      h.devServer.faults.clear();
      await context.close();
    }
  });

  it('waits while offline and continues by itself when the network is back', async () => {
    const file = await makeFile(join(h.dir, 'offline'), 'offline.bin', 24 * MiB);
    const key = `uploads/${file.name}`;
    gateParts(h, key, { after: 1, total: 6 });
    const { context, page } = await openPage(h);
    try {
      await pickFiles(page, [file]);
      await waitForParts(page, file.name, 1);
      await context.setOffline(true);
      await waitForState(page, file.name, 'offline');
      await expect(page.locator('#banner').textContent()).resolves.toContain('Offline');
      await expect(card(page, file.name).locator('.badge').textContent()).resolves.toBe(
        'Waiting for network',
      );

      h.devServer.faults.clear();
      await context.setOffline(false);
      await waitForState(page, file.name, 'done');
      await expect(page.locator('#banner').isVisible()).resolves.toBe(false);
      // Each part stored once: what was acknowledged before going offline was kept.
      const acks = uploadParts(h, key).filter((e) => e.status === 200);
      expect(acks.map((e) => e.partNumber).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6]);
      const stored = await storedObject(h, key);
      expect(stored.sha256).toBe(file.sha256);
    } finally {
      h.devServer.faults.clear();
      await context.setOffline(false);
      await context.close();
    }
  });

  it('says so when the bucket’s CORS rule hides ETag', async () => {
    const file = await makeFile(join(h.dir, 'cors'), 'cors.bin', 12 * MiB);
    const { context, page } = await openPage(h);
    try {
      // Answer UploadPart as a bucket whose CORS rule exposes no headers would.
      await page.route(
        (url) => url.searchParams.has('partNumber'),
        async (route) => {
          if (route.request().method() !== 'PUT') return route.continue();
          const response = await route.fetch();
          const headers = { ...response.headers() };
          delete headers['access-control-expose-headers'];
          await route.fulfill({ response, headers });
        },
      );
      await pickFiles(page, [file]);
      await waitForState(page, file.name, 'failed');
      const data = await cardData(page, file.name);
      expect(data['errorKind']).toBe('cors');
      const message = await card(page, file.name).locator('.message').textContent();
      expect(message).toContain('ETag');
      expect(message).toContain('ExposeHeaders');
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await context.close();
    }
  });
});
