/** What identifies one resumable upload: the same source going to the same place. */
export interface CheckpointIdInput {
  /** Source fingerprint (see {@link CheckpointSource.fingerprint}). */
  fingerprint: string;
  /** Endpoint origin. */
  endpoint: string;
  /** Bucket name. */
  bucket: string;
  /** Object key. */
  key: string;
}

/**
 * Derives a stable checkpoint id from the source and the target: the hex SHA-256 of the four
 * fields. Running the same upload again finds the same checkpoint; a different file, bucket,
 * key or endpoint gets another one. The id is safe as a file name and reveals neither path
 * nor key.
 */
export async function checkpointId(input: CheckpointIdInput): Promise<string> {
  // A separator that cannot appear in any of the fields keeps ("a","bc") apart from ("ab","c").
  const text = [input.fingerprint, input.endpoint, input.bucket, input.key].join('\u0000');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
