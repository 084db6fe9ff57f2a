/** A handler module that could not be loaded: the worker stops at start with this line. */
export class HandlerLoadError extends Error {
  constructor(
    readonly type: string,
    cause: unknown,
  ) {
    super(`the handler of job type ${type} could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "HandlerLoadError";
  }
}
