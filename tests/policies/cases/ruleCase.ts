/** One rule's must-fail and must-pass resources, built into a fresh stack export. */
import { RunConfig } from "../../../policies/runner";
import { ExportBuilder, ExportResource } from "../exportShapes";

export interface RuleCase {
  /** The rule under test (its name in policies/all.ts). */
  readonly rule: string;
  readonly title: string;
  readonly config?: RunConfig;
  /** Adds the case's resources (and any context they need) to the builder. */
  readonly build: (b: ExportBuilder) => { fails: ExportResource[]; passes: ExportResource[]; message?: RegExp };
}
