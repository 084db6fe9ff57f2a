/** Longest piece spoken in one go: a text without full stops still reports progress as it goes. */
export const maxSentenceLength = 400;

// A sentence ends at . ! ? or … (and any closing quotes or brackets) before a space, or at a CJK full stop.
const sentenceEnd = /[.!?…]+["'”’»)\]]*(?=\s)|[。！？]+["'”’」』)\]]*/g;

/**
 * The sentences of a text, in order, as they are spoken one at a time.
 * Paragraphs (blank lines) always break; single line breaks and runs of
 * spaces are one space; a piece longer than `maxSentenceLength` is cut at
 * its last comma, semicolon or colon before the limit, else at a space.
 * Pieces with no letter or digit (a lone "…") are left out: there is
 * nothing to say.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const flat = paragraph.replace(/\s+/g, " ").trim();
    let start = 0;
    for (const match of flat.matchAll(sentenceEnd)) {
      const end = match.index + match[0].length;
      pushPieces(sentences, flat.slice(start, end));
      start = end;
    }
    pushPieces(sentences, flat.slice(start));
  }
  return sentences;
}

/** True when a text has something to say (a letter or a digit). */
export function hasSpeech(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

function pushPieces(into: string[], sentence: string): void {
  let rest = sentence.trim();
  while (rest.length > maxSentenceLength) {
    const window = rest.slice(0, maxSentenceLength);
    let cut = Math.max(window.lastIndexOf(", "), window.lastIndexOf("; "), window.lastIndexOf(": ")) + 1;
    if (cut <= maxSentenceLength / 4) cut = window.lastIndexOf(" ");
    if (cut <= 0) cut = maxSentenceLength;
    const piece = rest.slice(0, cut).trim();
    if (hasSpeech(piece)) into.push(piece);
    rest = rest.slice(cut).trim();
  }
  if (hasSpeech(rest)) into.push(rest);
}
