// validate.mjs - checks docs/openapi.json with a real OpenAPI validator
// (the OpenAPI 3.1 JSON schema plus reference resolution).
// Usage: node validate.mjs [path/to/openapi.json]
import { Validator } from "@seriousme/openapi-schema-validator";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? path.join(here, "..", "..", "docs", "openapi.json");
const doc = JSON.parse(readFileSync(file, "utf8"));
const validator = new Validator();
const result = await validator.validate(doc);
if (!result.valid) {
  console.error(JSON.stringify(result.errors, null, 2));
  console.log(`openapi: 0 passed, 1 failed (${file})`);
  process.exit(1);
}
const ops = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
console.log(`openapi: ${file} is valid OpenAPI ${validator.version} (${ops} operations)`);
console.log("openapi: 1 passed, 0 failed");
