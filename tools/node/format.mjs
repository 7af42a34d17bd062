// Format TypeScript sources for specgen's writer with the pinned prettier and fixed options
// (no configuration files are read). stdin: JSON [{path, content}]; stdout: the same, formatted.
import { format } from "prettier";

const OPTIONS = { parser: "typescript", printWidth: 100, tabWidth: 2, useTabs: false, semi: true,
  singleQuote: false, trailingComma: "all", bracketSpacing: true, arrowParens: "always", endOfLine: "lf" };

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const files = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const out = [];
for (const file of files) {
  try {
    out.push({ path: file.path, content: await format(file.content, OPTIONS) });
  } catch (error) {
    process.stderr.write(`${file.path}: ${error.message}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(out));
