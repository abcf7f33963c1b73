import { hasSignature, type VerifyFailure, verifyRequest } from '@ossup/signer';
import { accessDeniedAnonymous } from '../error-codes.ts';
import { OssError } from '../errors.ts';
import type { RequestContext } from './context.ts';
import type { ServerState } from './state.ts';

function failureToError(f: VerifyFailure): OssError {
  const extra: Record<string, string> = {};
  const put = (name: string, v: string | undefined) => {
    if (v !== undefined) extra[name] = v;
  };
  put('OSSAccessKeyId', f.accessKeyId);
  put('SignatureProvided', f.signatureProvided);
  put('StringToSign', f.stringToSign);
  put('StringToSignBytes', f.stringToSignBytes);
  put('CanonicalRequest', f.canonicalRequest);
  put('ArgumentName', f.argumentName);
  put('ArgumentValue', f.argumentValue);
  put('RequestTime', f.requestTime);
  put('ServerTime', f.serverTime);
  put('Expires', f.expiresAt?.toISOString());
  return new OssError(f.httpStatus, f.code, f.message, extra, f.ec);
}

/**
 * Checks the request's signature (V1 or V4, header or presigned) with @ossup/signer, and STS
 * expiry for temporary keys. Anonymous requests pass only in anonymous mode. Throws the OSS
 * error to answer with.
 */
export async function authenticate(state: ServerState, ctx: RequestContext): Promise<void> {
  const query = ctx.query.params.map((p): [string, string] => [p.name, p.value ?? '']);
  const request = {
    method: ctx.method,
    bucket: ctx.bucket,
    key: ctx.key,
    query,
    headers: ctx.headers,
  };
  if (!hasSignature(request)) {
    if (state.anonymous) return;
    throw accessDeniedAnonymous();
  }
  const now = state.now();
  const result = await verifyRequest(request, {
    region: state.region,
    now,
    maxSkewMs: state.limits.maxClockSkewSeconds * 1000,
    lookupCredentials: async (id) => {
      const found = state.credentials.lookup(id, now);
      if (found.kind === 'permanent') return { accessKeySecret: found.secret };
      if (found.kind === 'temporary') {
        return { accessKeySecret: found.secret, securityToken: found.securityToken };
      }
      return undefined;
    },
  });
  if (!result.ok) throw failureToError(result);
  const found = state.credentials.lookup(result.accessKeyId, now);
  if (found.kind === 'temporary' && now > found.expiresAt) {
    throw new OssError(
      403,
      'SecurityTokenExpired',
      'The security token you provided has expired.',
      { OSSAccessKeyId: result.accessKeyId },
      '0002-00000049',
    );
  }
}
