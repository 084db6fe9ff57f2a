#!/usr/bin/env node
import { parseArgs } from "node:util";
import { ConfigError } from "../config.js";
import { ServiceUnavailableError } from "../service-errors.js";
import { runMigrate } from "./migrate-command.js";
import { runStart } from "./run-start.js";
import { runToken } from "./token-command.js";

const usage = `usage: job-gateway <command>

  start [--role all|gateway|worker] [--config FILE]
        runs the role (default: ROLE, else all) with the app's job-gateway.config.* (or JOB_GATEWAY_CONFIG)
  migrate
        creates the database if it does not exist, then applies pending migrations
  token --sub NAME [--admin] [--email ADDRESS] [--expires 12h]
        prints a token signed with JWT_SECRET

Settings come from the environment: DATABASE_URL, RABBITMQ_URL, JWT_SECRET, PORT, NODE_ENV, … (see the README).`;

const [command, ...args] = process.argv.slice(2);

try {
  switch (command) {
    case "start": {
      const { values } = parseArgs({ args, options: { role: { type: "string" }, config: { type: "string" } } });
      await runStart({ role: values.role, config: values.config });
      break;
    }
    case "migrate":
      process.exitCode = await runMigrate();
      break;
    case "token":
      process.exitCode = await runToken(args);
      break;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(usage);
      break;
    default:
      console.error(`unknown command "${command}"\n\n${usage}`);
      process.exitCode = 2;
  }
} catch (error) {
  if (error instanceof ConfigError) for (const problem of error.problems) console.error(problem);
  else console.error(error instanceof ServiceUnavailableError || error instanceof TypeError ? error.message : error);
  process.exitCode = 1;
}
