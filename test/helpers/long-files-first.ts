import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take longest, longest first (seconds on a busy 2-core machine). Vitest
 * orders a project's files by their last durations when it has them (node_modules/.vite);
 * a clean clone has none, and ordered by size, a long file that starts late is a run's tail.
 */
const longest = [
  "test/browser.dashboard.test.ts", // 60–80
  "test/slides-generate.fake-llm.test.ts", // 15–22
  "test/processes.graceful-shutdown.test.ts",
  "test/roles.loaded-code.test.ts",
  "test/artifacts.signed-links.test.ts",
  "test/submit-job.limits.test.ts",
  "test/consumers.takeover-fence.test.ts",
  "test/speech.synthesize.test.ts",
  "test/processes.crash-takeover.test.ts",
  "test/examples.story-app.test.ts",
  "test/queue-controls.test.ts",
  "test/logs.test.ts",
  "test/video.transcode.test.ts",
  "test/graphql.error-codes.test.ts",
  "test/hardening.token-expiry.test.ts", // 8–10
];

/** Vitest's order (groups, projects, last durations), with the known longest files of each project first. */
export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = longest.findIndex((path) => spec.moduleId.endsWith(`/${path}`));
      return index < 0 ? longest.length : index;
    };
    const block = (spec: TestSpecification) => `${spec.project.config.sequence.groupOrder}:${spec.project.name}`;
    const position = new Map(sorted.map((spec, index) => [spec, index]));
    // Stable: within a project, the listed files first in the list's order, then the rest as vitest had them.
    return [...sorted].sort((a, b) => {
      if (block(a) !== block(b)) return position.get(a)! - position.get(b)!;
      return rank(a) - rank(b) || position.get(a)! - position.get(b)!;
    });
  }
}
