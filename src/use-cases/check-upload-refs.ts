import type { Db } from "../db/client.js";
import { findUploadsByIds } from "../db/queries/find-uploads.js";
import { markUploadsUsed } from "../db/queries/mark-uploads-used.js";
import type { UploadRow } from "../db/schema.js";
import { acceptsContentType } from "../domain/upload-types.js";
import type { ValidationIssue } from "../domain/validation-issue.js";
import type { UploadRefAt } from "../jobs/upload-ref.js";

/**
 * What is wrong with each upload a submit's params reference: it must exist
 * and be the caller's (another user's reads as missing), be complete, and
 * have a type its field accepts. Each issue is at its field's path.
 */
export function uploadRefIssues(refs: readonly UploadRefAt[], uploads: readonly Pick<UploadRow, "id" | "userId" | "status" | "contentType" | "size">[], userId: string, prefix: readonly string[]): ValidationIssue[] {
  const byId = new Map(uploads.map((upload) => [upload.id, upload]));
  const issues: ValidationIssue[] = [];
  for (const ref of refs) {
    const path = [...prefix, ...ref.path];
    const upload = byId.get(ref.id.toLowerCase());
    if (!upload || upload.userId !== userId) {
      issues.push({ path, message: `no upload ${ref.id}: it must be one of your uploads (see the uploads query)` });
    } else if (upload.status === "expired") {
      issues.push({ path, message: `upload ${ref.id} has expired: its file is gone; upload it again` });
    } else if (upload.status !== "complete") {
      issues.push({ path, message: `upload ${ref.id} is not complete: finish sending its ${upload.size} bytes first` });
    } else if (!acceptsContentType(ref.accept, upload.contentType)) {
      issues.push({ path, message: `upload ${ref.id} is ${upload.contentType}; this field accepts ${ref.accept.join(", ")}` });
    }
  }
  return issues;
}

/**
 * Checks the uploads a submit references and, when all pass, marks them used
 * so they are kept while the job needs them. Runs only for types whose
 * params have an upload reference (two statements); other submits never
 * come here.
 */
export async function checkUploadRefs(db: Db, userId: string, refs: readonly UploadRefAt[], prefix: readonly string[]): Promise<ValidationIssue[]> {
  const ids = [...new Set(refs.map((ref) => ref.id.toLowerCase()))];
  const issues = uploadRefIssues(refs, await findUploadsByIds(db, ids), userId, prefix);
  if (issues.length > 0) return issues;
  const marked = new Set(await markUploadsUsed(db, userId, ids));
  // Expired (or gone) between the read and the mark: the sweep took it meanwhile.
  return refs
    .filter((ref) => !marked.has(ref.id.toLowerCase()))
    .map((ref) => ({ path: [...prefix, ...ref.path], message: `upload ${ref.id} has expired: its file is gone; upload it again` }));
}
