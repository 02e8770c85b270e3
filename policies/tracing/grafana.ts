/**
 * Grafana shows traces only to signed-in users (R8, R13): no anonymous
 * access, no public (shared) dashboards, no snapshots published outside.
 * Checked wherever a stack carries Grafana configuration: grafana.ini in any
 * ConfigMap or Secret, the grafana.ini and env blocks of Helm values (the
 * grafana chart and charts that embed it), GF_* environment overrides of any
 * workload, and public dashboards made through the Grafana provider.
 */
import { arr, at, hiddenPath, isSecret, rec, Rec, str } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { containersOf, CONFIG_MAP, podSpecOf } from "../kubernetes/types";
import { HELM_TYPES } from "../kubernetes/helm";
import { isGrafanaIni } from "./configFiles";
import { Ini, iniValue, parseIni } from "./ini";

const SECRET = "kubernetes:core/v1:Secret";
const DASHBOARD_PUBLIC = "grafana:oss/dashboardPublic:DashboardPublic";

/** Settings that must be off: [section, key, whether Grafana's default is on (so it must be set explicitly), env override]. */
const MUST_BE_OFF: readonly (readonly [string, string, boolean, string])[] = [
  ["auth.anonymous", "enabled", false, "GF_AUTH_ANONYMOUS_ENABLED"],
  ["public_dashboards", "enabled", true, "GF_PUBLIC_DASHBOARDS_ENABLED"],
  ["snapshots", "external_enabled", true, "GF_SNAPSHOTS_EXTERNAL_ENABLED"],
];

/** Grafana reads booleans with go-ini's parser: 1/t/true/y/yes/on and 0/f/false/n/no/off (any case). */
const INI_TRUE = ["1", "t", "true", "y", "yes", "on"];
const INI_FALSE = ["0", "f", "false", "n", "no", "off"];
const iniBool = (value: unknown): boolean | undefined => {
  const v = String(value ?? "").trim().toLowerCase();
  return INI_TRUE.includes(v) ? true : INI_FALSE.includes(v) ? false : undefined;
};

function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return undefined;
  return Buffer.from(value, "base64").toString("utf8");
}

/** grafana.ini as Helm values write it: {"auth.anonymous": {enabled: true}, server: {...}}. */
function iniFromValues(value: Rec): Ini {
  const ini: Ini = { "": {} };
  for (const [section, body] of Object.entries(value)) {
    const keys = rec(body);
    if (!keys) {
      ini[""][section.toLowerCase()] = String(body);
      continue;
    }
    ini[section.toLowerCase()] = Object.fromEntries(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), String(v)]));
  }
  return ini;
}

/** Helm values blocks named grafana.ini and env maps, wherever they nest. */
function valuesBlocks(tree: unknown, path: string, out: { inis: [string, Ini][]; env: [string, unknown][] }): void {
  const node = rec(tree);
  if (!node) return;
  for (const [k, v] of Object.entries(node)) {
    const here = path ? `${path}.${k}` : k;
    if (k === "grafana.ini" && rec(v)) out.inis.push([`values ${here}`, iniFromValues(rec(v) as Rec)]);
    else if (k === "env" && rec(v)) for (const [name, value] of Object.entries(rec(v) as Rec)) out.env.push([name, value]);
    else if (k === "env" && Array.isArray(v)) for (const e of v) out.env.push([str(at(e, "name")) ?? "", at(e, "value")]);
    else valuesBlocks(v, here, out);
  }
}

/** Every grafana.ini (label, parsed) and env override (name, value) the resource carries. */
export function grafanaSettings(type: string, props: Rec): { inis: [string, Ini][]; env: [string, unknown][] } {
  const out: { inis: [string, Ini][]; env: [string, unknown][] } = { inis: [], env: [] };
  const files: [string, string | undefined][] = [];
  if (type === CONFIG_MAP) for (const [f, c] of Object.entries(rec(props.data) ?? {})) files.push([f, str(c)]);
  if (type === SECRET) {
    for (const [f, c] of Object.entries(rec(props.data) ?? {})) files.push([f, typeof c === "string" ? decodeBase64(c) : undefined]);
    for (const [f, c] of Object.entries(rec(props.stringData) ?? {})) files.push([f, str(c)]);
  }
  for (const [file, text] of files) if (isGrafanaIni(file) && text !== undefined) out.inis.push([file, parseIni(text)]);
  if (HELM_TYPES.includes(type) && !isSecret(props.values)) valuesBlocks(props.values, "", out);
  const pod = podSpecOf(type, props, true);
  for (const { container } of pod ? containersOf(pod) : []) {
    for (const env of arr(container.env)) out.env.push([str(at(env, "name")) ?? "", at(env, "value")]);
  }
  return out;
}

/**
 * What hides Grafana settings from the rule, for exposure-unverifiable: a
 * grafana.ini entry whose value is a secret. (A Secret whose whole data is
 * encrypted hides even its file names; nothing shows it holds grafana.ini.)
 */
export function hiddenGrafanaSettings(type: string, props: Rec): string[] {
  if (type !== CONFIG_MAP && type !== SECRET) return [];
  const found: string[] = [];
  for (const field of ["data", "stringData"]) {
    for (const [file, content] of Object.entries(rec(props[field]) ?? {})) {
      if (isGrafanaIni(file) && hiddenPath(content)) found.push(`${field}.${file} is a secret, so its settings cannot be checked`);
    }
  }
  return found;
}

export const grafanaNoPublicAccess = resourceRule(
  {
    name: "grafana-no-public-access",
    description: "Grafana must not allow anonymous access, public dashboards or external snapshots, wherever its configuration lives (R8, R13).",
    requirements: ["R8", "R13"],
    remediation:
      "In grafana.ini (ConfigMap, Secret or the chart's grafana.ini values) set [auth.anonymous] enabled = false, [public_dashboards] enabled = false and [snapshots] external_enabled = false; do not override them with GF_* environment variables; do not create public dashboards (grafana.oss.DashboardPublic isEnabled).",
    enforcementLevel: "mandatory",
    hidden: hiddenGrafanaSettings,
  },
  (args, report) => {
    if (args.type === DASHBOARD_PUBLIC) {
      if (args.props.isEnabled !== false && str(args.props.share) !== "email") report(`the public dashboard ${str(args.props.dashboardUid) ?? ""} is enabled and shared with anyone who has the link.`);
      return;
    }
    const { inis, env } = grafanaSettings(args.type, args.props);
    if (inis.length === 0 && env.length === 0) return;
    for (const [file, ini] of inis) {
      for (const [section, key, defaultOn] of MUST_BE_OFF) {
        const value = iniValue(ini, section, key);
        // Unset or unreadable, Grafana uses its default.
        const on = value === undefined ? defaultOn : (iniBool(value) ?? defaultOn);
        if (on) {
          report(`${file}: [${section}] ${key} is ${value === undefined ? "not set (Grafana's default is on)" : `"${value}"`}.`);
        }
      }
    }
    for (const [name, value] of env) {
      const override = MUST_BE_OFF.find(([, , , variable]) => variable === name);
      if (override && iniBool(value) === true) report(`environment variable ${override[3]}=true turns [${override[0]}] ${override[1]} on.`);
    }
  },
);
