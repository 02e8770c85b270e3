// @ts-check
/**
 * npm run synth -- --stack <name> [--out <dir>]
 *
 * Runs scripts/synth.ts compiled: tsx's on-the-fly TypeScript hooks cost
 * about as much CPU as the synth itself, so the sources are bundled once with
 * esbuild (Pulumi packages stay external, loaded by plain node exactly as
 * from source) into .cache/synth/ and the bundle runs in this process.
 *
 * The cache key is a SHA-256 over the bytes esbuild compiled (every project
 * file the bundle includes), the tsconfig.json and package.json files that
 * govern them, package-lock.json, this file, and the esbuild and node
 * versions. A run re-reads those files and uses the bundle only when the key
 * matches; otherwise it rebuilds and says so on stderr. A stale bundle is
 * never run. Same output as `npx tsx scripts/synth.ts` (tests/synth/).
 *
 * Node's compile cache (V8 code cache, checked against each file's content,
 * in .cache/synth/v8/) spares re-compiling the bundle and the Pulumi
 * packages' modules on every run. Each rebuild adds the new bundle's entry;
 * a rebuild empties the directory once it outgrows CODE_CACHE_MAX_BYTES.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const PROJECT_DIR = path.resolve(__dirname, "..");
const ENTRY = "scripts/synth.ts";
/** Project-relative, gitignored. */
const CACHE_DIR = path.join(".cache", "synth");
const MANIFEST = "manifest.json";
const CODE_CACHE = "v8";
/** The compile cache holds about 11 MB for one bundle and the Pulumi packages. */
const CODE_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Files besides the compiled sources that decide what the bundle is or does.
 * @param {string} projectDir
 * @param {readonly string[]} inputs project-relative sources
 * @returns {string[]} project-relative, sorted
 */
function governingFiles(projectDir, inputs) {
  const files = new Set(["package-lock.json", "package.json"]);
  for (const input of inputs) {
    // esbuild reads the nearest tsconfig.json and package.json of every source.
    for (let dir = path.dirname(input); ; dir = path.dirname(dir)) {
      for (const name of ["tsconfig.json", "package.json"]) {
        const file = path.join(dir, name);
        if (fs.existsSync(path.join(projectDir, file))) files.add(path.normalize(file));
      }
      if (dir === "." || dir === path.dirname(dir)) break;
    }
  }
  return [...files].sort();
}

/**
 * The cache key of a bundle compiled from these sources, as they are now.
 * @param {string} projectDir
 * @param {Map<string, Buffer>} sources project-relative path -> the bytes compiled
 * @returns {string} hex SHA-256
 */
function cacheKey(projectDir, sources) {
  const hash = crypto.createHash("sha256");
  const add = (/** @type {string} */ name, /** @type {Buffer | string} */ bytes) => {
    hash.update(`${name}\0${bytes.length}\0`);
    hash.update(bytes);
  };
  add("esbuild", require("esbuild/package.json").version);
  add("node", process.version);
  add("launcher", fs.readFileSync(__filename));
  for (const file of [...sources.keys()].sort()) add(`source:${file}`, /** @type {Buffer} */ (sources.get(file)));
  for (const file of governingFiles(projectDir, [...sources.keys()])) {
    const full = path.join(projectDir, file);
    add(`file:${file}`, fs.existsSync(full) ? fs.readFileSync(full) : "(absent)");
  }
  return hash.digest("hex");
}

/**
 * The bundle in the cache when its key matches the files on disk now.
 * @param {string} projectDir
 * @returns {string | undefined} absolute path of the bundle
 */
function cachedBundle(projectDir) {
  const dir = path.join(projectDir, CACHE_DIR);
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), "utf8"));
  } catch {
    return undefined;
  }
  const bundle = path.join(dir, `${manifest.key}.js`);
  if (!Array.isArray(manifest.inputs) || !fs.existsSync(bundle)) return undefined;
  const sources = new Map();
  try {
    for (const input of manifest.inputs) sources.set(input, fs.readFileSync(path.join(projectDir, input)));
  } catch {
    return undefined; // a source was deleted or renamed
  }
  return cacheKey(projectDir, sources) === manifest.key ? bundle : undefined;
}

