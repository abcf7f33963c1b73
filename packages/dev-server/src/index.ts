export type { ParsedDevServerArgs } from './cli-args.ts';
export { DEV_SERVER_USAGE, defaultDataDir, parseDevServerArgs } from './cli-args.ts';
export type {
  AccessKey,
  IssueTemporaryCredentialsOptions,
  TemporaryCredentials,
} from './credentials.ts';
export { DEFAULT_ACCESS_KEY } from './credentials.ts';
export type { FaultAction, FaultMatch, FaultRule, FaultSpec, FaultTarget } from './faults.ts';
export { Faults, InvalidFaultError } from './faults.ts';
export { DEFAULT_CORS_ORIGINS } from './http/cors.ts';
export type { DevServerLimits } from './limits.ts';
export { DEFAULT_LIMITS } from './limits.ts';
export type { OperationName } from './operations.ts';
export { OPERATION_NAMES } from './operations.ts';
export type { DevServerOptions } from './options.ts';
export type { RequestLogEntry, RequestLogFilter } from './request-log.ts';
export { RequestLog } from './request-log.ts';
export type { DevServerCliIo } from './run-cli.ts';
export { runDevServerCli } from './run-cli.ts';
export type { DevServer } from './start-dev-server.ts';
export { startDevServer } from './start-dev-server.ts';
export { DataDirInUseError } from './storage/disk-store.ts';
