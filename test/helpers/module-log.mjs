// `node --import ./test/helpers/module-log.mjs`: every module the process loads is appended to MODULE_LOG_FILE, one URL a line.
import { register } from "node:module";

register("./module-log-hooks.mjs", import.meta.url, { data: { file: process.env.MODULE_LOG_FILE } });
