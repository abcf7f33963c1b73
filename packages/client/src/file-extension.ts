/**
 * The extension of the last segment of a key or file name, lower-cased and without its dot;
 * `undefined` when there is none (`backup`, `dir.v2/backup`, `trailing.`) or the name is a dot
 * file such as `.env`.
 */
export function extensionOf(name: string): string | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 || dot === base.length - 1 ? undefined : base.slice(dot + 1).toLowerCase();
}
