// Checks the API's OpenAPI document and the answers the integration tests
// received: node openapi-check.mjs <dir>, where <dir> holds openapi.json and
// responses.json ([{method, path, status, content_type, body}]). The
// document must be valid OpenAPI 3.1; every answer must be documented for
// its operation and status, and its body must match the documented schema
// (JSON Schema 2020-12); every operation must have had a successful answer.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const dir = process.argv[2];
const doc = JSON.parse(readFileSync(join(dir, "openapi.json"), "utf8"));
const responses = JSON.parse(readFileSync(join(dir, "responses.json"), "utf8"));
const failures = [];

const validator = new Validator();
const result = await validator.validate(doc);
if (!result.valid) {
  failures.push(`the document is not valid OpenAPI: ${JSON.stringify(result.errors, null, 2)}`);
}
if (validator.version !== "3.1") {
  failures.push(`the document is OpenAPI ${validator.version}, not 3.1`);
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const format of ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float", "double"]) {
  ajv.addFormat(format, true);
}

const templates = Object.keys(doc.paths).map((template) => ({
  template,
  pattern: new RegExp("^" + template.replace(/\{[^}]+\}/g, "[^/]+") + "$"),
}));
const resolve = (item) => {
  while (item && item.$ref) {
    const parts = item.$ref.replace(/^#\//, "").split("/");
    item = parts.reduce((node, key) => node?.[key], doc);
  }
  return item;
};

const answered = new Set();
const validators = new Map();
for (const r of responses) {
  const path = r.path.split("?")[0];
  const found = templates.find((t) => t.pattern.test(path));
  const where = `${r.method.toUpperCase()} ${r.path} → ${r.status}`;
  if (!found) {
    failures.push(`${where}: no path in the document`);
    continue;
  }
  const operation = doc.paths[found.template][r.method.toLowerCase()];
  if (!operation) {
    failures.push(`${where}: the document has no ${r.method} for ${found.template}`);
    continue;
  }
  const documented = resolve(operation.responses[String(r.status)] ?? operation.responses.default);
  if (!documented) {
    failures.push(`${where}: status not documented for ${found.template}`);
    continue;
  }
  if (r.status >= 200 && r.status < 300) answered.add(`${r.method.toLowerCase()} ${found.template}`);
  // No Content: nothing to check but that the document has no body for it.
  if (r.status === 204) {
    if (documented.content) failures.push(`${where}: 204 documented with a body`);
    continue;
  }
  const type = (r.content_type || "").split(";")[0].trim();
  const content = documented.content?.[type];
  if (!content) {
    failures.push(`${where}: content type ${type} not documented`);
    continue;
  }
  if (!content.schema) continue;
  const key = `${found.template} ${r.method} ${r.status} ${type}`;
  if (!validators.has(key)) {
    validators.set(key, ajv.compile({ ...content.schema, components: doc.components }));
  }
  const validate = validators.get(key);
  if (!validate(r.body)) {
    failures.push(`${where}: body does not match the schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(r.body).slice(0, 500)}`);
  }
}

for (const [template, item] of Object.entries(doc.paths)) {
  for (const method of ["get", "post", "put", "delete", "patch"]) {
    if (item[method] && !answered.has(`${method} ${template}`)) {
      failures.push(`${method.toUpperCase()} ${template}: no successful answer was checked`);
    }
  }
}

if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`OpenAPI ${doc.openapi} valid; ${responses.length} answers match the document`);
