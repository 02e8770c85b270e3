/**
 * Components compose; they do not grow (DESIGN.md section 3): no function or
 * constructor in components/ is longer than about 80 lines.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_DIR } from "../support/synth";

const MAX_LINES = 85;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** [name, lines] of every function-like node with a body. */
export function functionLengths(file: string, text: string): [string, number][] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: [string, number][] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = ts.isConstructorDeclaration(node) ? "constructor" : (node.name?.getText(source) ?? "(anonymous)");
      out.push([`${path.relative(PROJECT_DIR, file)}:${start + 1} ${name}`, end - start + 1]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe("component size", () => {
  it("measures functions and constructors", () => {
    const lengths = functionLengths("x.ts", "class A { constructor() {\n1;\n2;\n} }\nfunction f() { return 1; }");
    expect(lengths).toEqual([["x.ts:1 constructor", 4], ["x.ts:5 f", 1]]);
  });

  it(`keeps every function in components/ under ${MAX_LINES} lines`, () => {
    const files = sourceFiles(path.join(PROJECT_DIR, "components"));
    expect(files.length).toBeGreaterThan(10);
    const long = files.flatMap((f) => functionLengths(f, fs.readFileSync(f, "utf8"))).filter(([, n]) => n > MAX_LINES);
    expect(long).toEqual([]);
  });
});
