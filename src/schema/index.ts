import { builder } from "./builder.js";
import "./scalars.js";
import "./errors.js";
import "./users.js";
import "./jobs.js";
import "./job-owner.js";
import "./artifacts.js";
import "./job-mutations.js";
import "./job-subscriptions.js";
import "./job-output.js";
import "./admin.js";
import "./queue-controls.js";
import "./webhooks.js";
import "./uploads.js";

export const schema = builder.toSchema({ sortSchema: false });
