/** Grafana in the prod stack (synth): shared PostgreSQL on RDS, replicas, no login form. */
import { named, ofType, synthStack } from "../support/synth";
import { parseIni } from "../../render/ini";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("Grafana in prod", () => {
  it("uses an encrypted, private RDS PostgreSQL with TLS forced", async () => {
    const s = await synthStack("prod");
    const db = named(s, "tracing-grafana-db-instance").inputs as Inputs;
    expect(db).toMatchObject({ engine: "postgres", storageEncrypted: true, publiclyAccessible: false, deletionProtection: true, multiAz: true });
    expect(db.backupRetentionPeriod).toBeGreaterThanOrEqual(7);
    expect(db.kmsKeyId).toMatch(/^arn:aws:kms:/);
    expect(db.password).toBe("[secret]");
    const params = named(s, "tracing-grafana-db-params").inputs as Inputs;
    expect(params.parameters).toContainEqual(expect.objectContaining({ name: "rds.force_ssl", value: "1" }));
    expect(named(s, "tracing-grafana-db-subnets").inputs.subnetIds).toEqual(["subnet-0f1e2d3c4b5a60011", "subnet-0f1e2d3c4b5a60012", "subnet-0f1e2d3c4b5a60013"]);
    const sg = named(s, "tracing-grafana-db-sg").inputs as Inputs;
    expect(sg.ingress).toEqual([expect.objectContaining({ fromPort: 5432, toPort: 5432, cidrBlocks: ["10.30.0.0/16"] })]);
    expect(JSON.stringify(sg)).not.toContain("0.0.0.0/0");
  });

  it("runs the configured replicas on the shared database, verify-full TLS, no login form", async () => {
    const s = await synthStack("prod");
    const dep = named(s, "tracing-grafana-statefulset").inputs as Inputs;
    expect(dep.spec.replicas).toBe(2);
    const env = dep.spec.template.spec.containers[0].env as Inputs[];
    expect(env).toContainEqual({ name: "GRAFANA_DB_HOST", value: expect.stringContaining(".rds.amazonaws.com:5432") });
    const ini = parseIni(s.configFiles["grafana.ini"]);
    expect(ini.database).toMatchObject({ type: "postgres", ssl_mode: "verify-full", host: "$__env{GRAFANA_DB_HOST}" });
    expect(ini.auth.disable_login_form).toBe("true");
    expect(ini.server.min_tls_version).toBe("TLS1.3");
  });

  it("keeps a year of audit records under Object Lock and ships them with the stack's prefix", async () => {
    const s = await synthStack("prod");
    expect(named(s, "tracing-grafana-audit-object-lock").inputs.rule).toEqual({ defaultRetention: { mode: "COMPLIANCE", days: 365 } });
    expect(s.configFiles["audit-shipper.yaml"]).toContain("s3_prefix: prod/queries");
    expect(s.configFiles["audit-shipper.yaml"]).toContain("s3_prefix: prod/access");
    expect(ofType(s, "kubernetes:apps/v1:StatefulSetPatch")).toHaveLength(1);
  });
});
