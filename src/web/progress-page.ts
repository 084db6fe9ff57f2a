import { readFileSync } from "node:fs";

/** The job progress page served at `/`; a single self-contained HTML file. */
export const progressPageHtml: string = readFileSync(new URL("./progress-page.html", import.meta.url), "utf8");
