// The pinned prettier with fixed options (no configuration files are read), for the tests that
// confirm generated TypeScript and JavaScript are already in prettier's layout.
// stdin: JSON [{path, content}]; stdout: JSON [{path, content}] formatted (the parser follows
// each path's extension: babel for .js, typescript for .ts and .d.ts).
import { format } from "prettier";

const OPTIONS = { printWidth: 100, tabWidth: 2, useTabs: false, semi: true,
  singleQuote: false, trailingComma: "all", bracketSpacing: true, arrowParens: "always", endOfLine: "lf" };

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const files = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const out = [];
for (const file of files) {
  try {
    out.push({ path: file.path, content: await format(file.content, { ...OPTIONS, filepath: file.path }) });
  } catch (error) {
    process.stderr.write(`${file.path}: ${error.message}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(out));
