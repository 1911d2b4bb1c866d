import { InfraConfigError } from './infra-config-error.ts';

/**
 * Checks shared by the props resolvers. Each throws `InfraConfigError` naming the property, the
 * value received and what is allowed.
 */

export function integerIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InfraConfigError(
      field,
      `${field} is ${String(value)}; expected an integer from ${min} to ${max}`,
    );
  }
  return value;
}

export function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InfraConfigError(
      field,
      `${field} is ${JSON.stringify(value)}; expected one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}
