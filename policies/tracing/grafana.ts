/**
 * Grafana shows traces only to signed-in users (R8, R13): no anonymous
 * access, no public (shared) dashboards, no snapshots published outside.
 * Checked in grafana.ini and in GF_* environment overrides of any workload.
 */
import { arr, at, isTrue, str } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { containersOf, podSpecOf } from "../kubernetes/types";
import { configFilesOf, isGrafanaIni } from "./configFiles";
import { iniValue, parseIni } from "./ini";

/** Settings that must be off: [section, key, whether Grafana's default is on (so it must be set explicitly), env override]. */
const MUST_BE_OFF: readonly (readonly [string, string, boolean, string])[] = [
  ["auth.anonymous", "enabled", false, "GF_AUTH_ANONYMOUS_ENABLED"],
  ["public_dashboards", "enabled", true, "GF_PUBLIC_DASHBOARDS_ENABLED"],
  ["snapshots", "external_enabled", true, "GF_SNAPSHOTS_EXTERNAL_ENABLED"],
];

export const grafanaNoPublicAccess = resourceRule(
  {
    name: "grafana-no-public-access",
    description: "Grafana must not allow anonymous access, public dashboards or external snapshots (R8, R13).",
    requirements: ["R8", "R13"],
    remediation:
      "In grafana.ini set [auth.anonymous] enabled = false, [public_dashboards] enabled = false and [snapshots] external_enabled = false, and do not override them with GF_* environment variables.",
    enforcementLevel: "mandatory",
  },
  (args, report) => {
    const files = Object.entries(configFilesOf(args.type, args.props)).filter(([f]) => isGrafanaIni(f));
    const pod = podSpecOf(args.type, args.props, true);
    if (files.length === 0 && !pod) args.notApplicable("neither grafana.ini nor a pod spec");
    for (const [file, text] of files) {
      const ini = parseIni(text);
      for (const [section, key, defaultOn] of MUST_BE_OFF) {
        const value = iniValue(ini, section, key);
        if (value === undefined ? defaultOn : value.toLowerCase() !== "false") {
          report(`${file}: [${section}] ${key} is ${value === undefined ? "not set (Grafana's default is on)" : `"${value}"`}.`);
        }
      }
    }
    for (const { name, container } of pod ? containersOf(pod) : []) {
      for (const env of arr(container.env)) {
        const override = MUST_BE_OFF.find(([, , , variable]) => variable === str(at(env, "name")));
        if (override && isTrue(at(env, "value"))) report(`container "${name}" sets ${override[3]}=true.`);
      }
    }
  },
);
