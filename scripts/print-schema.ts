import { printSchema } from "graphql";
import { schema } from "../src/schema/index.js";

// Prints the SDL clients build against: npm run --silent schema:print > schema.graphql
console.log(printSchema(schema));
