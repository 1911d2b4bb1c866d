import { expect } from 'vitest';
import { InfraConfigError } from '../../lib/infra-config-error.ts';

/** Runs `run`, which must throw an `InfraConfigError` (code `INVALID_INFRA_CONFIG`); returns it. */
export function configError(run: () => unknown): InfraConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InfraConfigError);
    expect((error as InfraConfigError).code).toBe('INVALID_INFRA_CONFIG');
    return error as InfraConfigError;
  }
  throw new Error('expected an InfraConfigError');
}
