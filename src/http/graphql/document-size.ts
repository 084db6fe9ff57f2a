import { GraphQLError, Lexer, Source, TokenKind } from "graphql";
import type { Plugin } from "graphql-yoga";

// Brackets, braces and parentheses open at once; far above any real document
// (selections are held to MAX_QUERY_DEPTH anyway), far below what the
// recursive parser can descend before the stack runs out (under 2,000).
const maxNesting = 128;

const opening = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const closing = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Checks a document's size before it is parsed, with a flat pass of the
 * lexer: more than `maxTokens` tokens is QUERY_TOO_LARGE, nesting deeper
 * than 128 is QUERY_TOO_DEEP. Neither the parser nor graphql-armor's
 * max-tokens (which counts while the parser recurses) can do this: ten
 * thousand `[` overflow the stack before the count is reached. The pass
 * stops at the limit, so it costs at most `maxTokens` tokens.
 */
export function checkDocumentSize(document: string | Source, maxTokens: number): void {
  const lexer = new Lexer(typeof document === "string" ? new Source(document) : document);
  let tokens = 0;
  let depth = 0;
  let deepest = 0;
  const next = () => {
    try {
      return lexer.advance();
    } catch (error) {
      throw error instanceof GraphQLError ? parseFailed(error) : error;
    }
  };
  for (let token = next(); token.kind !== TokenKind.EOF; token = next()) {
    if (++tokens > maxTokens) {
      throw new GraphQLError(`Token limit of ${maxTokens} exceeded.`, { extensions: { code: "QUERY_TOO_LARGE", http: { status: 400 } } });
    }
    if (opening.has(token.kind)) deepest = Math.max(deepest, ++depth);
    else if (closing.has(token.kind)) depth--;
  }
  if (deepest > maxNesting) {
    throw new GraphQLError(`Nesting limit of ${maxNesting} exceeded, found ${deepest}.`, { extensions: { code: "QUERY_TOO_DEEP", http: { status: 400 } } });
  }
}

// Yoga codes the parser's syntax errors in an onParse hook that a throw from this one never
// reaches: the lexer's own (an unterminated string, NUL, a lone surrogate) get yoga's code and status here.
function parseFailed(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code: "GRAPHQL_PARSE_FAILED", http: { spec: true, status: 400 } },
  });
}

/**
 * Runs `checkDocumentSize` on every document the parser is given; one found
 * in the parse cache passed it when it was parsed, so a repeated query is
 * not lexed again. A stack overflow while parsing what passed is the
 * document's shape, answered QUERY_TOO_COMPLEX rather than an internal error.
 */
export function useDocumentSizeLimit(maxTokens: number): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        checkDocumentSize(source, maxTokens);
        try {
          return parseFn(source, options);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          throw new GraphQLError("The document is too complex to parse.", { extensions: { code: "QUERY_TOO_COMPLEX", http: { status: 400 } } });
        }
      });
    },
  };
}