/**
 * Bundles the synth into the cache; the key covers exactly the bytes esbuild read.
 * @param {string} projectDir
 * @returns {Promise<string>} absolute path of the bundle
 */
async function buildBundle(projectDir) {
  const esbuild = require("esbuild");
  /** @type {Map<string, Buffer>} */
  const sources = new Map();
  const result = await esbuild.build({
    absWorkingDir: projectDir,
    entryPoints: [ENTRY],
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    target: "node22",
    write: false,
    logLevel: "warning",
    plugins: [
      {
        name: "hash-sources",
        setup(build) {
          build.onLoad({ filter: /\.[cm]?[jt]s$|\.json$/ }, (args) => {
            const bytes = fs.readFileSync(args.path);
            const file = path.relative(projectDir, args.path);
            sources.set(file, bytes);
            const ext = path.extname(args.path);
            // In the bundle these name .cache/synth/, not the source's folder (the entry only uses them under tsx).
            if (ext !== ".json" && file !== ENTRY && /\b__(dirname|filename)\b/.test(bytes.toString("utf8"))) {
              return { errors: [{ text: `${file} uses __dirname or __filename, which in the bundle name ${CACHE_DIR}/: import the file instead, or pass the project directory` }] };
            }
            return { contents: bytes, loader: ext === ".json" ? "json" : /ts$/.test(ext) ? "ts" : "js" };
          });
        },
      },
    ],
  });
  const key = cacheKey(projectDir, sources);
  const dir = path.join(projectDir, CACHE_DIR);
  fs.mkdirSync(dir, { recursive: true });
  for (const old of fs.readdirSync(dir)) if (old.endsWith(".js")) fs.rmSync(path.join(dir, old), { force: true });
  pruneCodeCache(path.join(dir, CODE_CACHE));
  const bundle = path.join(dir, `${key}.js`);
  writeAtomically(bundle, result.outputFiles[0].contents);
  writeAtomically(path.join(dir, MANIFEST), `${JSON.stringify({ key, inputs: [...sources.keys()].sort() }, null, 2)}\n`);
  return bundle;
}

/** Empties the compile cache when it has outgrown CODE_CACHE_MAX_BYTES (entries of old bundles stay until then). */
function pruneCodeCache(/** @type {string} */ dir) {
  if (!fs.existsSync(dir)) return;
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  if (bytes > CODE_CACHE_MAX_BYTES) fs.rmSync(dir, { recursive: true, force: true });
}

/** A concurrent run sees the old file or the new one, never half of one. */
function writeAtomically(/** @type {string} */ file, /** @type {string | Uint8Array} */ content) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/**
 * The bundle to run: the cached one, or a fresh build (one line on stderr, with its cost).
 * @param {string} projectDir
 * @returns {Promise<string>}
 */
async function synthBundle(projectDir) {
  const cached = cachedBundle(projectDir);
  if (cached) return cached;
  const started = process.hrtime.bigint();
  const bundle = await buildBundle(projectDir);
  const ms = Number((process.hrtime.bigint() - started) / 1000000n);
  console.error(`[synth] compiled ${ENTRY} into ${CACHE_DIR}/ in ${ms} ms (no bundle for these sources yet)`);
  return bundle;
}

module.exports = { cacheKey, cachedBundle, buildBundle, synthBundle, CACHE_DIR, CODE_CACHE, CODE_CACHE_MAX_BYTES };

if (require.main === module) {
  synthBundle(PROJECT_DIR)
    .then((bundle) => {
      require("module").enableCompileCache?.(path.join(PROJECT_DIR, CACHE_DIR, CODE_CACHE));
      return require(bundle).runSynthCli(PROJECT_DIR, process.argv.slice(2));
    })
    .then(
      (/** @type {number} */ code) => process.exit(code),
      (/** @type {unknown} */ err) => {
        console.error(`[synth] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        process.exit(1);
      },
    );
}
