import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.js";
import { signAccessToken } from "./tokens.js";

// Prints a development token: npm run token -- --sub alice [--admin] [--email a@b.c] [--expires 7d]
try {
  const { values } = parseArgs({
    options: {
      sub: { type: "string" },
      email: { type: "string" },
      admin: { type: "boolean", default: false },
      expires: { type: "string", default: "30d" },
    },
  });
  if (!values.sub) {
    console.error("usage: npm run token -- --sub NAME [--admin] [--email ADDRESS] [--expires 30d]");
    process.exit(2);
  }
  const config = loadConfig(process.env);
  console.log(await signAccessToken(config.jwtSecret, { sub: values.sub, email: values.email, admin: values.admin, expiresIn: values.expires }));
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof TypeError ? error.message : error);
  process.exit(1);
}
