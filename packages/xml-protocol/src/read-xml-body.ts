import { makeExcerpt } from './excerpt.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from './limits.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';

/** Options for {@link readXmlBody}. */
export interface ReadXmlBodyOptions {
  /**
   * Largest body read, in bytes; reading stops (and the stream is cancelled) as soon as it is
   * passed. Default {@link DEFAULT_MAX_RESPONSE_BYTES} (20 MiB). Use the same value you pass
   * to the parser.
   */
  maxBytes?: number;
}

/** Anything {@link readXmlBody} can read. */
export type XmlBodySource =
  | Response
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | null
  | undefined;

function tooLarge(maxBytes: number, head: Uint8Array | undefined): XmlProtocolError {
  const excerpt =
    head === undefined ? '' : makeExcerpt(new TextDecoder().decode(head.subarray(0, 1024)));
  return new XmlProtocolError(
    'too-large',
    `The body is larger than the ${maxBytes}-byte limit; stopped reading it. Raise maxBytes only if such a body is expected.`,
    { excerpt },
  );
}

function isReadableStream(source: object): source is ReadableStream<Uint8Array> {
  return typeof (source as { getReader?: unknown }).getReader === 'function';
}

function isResponse(source: object): source is Response {
  return typeof Response !== 'undefined' && source instanceof Response;
}

/**
 * Reads a body into a string without ever holding more than `maxBytes` of it, so that a
 * 50 MB error page or a hostile request costs at most the limit. Decodes UTF-8 (a BOM is
 * dropped; invalid bytes become U+FFFD). Feed the result to a `parseX` function.
 *
 * Accepts a fetch `Response` (its `Content-Length` is checked first), a web
 * `ReadableStream`, or any async iterable of bytes such as a Node `IncomingMessage`.
 * When the limit is passed the stream is cancelled (an async iterator is closed, which
 * destroys a Node stream); the caller should then fail the request or close the connection.
 *
 * ```ts
 * const text = await readXmlBody(response, { maxBytes: DEFAULT_MAX_RESPONSE_BYTES });
 * const page = parseListPartsResult(text);
 * ```
 *
 * @throws XmlProtocolError kind `'too-large'` when the body is over `maxBytes`
 */
export async function readXmlBody(
  source: XmlBodySource,
  options: ReadXmlBodyOptions = {},
): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (source === null || source === undefined) return '';
  let stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  if (isResponse(source)) {
    const declared = Number(source.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await source.body?.cancel().catch(() => undefined);
      throw tooLarge(maxBytes, undefined);
    }
    if (source.body === null) return '';
    stream = source.body;
  } else {
    stream = source;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const take = (chunk: Uint8Array): boolean => {
    total += chunk.byteLength;
    if (total > maxBytes) return false;
    chunks.push(chunk);
    return true;
  };
  if (isReadableStream(stream)) {
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!take(value)) {
          await reader.cancel().catch(() => undefined);
          throw tooLarge(maxBytes, chunks[0] ?? value);
        }
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const value of stream) {
      // Leaving the loop closes the iterator, which destroys a Node stream.
      if (!take(value)) throw tooLarge(maxBytes, chunks[0] ?? value);
    }
  }
  const decoder = new TextDecoder('utf-8');
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
