/**
 * Detailed traces are kept 7 to 30 days (R6): Tempo's block_retention, in
 * tempo.yaml and in any per-tenant override, must lie within the window.
 */
import { rec } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { configFilesOf, findKeys, isTempoConfig, isTempoOverrides, parseYaml } from "./configFiles";
import { durationHours } from "./duration";

export interface RetentionConfig {
  readonly minDays: number;
  readonly maxDays: number;
}

export const tempoRetentionWindow = resourceRule(
  {
    name: "tempo-retention-window",
    description: "Tempo block retention (global and per tenant) must be between 7 and 30 days (R6).",
    requirements: ["R6"],
    remediation: "Set compactor.compaction.block_retention in tempo.yaml (and block_retention in tenant overrides) to a duration from 168h to 720h (7 to 30 days, or the configured minDays..maxDays).",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        minDays: { type: "number", default: 7 },
        maxDays: { type: "number", default: 30 },
      },
    },
  },
  (args, report) => {
    const { minDays, maxDays } = { minDays: 7, maxDays: 30, ...args.getConfig<Partial<RetentionConfig>>() };
    const files = Object.entries(configFilesOf(args.type, args.props)).filter(([f]) => isTempoConfig(f) || isTempoOverrides(f));
    if (files.length === 0) args.notApplicable("no Tempo config file");
    for (const [file, text] of files) {
      const parsed = parseYaml(text);
      if (!parsed.ok) {
        report(`${file} is not valid YAML (${parsed.error}), so retention cannot be verified.`);
        continue;
      }
      const found = findKeys(rec(parsed.value) ?? {}, (k) => k === "block_retention");
      if (isTempoConfig(file) && found.length === 0) report(`${file} sets no block_retention (Tempo's default is 14 days; set it explicitly).`);
      for (const { path, value } of found) {
        const hours = durationHours(value);
        if (hours === undefined) report(`${file}: ${path} "${String(value)}" is not a duration.`);
        else if (hours === 0 && (isTempoOverrides(file) || path.startsWith("overrides."))) continue; // 0 in an override inherits the global value
        else if (hours < minDays * 24 || hours > maxDays * 24) report(`${file}: ${path} is ${String(value)} (${+(hours / 24).toFixed(2)} days), outside ${minDays}..${maxDays} days.`);
      }
    }
  },
);
