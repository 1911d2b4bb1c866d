/**
 * A stack property, a CDK context value or a local index manifest that the squash stack cannot
 * use. Thrown during synthesis, before anything is deployed. `code` is stable: callers check it
 * rather than the message.
 */
export class InfraConfigError extends Error {
  readonly code = 'INVALID_INFRA_CONFIG';
  /** The property, context key or file the problem is in. */
  readonly field: string;

  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfraConfigError';
    this.field = field;
  }
}
