export type {
  HandlerTelemetry,
  InvocationOptions,
  LambdaInvocationContext,
  TraceAnnotations,
} from './invocation.ts';
export { instrumentInvocation } from './invocation.ts';
export { createTracer, tracedLambdaInvoker } from './tracer.ts';
