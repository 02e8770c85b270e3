/**
 * The compiled synth's cache (scripts/synth-run.cjs): a bundle is used only
 * while every file it was compiled from, and every file that governs the
 * compile, is byte for byte what it was; any change rebuilds it. Runs the
 * real esbuild on a scratch project (no Pulumi, nothing mocked).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CACHE_DIR, cachedBundle, CODE_CACHE, CODE_CACHE_MAX_BYTES, synthBundle } from "../../scripts/synth-run.cjs";

let dir: string;
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};
/** What the scratch bundle's runSynthCli resolves to. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const run = (bundle: string): Promise<number> => (require(bundle) as { runSynthCli: () => Promise<number> }).runSynthCli();
let progress: jest.SpyInstance;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-cache-"));
  write("package.json", '{ "name": "scratch", "private": true }\n');
  write("package-lock.json", '{ "name": "scratch", "lockfileVersion": 3 }\n');
  write("tsconfig.json", '{ "compilerOptions": { "target": "ES2022", "module": "commonjs" } }\n');
  write("lib/answer.ts", "export const answer: number = 1;\n");
  write("scripts/synth.ts", 'import { answer } from "../lib/answer";\nexport function runSynthCli(): Promise<number> {\n  return Promise.resolve(answer);\n}\n');
  progress = jest.spyOn(console, "error").mockImplementation(() => undefined);
});

afterEach(() => {
  progress.mockRestore();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the compiled synth's cache", () => {
  it("builds once, says so on one line, then reuses the bundle while nothing changes", async () => {
    expect(cachedBundle(dir)).toBeUndefined();
    const bundle = await synthBundle(dir);
    expect(progress).toHaveBeenCalledTimes(1);
    expect(progress.mock.calls[0][0]).toMatch(/^\[synth\] compiled scripts\/synth\.ts into \.cache\/synth\/ in \d+ ms/);
    expect(path.dirname(bundle)).toBe(path.join(dir, CACHE_DIR));
    expect(await synthBundle(dir)).toBe(bundle);
    expect(progress).toHaveBeenCalledTimes(1);
    expect(await run(bundle)).toBe(1);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, CACHE_DIR, "manifest.json"), "utf8"));
    expect(manifest.inputs).toEqual(["lib/answer.ts", "scripts/synth.ts"]);
  });

  it("never runs the stale bundle after a source changes: a new key, the old bundle removed", async () => {
    const stale = await synthBundle(dir);
    write("lib/answer.ts", "export const answer: number = 2;\n");
    expect(cachedBundle(dir)).toBeUndefined();
    const fresh = await synthBundle(dir);
    expect(fresh).not.toBe(stale);
    expect(fs.existsSync(stale)).toBe(false);
    expect(await run(fresh)).toBe(2);
    expect(cachedBundle(dir)).toBe(fresh);
  });

  it.each([
    ["tsconfig.json", '{ "compilerOptions": { "target": "ES2020", "module": "commonjs" } }\n'],
    ["package-lock.json", '{ "name": "scratch", "lockfileVersion": 3, "packages": {} }\n'],
    ["package.json", '{ "name": "scratch", "private": true, "version": "2.0.0" }\n'],
    ["lib/tsconfig.json", '{ "compilerOptions": { "target": "ES2020" } }\n'],
  ])("is stale when %s changes or appears", async (file, text) => {
    await synthBundle(dir);
    write(file, text);
    expect(cachedBundle(dir)).toBeUndefined();
  });

  it("is stale when a source is deleted, and when the manifest is unreadable", async () => {
    await synthBundle(dir);
    fs.renameSync(path.join(dir, "lib/answer.ts"), path.join(dir, "lib/answer.bak"));
    expect(cachedBundle(dir)).toBeUndefined();
    fs.renameSync(path.join(dir, "lib/answer.bak"), path.join(dir, "lib/answer.ts"));
    expect(cachedBundle(dir)).toBeDefined();
    fs.writeFileSync(path.join(dir, CACHE_DIR, "manifest.json"), "{");
    expect(cachedBundle(dir)).toBeUndefined();
  });

  it("keeps node's compile cache across rebuilds until it outgrows its limit, then empties it", async () => {
    const entry = path.join(dir, CACHE_DIR, CODE_CACHE, "v22-x64", "entry");
    write(path.relative(dir, entry), "code cache");
    await synthBundle(dir);
    expect(fs.existsSync(entry)).toBe(true);
    fs.truncateSync(entry, CODE_CACHE_MAX_BYTES + 1); // sparse: no disk used
    expect(cachedBundle(dir)).toBeDefined();
    expect(fs.existsSync(entry)).toBe(true); // only a rebuild prunes
    write("lib/answer.ts", "export const answer: number = 3;\n");
    await synthBundle(dir);
    expect(fs.existsSync(path.join(dir, CACHE_DIR, CODE_CACHE))).toBe(false);
  });

  it("refuses to bundle a source that locates files by __dirname (in the bundle it is .cache/synth/)", async () => {
    write("lib/answer.ts", 'import * as path from "path";\nexport const answer: number = path.join(__dirname, "x").length;\n');
    await expect(synthBundle(dir)).rejects.toThrow(/lib\/answer\.ts uses __dirname or __filename/);
    expect(cachedBundle(dir)).toBeUndefined();
  });
});
