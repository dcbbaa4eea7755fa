// Type-checks every Grafana dashboard JSON against @grafana/schema's `Dashboard` type.
//   node check_dashboards.mjs <dashboard.json>...
// Each dashboard becomes a virtual TypeScript module `const d: AsJson<Dashboard> = <json>` (an object
// literal, so literal types and excess-property checks apply), compiled with --strict in memory.
// AsJson turns string enums (ThresholdsMode, ...) into the string literals JSON actually holds.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check_dashboards.mjs <dashboard.json>...");
  process.exit(2);
}

const virtual = new Map();
for (const file of files) {
  const json = fs.readFileSync(file, "utf8");
  JSON.parse(json); // a syntax error is reported here with the file name
  const name = path.join(here, "__check__", path.basename(file).replace(/\.json$/, ".ts"));
  virtual.set(name, `import type { Dashboard } from "@grafana/schema";\n` +
    "type AsJson<T> = T extends string ? `${T}` : T extends Array<infer U> ? Array<AsJson<U>>\n" +
    "  : T extends object ? { [K in keyof T]: AsJson<T[K]> } : T;\n" +
    `export const dashboard: AsJson<Dashboard> = ${json.trim()};\n`);
}

const options = {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [],
};
const host = ts.createCompilerHost(options);
const readFile = host.readFile.bind(host);
const fileExists = host.fileExists.bind(host);
const getSourceFile = host.getSourceFile.bind(host);
host.readFile = (f) => virtual.get(f) ?? readFile(f);
host.fileExists = (f) => virtual.has(f) || fileExists(f);
host.getSourceFile = (f, lang, onError, create) =>
  virtual.has(f) ? ts.createSourceFile(f, virtual.get(f), lang, true) : getSourceFile(f, lang, onError, create);

const program = ts.createProgram([...virtual.keys()], options, host);
const diagnostics = ts.getPreEmitDiagnostics(program);
for (const d of diagnostics) {
  const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "";
  console.error(`${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}
console.log(`${files.length} dashboards checked against @grafana/schema, ${diagnostics.length} problems`);
process.exit(diagnostics.length === 0 ? 0 : 1);
