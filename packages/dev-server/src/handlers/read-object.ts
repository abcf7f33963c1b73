import { createReadStream } from 'node:fs';
import type { Segment } from '../storage/records.ts';

/**
 * Yields the bytes [start, end) of an object made of `segments`, reading each data file
 * with large sequential reads. The caller pins the segments for the duration.
 */
export async function* readObjectRange(
  dataPath: (id: string) => string,
  segments: readonly Segment[],
  start: number,
  end: number,
): AsyncGenerator<Buffer> {
  let offset = 0;
  for (const seg of segments) {
    const segStart = offset;
    const segEnd = offset + seg.size;
    offset = segEnd;
    if (segEnd <= start || seg.size === 0) continue;
    if (segStart >= end) break;
    const from = Math.max(start, segStart) - segStart;
    const to = Math.min(end, segEnd) - segStart; // exclusive
    const stream = createReadStream(dataPath(seg.id), {
      start: from,
      end: to - 1,
      highWaterMark: 1 << 20,
    });
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } finally {
      stream.destroy();
    }
  }
}
