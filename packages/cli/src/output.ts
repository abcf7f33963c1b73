/** Where the CLI writes, and in which mode. */
export interface OutputOptions {
  /** Where results go (`process.stdout`). */
  stdout: {
    /** Writes text as is. */
    write(s: string): unknown;
    /** A terminal: progress is drawn as a bar. */
    isTTY?: boolean;
    /** Terminal width. */
    columns?: number;
  };
  /** Where progress, warnings and errors go (`process.stderr`). */
  stderr: {
    /** Writes text as is. */
    write(s: string): unknown;
    /** A terminal: progress is drawn as a bar. */
    isTTY?: boolean;
    /** Terminal width. */
    columns?: number;
  };
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

/**
 * All CLI output goes through here so that `--json` (one JSON document per line on stdout, or
 * on stderr when stdout carries data), `--quiet` and `--verbose` behave the same in every
 * command, and so that a redaction pass can run over every line before it is written.
 */
export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly stdout: OutputOptions['stdout'];
  readonly stderr: OutputOptions['stderr'];
  private readonly secrets: string[] = [];
  /** Where results, JSON documents and errors go: stdout unless stdout carries data. */
  private results: OutputOptions['stdout'];

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.quiet = options.quiet;
    this.verbose = options.verbose;
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.results = options.stdout;
  }

  /**
   * Sends results, JSON documents and errors to stderr from now on: for a command whose
   * stdout carries data (`ossup get oss://b/k -`), where a JSON line would corrupt it.
   */
  keepStdoutForData(): void {
    this.results = this.stderr;
  }

  /** Registers a value that must never be printed (a secret, a token). */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.secrets.push(value);
  }

  /** Replaces registered secrets and signature-looking query values. */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out
      .replace(
        /((?:x-oss-signature|Signature|x-oss-security-token|security-token)=)[^&\s"']+/gi,
        '$1***',
      )
      .replace(/(Authorization:?\s*"?)(OSS4?-?[^"\n]*)/gi, '$1***');
  }

  /** A result line for people (suppressed by --quiet and --json). */
  info(text: string): void {
    if (this.quiet || this.json) return;
    this.results.write(`${this.redact(text)}\n`);
  }

  /** Data for people that is the command's actual result (suppressed only by --json). */
  result(text: string): void {
    if (this.json) return;
    this.results.write(`${this.redact(text)}\n`);
  }

  /** A JSON document (only with --json). */
  emit(doc: Record<string, unknown>): void {
    if (!this.json) return;
    this.results.write(
      `${this.redact(JSON.stringify(doc, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))}\n`,
    );
  }

  /** Detail for --verbose, on stderr. */
  debug(text: string): void {
    if (!this.verbose) return;
    this.stderr.write(`${this.redact(text)}\n`);
  }

  /** A warning on stderr (kept under --quiet: warnings matter). */
  warn(text: string): void {
    if (this.json) {
      this.stderr.write(`${this.redact(JSON.stringify({ type: 'warning', message: text }))}\n`);
      return;
    }
    this.stderr.write(`${this.redact(`warning: ${text}`)}\n`);
  }

  /** An error: one or two lines on stderr, or a JSON error document. */
  error(message: string, fields: Record<string, unknown> = {}): void {
    if (this.json) {
      this.results.write(`${this.redact(JSON.stringify({ type: 'error', message, ...fields }))}\n`);
      return;
    }
    this.stderr.write(`${this.redact(`ossup: ${message}`)}\n`);
  }
}
