import { checkLayout, type PartLayout, type PartRange, rangeAt } from './plan-parts.ts';
import { describeValue } from './validate.ts';

/** A CRC-64/XZ value as OSS reports it: unsigned decimal text (`"6571598172666981661"`) or a bigint. */
export type Crc64Value = string | bigint;

/** One part as ListParts reported it (all pages concatenated). */
export interface ListedPart {
  /** OSS part number. */
  readonly partNumber: number;
  /** Size in bytes (`<Size>`). */
  readonly size: number;
  /** ETag as listed, with or without the surrounding quotes. */
  readonly etag: string;
  /** `<HashCrc64ecma>`, when the server sent it. */
  readonly crc64?: Crc64Value | undefined;
}

/**
 * What a checkpoint remembers about a part it saw acknowledged. Only the fields present are
 * compared; other fields (size, timestamps…) are ignored, so checkpoint part records can be
 * passed as they are.
 */
export interface KnownPart {
  /** OSS part number. */
  readonly partNumber: number;
  /** ETag from the UploadPart response. */
  readonly etag?: string | undefined;
  /** CRC-64 from the UploadPart response (or computed locally). */
  readonly crc64?: Crc64Value | undefined;
}

/** Options of {@link reconcileParts}. */
export interface ReconcilePartsOptions {
  /** Parts the checkpoint knows as done. Default: none (decide on size alone). */
  readonly knownParts?: readonly KnownPart[];
}

/** A planned part the server already has; reuse its ETag in Complete. */
export interface KeptPart extends PartRange {
  /** ETag as the server listed it (pass it on to Complete unchanged). */
  readonly etag: string;
  /** CRC-64 as the server listed it, if it did. */
  readonly crc64: Crc64Value | undefined;
  /**
   * `true` when the checkpoint knew this part and its ETag/CRC-64 matched. `false` when the part
   * was kept on size alone (the checkpoint did not know it, e.g. a crash between the upload and
   * the checkpoint write); an uploader that wants certainty can compare the listed CRC-64 with
   * the CRC-64 of the local range before trusting it.
   */
  readonly checkpointMatched: boolean;
}

/** Why a listed part inside the plan cannot be kept. */
export type PartConflictReason = 'size' | 'etag' | 'crc64' | 'duplicate';

/** A listed part inside the plan that will be uploaded again (the new upload overwrites it). */
export interface PartConflict {
  /** OSS part number. */
  readonly partNumber: number;
  /**
   * `size`: listed size ≠ planned size (e.g. a checkpoint from another part size);
   * `etag` / `crc64`: differs from what the checkpoint recorded for this part;
   * `duplicate`: listed more than once with different contents (a pagination problem).
   */
  readonly reason: PartConflictReason;
  /** The planned range the part must hold. */
  readonly planned: PartRange;
  /** The listing entry (the first one, for `duplicate`). */
  readonly listed: ListedPart;
}

/** The result of {@link reconcileParts}. Every array is in ascending part number order. */
export interface PartReconciliation {
  /** Planned parts the server has with the right size (and matching checkpoint data). */
  readonly keep: readonly KeptPart[];
  /** Planned parts still to upload. `keep` and `upload` together hold every planned part once. */
  readonly upload: readonly PartRange[];
  /** Listed parts inside the plan that do not match; they are in `upload` too. */
  readonly conflicts: readonly PartConflict[];
  /**
   * Listed parts numbered above `partCount` (left over from a plan with more parts). They need
   * no action: Complete names only parts 1…partCount and OSS discards the rest.
   */
  readonly extra: readonly ListedPart[];
  /**
   * Part numbers inside the plan that the checkpoint knew but the server did not list. They are
   * in `upload`; many of them may mean the checkpoint belongs to another upload id.
   */
  readonly lost: readonly number[];
  /** Total bytes of `keep`: the resumed bytes a progress display starts from. */
  readonly keptBytes: number;
}

