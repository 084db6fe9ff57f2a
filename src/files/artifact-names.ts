/** Longest artifact name, in UTF-8 bytes: with the store's temporary suffix it stays under a file system's 255. */
export const maxArtifactNameBytes = 200;

export class InvalidArtifactNameError extends Error {
  constructor(name: string, reason: string) {
    super(`artifact name ${JSON.stringify(name.slice(0, 100))} ${reason}`);
    this.name = "InvalidArtifactNameError";
  }
}

// Control characters, and what Windows, macOS or a shell would trip on. Path separators are among them.
const unsafeCharacters = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;

/**
 * The name an artifact is stored and shown under: a plain file name. Path
 * separators and characters file systems refuse become `_` (so `a/b.txt`
 * is `a_b.txt`, never a directory), surrounding spaces go, and Unicode is
 * in NFC (one spelling per name). Throws for a name that is empty, `.` or
 * `..` once cleaned, or longer than maxArtifactNameBytes.
 */
export function sanitizeArtifactName(name: string): string {
  const clean = name.normalize("NFC").replace(unsafeCharacters, "_").trim();
  if (clean === "" || /^\.+$/.test(clean)) throw new InvalidArtifactNameError(name, "is not a file name");
  if (Buffer.byteLength(clean, "utf8") > maxArtifactNameBytes) throw new InvalidArtifactNameError(name, `is longer than ${maxArtifactNameBytes} bytes`);
  return clean;
}

/** Where an attempt's artifact is kept in the store: its job and attempt, then its (sanitised) name. */
export function artifactKey(jobId: string, attempt: number, name: string): string {
  return `jobs/${jobId}/${attempt}/${name}`;
}

// type/subtype with optional parameters, as RFC 9110 spells a media type (its tokens, roughly).
const mediaType = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;\s*[a-z0-9!#$&^_.+-]+=("[^"\\\r\n]*"|[a-z0-9!#$&^_.+-]+))*$/i;

/** The content type as given (trimmed), or an error if it is not a media type. */
export function checkContentType(contentType: string): string {
  const trimmed = contentType.trim();
  if (trimmed.length > 200 || !mediaType.test(trimmed)) throw new Error(`content type ${JSON.stringify(contentType.slice(0, 100))} is not a media type such as audio/ogg`);
  return trimmed;
}

/**
 * `inline` for audio, video and raster images, so a link plays or shows in a
 * browser and in players; `attachment` for everything else (HTML, SVG and
 * other documents that could run script are saved, not rendered). The name
 * is given twice: `filename*` in UTF-8 (RFC 6266, 8187) for current clients,
 * `filename` in ASCII for old ones.
 */
export function contentDisposition(name: string, contentType: string): string {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  const inline = /^(audio|video)\//.test(type) || (type.startsWith("image/") && type !== "image/svg+xml");
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%]/g, "_");
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

function encodeRfc8187(value: string): string {
  // encodeURIComponent leaves ' ( ) * ! unescaped; RFC 8187's attr-char does not allow ' ( ) *.
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
