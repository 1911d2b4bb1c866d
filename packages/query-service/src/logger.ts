import { Logger } from '@aws-lambda-powertools/logger';
import type { RouterLog } from './http-router.ts';

/**
 * Structured JSON logs (Powertools Logger): one object per line with level, service, timestamp and
 * the fields given, so a request id can be followed across coordinator, tree nodes and processors.
 *
 * The services log through the instance they are given; the Lambda handlers add, per invocation,
 * the Lambda context (`function_name`, `function_request_id`, `cold_start`, ...) and the tree
 * `requestId` as keys of every line (`instrumentInvocation` in functions/telemetry), so a service
 * need not repeat them. Under Lambda each line also carries `xray_trace_id`.
 */
export function createLogger(serviceName: string, logLevel: 'debug' | 'info' | 'warn' | 'error'): Logger {
  return new Logger({ serviceName, logLevel: logLevel.toUpperCase() as 'INFO' });
}

export function routerLog(logger: Logger): RouterLog {
  return {
    info: (message, fields) => logger.info(message, fields),
    error: (message, fields) => logger.error(message, fields),
  };
}
