import { GraphQLError, getOperationAST, type DocumentNode, type ExecutionResult } from "graphql";
import type { Logger } from "pino";
import { handleStreamOrSingleExecutionResult, type Plugin } from "graphql-yoga";
import { rootCause } from "../../observability/root-cause.js";

/** What this plugin reads from a request's context (set by the gateway). */
export interface RequestScope {
  requestId?: string;
  log?: Logger;
  /** The caller, once the operation has asked who it is (see GraphQLContext). */
  knownViewer?: () => { user: { id: string } } | null;
}

const unexpectedErrorMessage = "Unexpected error.";

/** A GraphQLError or a subclass of one (Pothos's PothosValidationError, scope-auth's ForbiddenError). */
function isGraphQLError(error: unknown): error is GraphQLError {
  if (error instanceof GraphQLError) return true;
  // graphql may be loaded twice (CJS and ESM, see vitest.config.ts): the other copy's errors fail instanceof,
  // so they are known by name, as envelop does, or by the tag graphql gives GraphQLError and its subclasses.
  return error instanceof Error && (error.name === "GraphQLError" || Object.prototype.toString.call(error) === "[object GraphQLError]");
}

/** Thrown on purpose (a GraphQLError all the way down), not a bug or an outage. */
function isExpected(error: GraphQLError): boolean {
  const cause = error.originalError;
  return cause == null || (isGraphQLError(cause) && isExpected(cause));
}

const toGraphQLError = (error: unknown): GraphQLError => (isGraphQLError(error) ? error : new GraphQLError(String(error), { originalError: error as Error }));

/**
 * Every error of a result gets an `extensions.code`. An unexpected one (a
 * database error, a bug) is logged at error level with its full cause, the
 * request id and the operation name, and answered with the same request
 * id; in production its message is replaced by "Unexpected error." and its
 * other extensions are dropped. Runs before yoga's own masking, which then
 * finds nothing left to mask. An unexpected error thrown while parsing or
 * validating is answered the same way, with HTTP status 500; this plugin
 * must come after the others that wrap parse or validate, so its wrappers
 * see what theirs let through.
 */
export function useErrorMasking(deps: { production: boolean; log: Logger }): Plugin<RequestScope> {
  const maskUnexpected = (scope: RequestScope, error: GraphQLError, operationName: string | null, extensions: Record<string, unknown> = {}): GraphQLError => {
    const requestId = scope.requestId;
    const log = scope.log ?? deps.log.child({ requestId });
    // The deepest cause is the one worth reading (a driver's error, not the wrappers around it).
    log.error({ err: rootCause(error), operationName, path: error.path, userId: scope.knownViewer?.()?.user.id }, "unexpected error");
    return deps.production
      ? withExtensions(error, unexpectedErrorMessage, { ...extensions, code: "INTERNAL_SERVER_ERROR", requestId })
      : withExtensions(error, error.message, { ...error.extensions, ...extensions, code: "INTERNAL_SERVER_ERROR", requestId });
  };

  const handle = (scope: RequestScope, document: DocumentNode, operationName: string | null | undefined) => {
    const mask = (error: GraphQLError): GraphQLError => {
      if (isExpected(error)) {
        if (error.extensions?.code !== undefined) return error;
        // Uncoded errors of graphql itself are about the request: variables, arguments.
        return withExtensions(error, error.message, { ...error.extensions, code: "BAD_USER_INPUT" });
      }
      return maskUnexpected(scope, error, operationName ?? getOperationAST(document, operationName)?.name?.value ?? null);
    };
    return ({ result, setResult }: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }) => {
      if (result.errors?.length) setResult({ ...result, errors: result.errors.map((error) => mask(toGraphQLError(error))) });
    };
  };
  // Parse and validate throw; yoga would mask what they throw without a request id.
  const guarded =
    <Args extends unknown[], Result>(scope: RequestScope & { params?: { operationName?: string | null } }, phase: (...args: Args) => Result) =>
    (...args: Args): Result => {
      try {
        return phase(...args);
      } catch (error) {
        if (isGraphQLError(error) && isExpected(error)) throw error;
        throw maskUnexpected(scope, toGraphQLError(error), scope.params?.operationName ?? null, { http: { status: 500 } });
      }
    };

  return {
    onParse({ context, parseFn, setParseFn }) {
      setParseFn(guarded(context, parseFn));
    },
    onValidate({ context, validateFn, setValidationFn }) {
      setValidationFn(guarded(context, validateFn));
    },
    onExecute({ args }) {
      const onResult = handle(args.contextValue, args.document, args.operationName);
      return { onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, onResult) };
    },
    onSubscribe({ args }) {
      const onResult = handle(args.contextValue, args.document, args.operationName);
      return {
        onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, onResult),
        onSubscribeError({ error, setError }) {
          let masked: ExecutionResult = { errors: [toGraphQLError(error)] };
          onResult({ result: masked, setResult: (result) => (masked = result) });
          setError(masked.errors![0]);
        },
      };
    },
  };
}

function withExtensions(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}
