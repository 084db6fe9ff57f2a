import { textProblem } from "./input-checks.js";

/**
 * Content types of uploads, and the patterns that accept them: a type
 * (`text/plain`), a type with any subtype (`video/*`) or anything (`*\/*`).
 * Matching is on the essence (`type/subtype`, lowercase): parameters such as
 * `; charset=utf-8` never decide.
 */

// RFC 9110 token characters, for the type and the subtype, less `*`: it stands for "any" in a pattern, never in a type.
const token = "[!#$%&'+.^_`|~0-9a-z-]+";
const essencePattern = new RegExp(`^(${token})/(${token})$`);
const acceptPattern = new RegExp(`^(?:\\*/\\*|${token}/\\*|${token}/${token})$`);

/** `type/subtype` of a Content-Type value, lowercase, without its parameters; null when it is not one. */
export function contentTypeEssence(value: string): string | null {
  const essence = value.split(";", 1)[0]!.trim().toLowerCase();
  return essencePattern.test(essence) ? essence : null;
}

/** True when `pattern` is a type, `type/*` or `*\/*`. */
export const isAcceptPattern = (pattern: string) => acceptPattern.test(pattern.trim().toLowerCase());

/** True when one of the patterns accepts the content type (an empty list accepts nothing). */
export function acceptsContentType(patterns: readonly string[], contentType: string): boolean {
  const essence = contentTypeEssence(contentType);
  if (essence === null) return false;
  const [type] = essence.split("/");
  return patterns.some((raw) => {
    const pattern = raw.trim().toLowerCase();
    return pattern === "*/*" || pattern === essence || pattern === `${type}/*`;
  });
}

/** Longest file name an upload may carry (most file systems' limit). */
export const maxUploadNameLength = 255;

/** Why an upload is refused at creation, with the HTTP status that says so. */
export interface UploadRefusal {
  status: 400 | 403 | 413 | 415;
  message: string;
}

/**
 * What a new upload declares, checked before anything is stored: its size
 * (Upload-Length; a deferred length cannot be counted against a quota), its
 * metadata `filename` and `filetype`, and whether the type is allowed.
 * Returns the name and the content type to record, or the refusal.
 */
export function checkNewUpload(
  declared: { size: number | undefined; metadata: Record<string, string | null> | undefined },
  rules: { maxBytes: number; allowedTypes: readonly string[] },
): { name: string; contentType: string; size: number } | UploadRefusal {
  if (declared.size === undefined) return { status: 400, message: "Upload-Length is required: an upload's size counts against its owner's quota" };
  if (declared.size > rules.maxBytes) return { status: 413, message: `upload too large: ${declared.size} bytes, at most ${rules.maxBytes} (MAX_UPLOAD_BYTES)` };
  const name = declared.metadata?.filename ?? null;
  const filetype = declared.metadata?.filetype ?? null;
  if (name === null || name.trim() === "" || filetype === null || filetype.trim() === "") {
    return { status: 400, message: "Upload-Metadata must carry filename and filetype (base64-encoded values)" };
  }
  if (name.length > maxUploadNameLength) return { status: 400, message: `filename must be at most ${maxUploadNameLength} characters` };
  const nameProblem = textProblem(name) ?? (/[/\\]/.test(name) ? "must not contain / or \\" : null);
  if (nameProblem !== null) return { status: 400, message: `filename ${nameProblem}` };
  const contentType = contentTypeEssence(filetype);
  if (contentType === null) return { status: 400, message: "filetype must be a media type such as video/mp4" };
  if (!acceptsContentType(rules.allowedTypes, contentType)) {
    return { status: 415, message: `uploads of type ${contentType} are not accepted; accepted: ${rules.allowedTypes.join(", ")}` };
  }
  return { name, contentType, size: declared.size };
}

/** The refusal when `size` more bytes would take a user past their quota, or null. */
export function quotaRefusal(usedBytes: number, size: number, quotaBytes: number): UploadRefusal | null {
  if (usedBytes + size <= quotaBytes) return null;
  return {
    status: 403,
    message: `upload quota exceeded: ${usedBytes} of ${quotaBytes} bytes in use (UPLOAD_QUOTA_BYTES), and this upload needs ${size}; uploads no job uses free their space when they expire`,
  };
}
