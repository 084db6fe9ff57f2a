import { demoSimulate } from "./demo-simulate.js";
import type { JobType } from "./define-job-type.js";
import { slidesGenerate } from "./slides-generate.js";
import { speechSynthesize } from "./speech-synthesize.js";
import { storyGenerate } from "./story-generate.js";

export type { JobContext, JobType } from "./define-job-type.js";

/** Every job type; the schema, the topology and the consumers derive from this list. */
export const allJobTypes: readonly JobType[] = [demoSimulate, storyGenerate, slidesGenerate, speechSynthesize];

/** The types a process serves: development-only ones are left out in production. */
export function enabledJobTypes(nodeEnv: string, types: readonly JobType[] = allJobTypes): JobType[] {
  return types.filter((type) => nodeEnv !== "production" || !type.developmentOnly);
}

export function makeJobTypeRegistry(types: readonly JobType[]) {
  const byName = new Map(types.map((type) => [type.name, type]));
  return {
    list: types,
    get: (name: string) => byName.get(name),
  };
}

export type JobTypeRegistry = ReturnType<typeof makeJobTypeRegistry>;
