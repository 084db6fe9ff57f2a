import type { ArtifactRow } from "../db/schema.js";
import { defaultLinkSeconds, maxLinkSeconds } from "../files/artifact-links.js";
import { codedError } from "../graphql/coded-error.js";
import { artifactLoader } from "./artifact-loader.js";
import { builder } from "./builder.js";
import { JobRef } from "./jobs.js";

/** An artifact as the schema shows it: its row and the user whose job made it. */
type ShownArtifact = ArtifactRow & { ownerId: string };

const maxInt = 2 ** 31 - 1;

export const ArtifactRef = builder.objectRef<ShownArtifact>("Artifact").implement({
  description: "A file a job's succeeded attempt wrote, kept until `expiresAt`; the record stays after the file is gone.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name", { description: "A plain file name, unique within the job." }),
    contentType: t.exposeString("contentType"),
    size: t.int({
      description: "Bytes.",
      resolve: (artifact) => {
        if (artifact.size > maxInt) throw codedError(`artifact ${artifact.name} is ${artifact.size} bytes, more than an Int holds`, "INTERNAL_SERVER_ERROR");
        return artifact.size;
      },
    }),
    url: t.string({
      description:
        `A link that downloads the file, with Range requests, for \`expiresInSeconds\` (default ${defaultLinkSeconds}, at most ${maxLinkSeconds}: 7 days); anyone holding it may read this one file until then. ` +
        "Audio, video and images open inline (players stream them), anything else downloads as an attachment. A link to an expired artifact answers 410 (404 from S3).",
      args: { expiresInSeconds: t.arg.int() },
      resolve: async (artifact, args, ctx) => {
        const seconds = args.expiresInSeconds ?? defaultLinkSeconds;
        if (seconds < 1 || seconds > maxLinkSeconds) throw codedError(`expiresInSeconds must be from 1 to ${maxLinkSeconds}`, "BAD_USER_INPUT");
        // Only the owner's job (or any, for an admin) leads here; checked again, as a link is the whole permission.
        const viewer = await ctx.viewer();
        if (!viewer.isAdmin && viewer.user.id !== artifact.ownerId) throw codedError("artifact not found", "NOT_FOUND");
        return ctx.artifactLinks.urlFor(artifact, seconds);
      },
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    expiresAt: t.expose("expiresAt", {
      type: "DateTime",
      nullable: true,
      description: "When the retention sweep removes the file (ARTIFACT_RETENTION_DAYS after the job succeeded); past once it is gone.",
    }),
  }),
});

builder.objectField(JobRef, "artifacts", (t) =>
  t.field({
    type: [ArtifactRef],
    description:
      "The files the job's succeeded attempt wrote, by name (expired ones too, their files gone). Empty until the job has SUCCEEDED: a failed attempt's files are removed and never shown.",
    authScopes: { authenticated: true },
    resolve: async (job, _args, ctx) => {
      if (job.status !== "SUCCEEDED") return [];
      const viewer = await ctx.viewer();
      if (!viewer.isAdmin && viewer.user.id !== job.userId) return [];
      const rows = await artifactLoader(ctx).load({ jobId: job.id, attempt: job.attempts });
      return rows.map((row) => ({ ...row, ownerId: job.userId }));
    },
  }),
);
