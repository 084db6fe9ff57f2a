import { builder } from "./builder.js";
import { JobRef } from "./jobs.js";
import { UserType } from "./users.js";
import { userLoader } from "./user-loader.js";

// A field of Job kept apart from its other fields: the owner is read through a per-operation loader.
builder.objectField(JobRef, "owner", (t) =>
  t.field({
    type: UserType,
    description: "The user who submitted the job (the caller, unless an admin reads another user's job).",
    resolve: async (job, _args, ctx) => {
      const owner = await userLoader(ctx).load(job.userId);
      if (!owner) throw new Error(`user ${job.userId} of job ${job.id} not found`);
      return owner;
    },
  }),
);
