import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { buildWeb } from "../../scripts/build-web.js";
import { runMigrations } from "../../src/db/migrate.js";
import { databaseUrl, uniqueName, withAdminSql } from "./services.js";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/**
 * Migrates one template database per run; every test file clones it. Builds
 * the dashboard once, so every gateway a test starts serves it at `/`.
 */
export default async function setup(project: TestProject) {
  await buildWeb();
  const template = uniqueName("jobgw_template");
  await withAdminSql((sql) => sql.unsafe(`create database ${template}`));
  await runMigrations(databaseUrl(template));
  project.provide("templateDatabase", template);
  return async () => {
    await withAdminSql((sql) => sql.unsafe(`drop database if exists ${template} with (force)`));
  };
}
