import { createBrowserClient } from '@ossup/browser';
import type { OssClient, RemoteSignRequest, RetryInfo } from '@ossup/client';
import { CredentialsFetchError, SignRefusedError } from './describe-error.ts';
import type { AuthMode, PageConfig } from './protocol.ts';

/** What {@link makeClient} needs: the backend's settings and how to authorise. */
export interface ClientSetup {
  config: PageConfig;
  mode: AuthMode;
  /** Origin of the backend, e.g. `http://127.0.0.1:5173`. */
  apiBase: string;
}

async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // Not JSON: the status says enough.
  }
  return `HTTP ${response.status}`;
}

function retryNote(info: RetryInfo): string {
  const e = info.error as { status?: number; code?: string };
  const why = e.status === undefined ? 'a network error' : `${e.status} ${e.code ?? ''}`.trim();
  return `${info.operation} failed with ${why}; retrying in ${(info.delayMs / 1000).toFixed(1)} s.`;
}

/**
 * An OSS client that never sees the long-term key: in `sts` mode it signs with short-lived
 * credentials from the backend's `/api/sts` (refreshed before they expire, and at once when
 * OSS says they expired); in `signer` mode the backend's `/api/sign` signs every request.
 * `createBrowserClient` sends bodies through XHR, for byte-level upload progress.
 *
 * @param notify - receives short notes for the user (retries, credential refreshes)
 */
export function makeClient(setup: ClientSetup, notify: (text: string) => void): OssClient {
  const { config, mode, apiBase } = setup;
  const common = {
    endpoint: config.endpoint,
    region: config.region,
    signatureVersion: config.signatureVersion,
    onRetry: (info: RetryInfo) => notify(retryNote(info)),
  };
  if (mode === 'signer') {
    return createBrowserClient({
      ...common,
      signer: async (request: RemoteSignRequest) => {
        let response: Response;
        try {
          response = await postJson(`${apiBase}/api/sign`, request);
        } catch (cause) {
          throw new SignRefusedError(0, `Could not reach the backend to sign (${String(cause)}).`);
        }
        if (!response.ok) throw new SignRefusedError(response.status, await errorText(response));
        return (await response.json()) as { headers: Record<string, string> };
      },
    });
  }
  let fetched = 0;
  return createBrowserClient({
    ...common,
    // Refresh before expiry: a minute early, or a quarter of the lifetime for short ones.
    refreshMarginMs: Math.min(60_000, config.stsDurationSeconds * 250),
    credentialsProvider: async () => {
      let response: Response;
      try {
        response = await postJson(`${apiBase}/api/sts`, {});
      } catch (cause) {
        throw new CredentialsFetchError(
          undefined,
          `The backend could not be reached (${String(cause)}).`,
        );
      }
      if (!response.ok) {
        throw new CredentialsFetchError(response.status, await errorText(response));
      }
      const body = (await response.json()) as {
        accessKeyId: string;
        accessKeySecret: string;
        securityToken: string;
        expiration: string;
      };
      if (++fetched > 1) notify('Fetched fresh upload credentials.');
      return {
        accessKeyId: body.accessKeyId,
        accessKeySecret: body.accessKeySecret,
        securityToken: body.securityToken,
        expiration: new Date(body.expiration),
      };
    },
  });
}
