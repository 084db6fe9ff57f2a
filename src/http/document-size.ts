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
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
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

/** Runs `checkDocumentSize` on every document before it is parsed (or found in the parse cache). */
export function useDocumentSizeLimit(maxTokens: number): Plugin {
  return {
    onParse({ params }) {
      checkDocumentSize(params.source, maxTokens);
    },
  };
}
