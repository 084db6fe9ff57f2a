import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";

/**
 * A GET (or a form-encoded POST) whose `variables` or `extensions`
 * parameter is not JSON answers 400 BAD_REQUEST, as yoga answers a POST body
 * that is not JSON; yoga's parser lets JSON.parse's SyntaxError escape, and
 * that would be an internal error.
 */
export function useQueryParamsJsonError(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw new GraphQLError(`A request parameter (variables, extensions) is not valid JSON: ${error.message}`, { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
        }
      });
    },
  };
}
