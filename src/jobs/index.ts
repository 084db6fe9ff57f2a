export type { JobType, JobTypeDefinition } from "./define-job-type.js";

export function makeJobTypeRegistry<T extends { name: string }>(types: readonly T[]) {
  const byName = new Map(types.map((type) => [type.name, type]));
  if (byName.size !== types.length) {
    const seen = new Set<string>();
    const repeated = types.find((type) => seen.size === seen.add(type.name).size)!;
    throw new Error(`job type ${repeated.name} is defined twice`);
  }
  return {
    list: types,
    get: (name: string) => byName.get(name),
  };
}

/** The types a process serves: development-only ones are left out in production. */
export function enabledJobTypes<T extends { developmentOnly: boolean }>(nodeEnv: string, types: readonly T[]): T[] {
  return types.filter((type) => nodeEnv !== "production" || !type.developmentOnly);
}

export type JobTypeRegistry = ReturnType<typeof makeJobTypeRegistry<import("./define-job-type.js").JobType>>;
