import { findUpload, listUploads } from "../db/queries/find-uploads.js";
import type { UploadRow } from "../db/schema.js";
import { isUuid } from "../domain/ids.js";
import { builder } from "./builder.js";
import { pageSize, type PageBounds } from "./cost-budget.js";

const UploadStatusEnum = builder.enumType("UploadStatus", {
  description: "UPLOADING: bytes still to come (resume it with tus); COMPLETE: usable in a job's params; EXPIRED: its file is gone.",
  values: ["UPLOADING", "COMPLETE", "EXPIRED"] as const,
});

const statusOf = { uploading: "UPLOADING", complete: "COMPLETE", expired: "EXPIRED" } as const;

export const UploadType = builder.objectRef<UploadRow>("Upload").implement({
  description:
    "A file its owner sent with the tus protocol (POST /uploads, then PATCH); a job type's params name it by id (an `x-upload` field of `paramsSchema`).",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name", { description: "The file name its metadata gave (`filename`)." }),
    size: t.exposeInt("size", { description: "Bytes (its Upload-Length)." }),
    contentType: t.exposeString("contentType", { description: "Its metadata's `filetype`, without parameters." }),
    status: t.field({ type: UploadStatusEnum, resolve: (upload) => statusOf[upload.status] }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true }),
    expiresAt: t.expose("expiresAt", {
      type: "DateTime",
      description: "When it is removed unless a job uses it; one a job uses is kept while the job runs and UPLOAD_RETENTION_HOURS after it ends.",
    }),
  }),
});

const uploadsPage: PageBounds = { default: 20, min: 1, max: 100 };

builder.queryField("uploads", (t) =>
  t.field({
    type: [UploadType],
    description: "The caller's complete uploads that have not expired, newest first; `first`: 1 to 100.",
    authScopes: { authenticated: true },
    args: { first: t.arg.int({ defaultValue: uploadsPage.default }) },
    complexity: (args) => ({ field: 1, multiplier: pageSize("first", args.first, uploadsPage) }),
    resolve: async (_root, args, ctx) => {
      const viewer = await ctx.viewer();
      return listUploads(ctx.db, viewer.user.id, { first: pageSize("first", args.first, uploadsPage) });
    },
  }),
);

builder.queryField("upload", (t) =>
  t.field({
    type: UploadType,
    nullable: true,
    description: "An upload of the caller's in any status (any user's for an admin); null when there is none.",
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = await ctx.viewer();
      const id = String(args.id);
      if (!isUuid(id)) return null;
      const upload = await findUpload(ctx.db, id);
      return upload && (viewer.ownerScope === null || upload.userId === viewer.ownerScope) ? upload : null;
    },
  }),
);
