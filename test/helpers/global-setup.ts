import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { runMigrations } from "../../src/db/migrate.js";
import { databaseUrl, uniqueName, withAdminSql } from "./services.js";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** Migrates one template database per run; every test file clones it. */
export default async function setup(project: TestProject) {
  const template = uniqueName("jobgw_template");
  await withAdminSql((sql) => sql.unsafe(`create database ${template}`));
  await runMigrations(databaseUrl(template));
  project.provide("templateDatabase", template);
  return async () => {
    await withAdminSql((sql) => sql.unsafe(`drop database if exists ${template} with (force)`));
  };
}
