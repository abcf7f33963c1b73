import { describe, expect, it } from 'vitest';
import { readXmlBody } from './read-xml-body.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';

function streamOf(chunks: Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index];
      index += 1;
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel() {
      onCancel?.();
    },
  });
}

async function* iterableOf(chunks: Uint8Array[], onReturn: () => void): AsyncGenerator<Uint8Array> {
  try {
    for (const chunk of chunks) yield chunk;
  } finally {
    onReturn();
  }
}

const encoder = new TextEncoder();

describe('readXmlBody', () => {
  it('reads a stream, joining UTF-8 split across chunks and dropping a BOM', async () => {
    const bytes = encoder.encode('\uFEFF<Key>中文🙂</Key>');
    const chunks = Array.from(bytes, (byte) => new Uint8Array([byte]));
    expect(await readXmlBody(streamOf(chunks))).toBe('<Key>中文🙂</Key>');
  });

  it('reads a Response, and an empty or null body as an empty string', async () => {
    expect(await readXmlBody(new Response('<A/>'))).toBe('<A/>');
    expect(await readXmlBody(new Response(null))).toBe('');
    expect(await readXmlBody(null)).toBe('');
    expect(await readXmlBody(undefined)).toBe('');
  });

  it('stops as soon as the limit is passed and cancels the stream', async () => {
    let cancelled = false;
    let pulled = 0;
    const chunk = new Uint8Array(1024).fill(0x61);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await readXmlBody(endless, { maxBytes: 10 * 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XmlProtocolError);
    expect((error as XmlProtocolError).kind).toBe('too-large');
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(20);
  });

  it('refuses a Response whose Content-Length is over the limit without reading it', async () => {
    const response = new Response('x'.repeat(100), { headers: { 'content-length': '100' } });
    await expect(readXmlBody(response, { maxBytes: 99 })).rejects.toThrow(XmlProtocolError);
  });

  it('reads an async iterable of bytes (a Node request) and closes it on overflow', async () => {
    let closed = false;
    const small = iterableOf([encoder.encode('<A>'), encoder.encode('</A>')], () => {});
    expect(await readXmlBody(small)).toBe('<A></A>');
    const big = iterableOf([new Uint8Array(8), new Uint8Array(8), new Uint8Array(8)], () => {
      closed = true;
    });
    await expect(readXmlBody(big, { maxBytes: 12 })).rejects.toThrow(
      'larger than the 12-byte limit',
    );
    expect(closed).toBe(true);
  });

  it('accepts a body exactly at the limit', async () => {
    expect(await readXmlBody(streamOf([encoder.encode('12345')]), { maxBytes: 5 })).toBe('12345');
  });
});
