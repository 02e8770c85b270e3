/**
 * Every relative link in README.md and docs/*.md points to a file that exists
 * and, when it names a heading (`file.md#anchor` or `#anchor`), to a heading
 * of that file, with anchors made the way GitHub makes them.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../support/synth";

/** GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens. */
export function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const m = !inFence && /^#{1,6} (.+)$/.exec(line);
    if (!m) continue;
    const base = githubAnchor(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Markdown links outside code fences and inline code: [text](target). */
function linksOf(markdown: string): string[] {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const text = line.replace(/`[^`]*`/g, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) out.push(m[1]);
  }
  return out;
}

const documents = ["README.md", ...fs.readdirSync(path.join(PROJECT_DIR, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

describe("documentation links", () => {
  it("finds the documents and their links", () => {
    expect(documents).toContain("docs/configuration.md");
    expect(linksOf(fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8")).length).toBeGreaterThan(5);
  });

  it("makes anchors the way GitHub does", () => {
    expect(githubAnchor("CI/CD (`.github/workflows/`)")).toBe("cicd-githubworkflows");
    expect(githubAnchor("SSO setup with the IdP (R8)")).toBe("sso-setup-with-the-idp-r8");
    expect(anchorsOf("# A\n## A\n```\n# not a heading\n```\n")).toEqual(new Set(["a", "a-1"]));
  });

  it.each(documents)("%s: every relative link resolves to a file and heading", (doc) => {
    const text = fs.readFileSync(path.join(PROJECT_DIR, doc), "utf8");
    const broken: string[] = [];
    for (const link of linksOf(text)) {
      if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
      const [file, anchor] = link.split("#");
      const target = file ? path.normalize(path.join(path.dirname(doc), file)) : doc;
      const abs = path.join(PROJECT_DIR, target);
      if (!fs.existsSync(abs)) {
        broken.push(`${link}: no file ${target}`);
        continue;
      }
      if (anchor !== undefined && target.endsWith(".md") && !anchorsOf(fs.readFileSync(abs, "utf8")).has(anchor)) {
        broken.push(`${link}: no heading #${anchor} in ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
