import { randomBytes } from 'node:crypto';

// 12 random bytes per 4 KiB pool refill: ids are unique and cheap to make.
let pool = Buffer.alloc(0);
let offset = 0;

/** A new request id: 24 upper-case hex characters, like OSS's `x-oss-request-id`. */
export function newRequestId(): string {
  if (offset + 12 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + 12).toUpperCase();
  offset += 12;
  return id;
}