/**
 * Decides, on resume, which planned parts the server already has and which to upload.
 *
 * The server is the source of truth: a listed part is kept when its number is in
 * `1…partCount`, its size equals the planned size, it is listed once (or identically each time),
 * and — when the checkpoint knows the part — its ETag and CRC-64 equal the recorded ones (each
 * compared only when both sides have it; ETags without quotes and case-insensitively, CRC-64 as
 * numbers). Every other planned part goes to `upload`. Listed parts that fail are reported in
 * `conflicts`, parts beyond the plan in `extra`, checkpoint parts the server lacks in `lost`.
 *
 * Re-uploading a part number overwrites what the server holds, and Complete uses only the part
 * numbers it lists, so the uploader completes with `keep` ∪ (freshly uploaded parts), numbers
 * 1…partCount, and never has to delete anything.
 *
 * Pure and deterministic: the result depends only on the arguments, not on their order.
 *
 * @param layout the current plan (a {@link PartPlan} or just its {@link PartLayout}).
 * @param listedParts every part ListParts returned, all pages.
 * @throws TypeError if an entry of `listedParts` / `knownParts` is malformed (part number not a
 *   positive whole number, size not a non-negative whole number, ETag not a string).
 * @throws RangeError if the layout is inconsistent.
 */
export function reconcileParts(
  layout: PartLayout,
  listedParts: readonly ListedPart[],
  options: ReconcilePartsOptions = {},
): PartReconciliation {
  checkLayout(layout);
  if (!Array.isArray(listedParts)) {
    throw new TypeError(
      `listedParts must be an array of { partNumber, size, etag }, got ${describeValue(listedParts)}.`,
    );
  }
  const knownList = options.knownParts ?? [];
  if (!Array.isArray(knownList)) {
    throw new TypeError(
      `knownParts must be an array of { partNumber, etag?, crc64? }, got ${describeValue(knownList)}.`,
    );
  }

  const listedByNumber = new Map<number, ListedPart[]>();
  const extra: ListedPart[] = [];
  listedParts.forEach((part, index) => {
    checkListedPart(part, index);
    if (part.partNumber > layout.partCount) {
      extra.push(part);
      return;
    }
    const entries = listedByNumber.get(part.partNumber);
    if (entries === undefined) listedByNumber.set(part.partNumber, [part]);
    else entries.push(part);
  });

  const knownByNumber = new Map<number, KnownPart[]>();
  knownList.forEach((part, index) => {
    checkKnownPart(part, index);
    const entries = knownByNumber.get(part.partNumber);
    if (entries === undefined) knownByNumber.set(part.partNumber, [part]);
    else entries.push(part);
  });

  const keep: KeptPart[] = [];
  const upload: PartRange[] = [];
  const conflicts: PartConflict[] = [];
  const lost: number[] = [];
  let keptBytes = 0;

  for (let partNumber = 1; partNumber <= layout.partCount; partNumber++) {
    const planned = rangeAt(layout.size, layout.partSize, partNumber);
    const entries = listedByNumber.get(partNumber);
    const known = knownByNumber.get(partNumber) ?? [];
    if (entries === undefined) {
      if (known.length > 0) lost.push(partNumber);
      upload.push(planned);
      continue;
    }
    // Identical duplicates may differ in ETag spelling; pick one independently of input order.
    entries.sort(compareListed);
    const listed = entries[0]!;
    const reason = conflictReason(planned, entries, known);
    if (reason !== undefined) {
      conflicts.push(Object.freeze({ partNumber, reason, planned, listed }));
      upload.push(planned);
      continue;
    }
    keep.push(
      Object.freeze({
        ...planned,
        etag: listed.etag,
        crc64: listed.crc64,
        checkpointMatched: known.some(
          (k) => comparable(k.etag) || (k.crc64 !== undefined && listed.crc64 !== undefined),
        ),
      }),
    );
    keptBytes += planned.size;
  }

  extra.sort(compareListed);
  return Object.freeze({
    keep: Object.freeze(keep),
    upload: Object.freeze(upload),
    conflicts: Object.freeze(conflicts),
    extra: Object.freeze(extra),
    lost: Object.freeze(lost),
    keptBytes,
  });
}

