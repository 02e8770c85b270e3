/**
 * The tracing-guardrails CrossGuard pack (R13 and friends). This is the only
 * module that constructs the PolicyPack: doing so starts the analyzer's gRPC
 * server, so nothing else may import this file.
 *
 *   pulumi preview --policy-pack policies
 */
import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES, PACK_NAME } from "./all";

new PolicyPack(PACK_NAME, {
  description: "Guardrails of the order-pipeline tracing platform: nothing public, TLS everywhere, hardened pods, bounded retention.",
  enforcementLevel: "mandatory",
  policies: [...ALL_POLICIES],
});
