import { runStart } from "./cli/run-start.js";

// The process entry of `npm start` (compiled) and of the tests' processes: the role ROLE names.
await runStart();
