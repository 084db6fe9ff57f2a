/**
 * Pure helpers for an upload field: which files it takes, what a refused
 * upload says, and which upload a tus URL names. No DOM, no I/O.
 */

/** A content type's essence (`type/subtype`, lowercase, no parameters); "" when it has none. */
export const essenceOf = (contentType: string) => contentType.split(";", 1)[0]!.trim().toLowerCase();

/** Whether a file of `contentType` fits `accept` (`type/subtype`, `type/*` or `*\/*`), as the gateway matches them at submit. */
export function acceptsType(accept: readonly string[], contentType: string): boolean {
  const essence = essenceOf(contentType);
  if (!/^[^/\s]+\/[^/\s]+$/.test(essence)) return false;
  const type = essence.slice(0, essence.indexOf("/"));
  return accept.some((pattern) => {
    const p = pattern.trim().toLowerCase();
    return p === "*/*" || p === essence || p === `${type}/*`;
  });
}

/** The file picker's `accept` attribute; undefined when any file goes. */
export function acceptAttribute(accept: readonly string[]): string | undefined {
  return accept.length === 0 || accept.some((pattern) => pattern.trim() === "*/*") ? undefined : accept.join(",");
}

/** "video/*", "video/* or audio/mpeg", "" for any file. */
export function acceptText(accept: readonly string[]): string {
  return acceptAttribute(accept) === undefined ? "" : accept.join(" or ");
}

/** The type an upload declares for a file: the browser's guess, or "application/octet-stream" when it has none. */
export const fileTypeOf = (file: { type: string }) => file.type || "application/octet-stream";

/** Why a picked file cannot go to this field, said before a byte is sent; null when it can. */
export function refusalOf(accept: readonly string[], file: { name: string; type: string; size: number }): string | null {
  if (!acceptsType(accept, fileTypeOf(file))) {
    return `${file.name} is ${file.type ? file.type : "of a type the browser does not know"}; this field takes ${acceptText(accept)}`;
  }
  if (file.size === 0) return `${file.name} is empty`;
  return null;
}

/** The upload id a tus upload URL ends with (`…/uploads/<id>`). */
export function uploadIdOf(url: string): string {
  const path = url.split(/[?#]/, 1)[0]!.replace(/\/+$/, "");
  return decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
}

/**
 * What a failed upload says: the gateway's own refusal (a text body: "upload
 * too large: …", "…not accepted…"), else its status, else a lost connection.
 */
export function uploadFailureText(status: number | null | undefined, body: string | null | undefined): string {
  const text = (body ?? "").trim();
  if (status === 401) return `the gateway refused the token${text ? ` (${text})` : ""}`;
  if (status && status > 0) return text || `the gateway answered ${status}`;
  return "the connection to the gateway was lost";
}

/**
 * What tus-js-client remembers an unfinished upload by (in localStorage), so
 * picking the same file again resumes it: the user, so that one person's
 * upload is never offered to another signed in on the same browser, and the
 * file as the browser describes it.
 */
export function uploadFingerprint(subject: string, file: { name: string; type: string; size: number; lastModified: number }): string {
  return ["jobgw-upload", subject, file.name, file.type, file.size, file.lastModified].map((part) => encodeURIComponent(String(part))).join("/");
}
