/** What a `Range` header asks of a file of `size` bytes (RFC 9110 §14). */
export type ByteRangeRequest =
  /** No range, or one the server may ignore (not bytes, malformed, several ranges): the whole file, 200. */
  | { kind: "whole" }
  /** One range, `start` to `end` inclusive, both within the file: 206. */
  | { kind: "range"; start: number; end: number }
  /** A well-formed range that starts past the end (or a suffix of an empty file): 416. */
  | { kind: "unsatisfiable" };

const single = /^bytes[ \t]*=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)[ \t]*$/i;

/**
 * Reads one `bytes=first-last`, `bytes=first-` or `bytes=-suffix` range.
 * Several ranges at once are answered with the whole file (a server may
 * ignore Range, and multipart/byteranges is rarely wanted by players); a
 * `last` past the end is cut to the end.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRangeRequest {
  if (header === undefined) return { kind: "whole" };
  const match = single.exec(header.trim());
  if (!match) return { kind: "whole" };
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return { kind: "whole" };
  // More digits than a number holds exactly: past the end of any file.
  const number = (digits: string) => (digits.length > 15 ? Infinity : Number(digits));
  if (first === "") {
    const suffix = number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "range", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = number(first);
  const end = last === "" ? size - 1 : number(last);
  if (last !== "" && end < start) return { kind: "whole" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "range", start, end: Math.min(end, size - 1) };
}
