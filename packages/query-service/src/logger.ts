import { Logger } from '@aws-lambda-powertools/logger';
import type { RouterLog } from './http-router.ts';

/**
 * Structured JSON logs (Powertools Logger): one object per line with level, service, timestamp and
 * the fields given, so a request id can be followed across coordinator, tree nodes and processors.
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