function conflictReason(
  planned: PartRange,
  entries: readonly ListedPart[],
  known: readonly KnownPart[],
): PartConflictReason | undefined {
  const first = entries[0]!;
  if (entries.some((e) => !sameListing(e, first))) return 'duplicate';
  if (first.size !== planned.size) return 'size';
  for (const k of known) {
    if (comparable(k.etag) && normalizeEtag(k.etag) !== normalizeEtag(first.etag)) return 'etag';
  }
  for (const k of known) {
    if (
      k.crc64 !== undefined &&
      first.crc64 !== undefined &&
      normalizeCrc64(k.crc64) !== normalizeCrc64(first.crc64)
    ) {
      return 'crc64';
    }
  }
  return undefined;
}

function sameListing(a: ListedPart, b: ListedPart): boolean {
  return (
    a.size === b.size &&
    normalizeEtag(a.etag) === normalizeEtag(b.etag) &&
    (a.crc64 === undefined) === (b.crc64 === undefined) &&
    (a.crc64 === undefined || normalizeCrc64(a.crc64) === normalizeCrc64(b.crc64!))
  );
}

// An empty ETag carries no information (the reference oss-emulator sends one), so it is not
// compared rather than treated as a mismatch.
function comparable(etag: string | undefined): etag is string {
  return etag !== undefined && normalizeEtag(etag) !== '';
}

/** ETag without quotes (raw or still entity-encoded) and upper-cased, as OSS compares them. */
function normalizeEtag(etag: string): string {
  return etag
    .trim()
    .replace(/^(?:"|&quot;|&#34;)/i, '')
    .replace(/(?:"|&quot;|&#34;)$/i, '')
    .toUpperCase();
}

/** CRC-64 as canonical decimal text, so "0123", "123" and 123n compare equal. */
function normalizeCrc64(crc: Crc64Value): string {
  if (typeof crc === 'bigint') return crc.toString();
  const text = crc.trim();
  return /^\d+$/.test(text) ? BigInt(text).toString() : text;
}

function compareListed(a: ListedPart, b: ListedPart): number {
  return (
    a.partNumber - b.partNumber ||
    a.size - b.size ||
    compareText(a.etag, b.etag) ||
    compareText(crcText(a.crc64), crcText(b.crc64))
  );
}

function crcText(crc: Crc64Value | undefined): string {
  return crc === undefined ? '' : typeof crc === 'bigint' ? `n${crc}` : `s${crc}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkListedPart(part: ListedPart, index: number): void {
  const where = `listedParts[${index}]`;
  if (typeof part !== 'object' || part === null) {
    throw new TypeError(`${where} must be { partNumber, size, etag }, got ${describeValue(part)}.`);
  }
  checkPartNumber(where, part.partNumber);
  if (typeof part.size !== 'number' || !Number.isSafeInteger(part.size) || part.size < 0) {
    throw new TypeError(
      `${where}.size must be a non-negative whole number of bytes, got ${describeValue(part.size)}.`,
    );
  }
  if (typeof part.etag !== 'string') {
    throw new TypeError(`${where}.etag must be a string, got ${describeValue(part.etag)}.`);
  }
  checkCrc64(where, part.crc64);
}

function checkKnownPart(part: KnownPart, index: number): void {
  const where = `knownParts[${index}]`;
  if (typeof part !== 'object' || part === null) {
    throw new TypeError(
      `${where} must be { partNumber, etag?, crc64? }, got ${describeValue(part)}.`,
    );
  }
  checkPartNumber(where, part.partNumber);
  if (part.etag !== undefined && typeof part.etag !== 'string') {
    throw new TypeError(`${where}.etag must be a string, got ${describeValue(part.etag)}.`);
  }
  checkCrc64(where, part.crc64);
}

function checkPartNumber(where: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(
      `${where}.partNumber must be a whole number ≥ 1, got ${describeValue(value)}.`,
    );
  }
}

function checkCrc64(where: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string' && typeof value !== 'bigint') {
    throw new TypeError(
      `${where}.crc64 must be decimal text or a bigint, got ${describeValue(value)}.`,
    );
  }
}
