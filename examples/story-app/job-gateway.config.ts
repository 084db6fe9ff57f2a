import { defineConfig, httpHandler } from "job-gateway";
import { storyOutline } from "./jobs/story-outline.js";
import { wordCount } from "./jobs/word-count.js";
import { handlerSecret, handlerUrl, webhookSecret, webhookUrl } from "./settings.js";

export default defineConfig({
  jobTypes: [storyOutline, wordCount],
  handlers: {
    // Imported by workers only, when they start: a gateway never loads it.
    "story.outline": () => import("./handlers/story-outline.js"),
    // Any language: the worker POSTs each attempt to this URL, signed with the secret.
    "text.word-count": httpHandler({ url: handlerUrl, secret: handlerSecret }),
  },
  webhooks: [{ url: webhookUrl, events: ["job.succeeded", "job.failed", "job.cancelled"], secret: webhookSecret }],
});
