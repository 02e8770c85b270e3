/** Grafana in the dev stack (synth): tenant isolation of data sources, the audit bucket, the hardened pod. */
import { named, ofType, synthStack } from "../support/synth";
import { TEMPO_DATA_SOURCES } from "../../components/grafana/dataSources";
import { parseIni } from "../../render/ini";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("Grafana in dev", () => {
  it("gives the Order Support organisation exactly one Tempo data source, fixed to tenant orders, and only the orders metrics store (R9)", async () => {
    const s = await synthStack("dev");
    const orgId = (name: string) => {
      const org = ofType(s, "grafana:oss/organization:Organization").find((o) => o.inputs.name === name);
      expect(org).toBeDefined();
      return org!.name.endsWith("support") ? "2" : "3"; // the mocks' ids
    };
    const dataSources = ofType(s, "grafana:oss/dataSource:DataSource");
    const supportAll = dataSources.filter((d) => d.inputs.orgId === orgId("Order Support"));
    expect(supportAll.filter((d) => d.inputs.type === "prometheus").map((d) => d.inputs.uid)).toEqual(["metrics-orders"]);
    const support = supportAll.filter((d) => d.inputs.type === "tempo");
    expect(support).toHaveLength(1);
    const spec = TEMPO_DATA_SOURCES.find((d) => d.uid === support[0].inputs.uid)!;
    expect(spec.tenant).toBe("orders");
    expect(support[0].inputs.url).toBe(`https://127.0.0.1:${spec.proxyPort}`);
    expect(JSON.parse(support[0].inputs.jsonDataEncoded as string)).toMatchObject({ httpHeaderName1: "X-Scope-OrgID", tlsAuth: true, tlsAuthWithCACert: true });

    // The audit proxy listener behind that URL forces exactly "orders" upstream.
    const conf = s.configFiles["audit-proxy.conf"];
    const server = conf.split("server {").find((block) => block.includes(`listen 127.0.0.1:${spec.proxyPort} ssl;`))!;
    expect(server).toContain('set $audit_tenant "orders";');
    expect(server).toContain("proxy_set_header X-Scope-OrgID $audit_tenant;");
    expect(server).not.toContain("platform");

    const engineering = dataSources.filter((d) => d.inputs.orgId === orgId("Engineering") && d.inputs.type === "tempo");
    expect(engineering.map((d) => TEMPO_DATA_SOURCES.find((x) => x.uid === d.inputs.uid)!.tenant)).toEqual(["orders|platform"]);
  });

  it("places Order lookup in Support and both dashboards in Engineering", async () => {
    const s = await synthStack("dev");
    const titles = (org: string) =>
      ofType(s, "grafana:oss/dashboard:Dashboard")
        .filter((d) => d.inputs.orgId === org)
        .map((d) => JSON.parse(d.inputs.configJson as string).title)
        .sort();
    expect(titles("2")).toEqual(["Order lookup"]);
    expect(titles("3")).toEqual(["Order lookup", "Order pipeline"]);
  });

  it("keeps audit records in an Object Lock COMPLIANCE bucket: versioned, KMS, private, TLS only (R11)", async () => {
    const s = await synthStack("dev");
    expect(named(s, "tracing-grafana-audit-bucket").inputs.objectLockEnabled).toBe(true);
    expect(named(s, "tracing-grafana-audit-object-lock").inputs.rule).toEqual({ defaultRetention: { mode: "COMPLIANCE", days: 90 } });
    expect((named(s, "tracing-grafana-audit-versioning").inputs.versioningConfiguration as Inputs).status).toBe("Enabled");
    const sse = (named(s, "tracing-grafana-audit-encryption").inputs.rules as Inputs[])[0].applyServerSideEncryptionByDefault;
    expect(sse.sseAlgorithm).toBe("aws:kms");
    expect(sse.kmsMasterKeyId).toMatch(/^arn:aws:kms:/);
    expect(named(s, "tracing-grafana-audit-public-access").inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect((named(s, "tracing-grafana-audit-ownership").inputs.rule as Inputs).objectOwnership).toBe("BucketOwnerEnforced");
    const policy = JSON.parse(named(s, "tracing-grafana-audit-policy").inputs.policy as string);
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
  });

  it("lets the shipper only put objects into the audit bucket", async () => {
    const s = await synthStack("dev");
    const policy = JSON.parse(named(s, "tracing-grafana-audit-write").inputs.policy as string);
    const actions = policy.Statement.flatMap((st: Inputs) => st.Action);
    expect(actions.sort()).toEqual(["kms:Encrypt", "kms:GenerateDataKey", "s3:PutObject"]);
    const trust = JSON.parse(named(s, "tracing-grafana-audit-role").inputs.assumeRolePolicy as string);
    expect(JSON.stringify(trust)).toContain("system:serviceaccount:tracing:grafana");
  });

  it("runs one hardened Grafana pod with the audit sidecars, reachable only through the internal endpoint", async () => {
    const s = await synthStack("dev");
    const dep = named(s, "tracing-grafana-deployment").inputs as Inputs;
    expect(dep.spec.replicas).toBe(1);
    const pod = dep.spec.template.spec;
    expect(pod.containers.map((c: Inputs) => c.name)).toEqual(["grafana", "audit-proxy", "audit-shipper"]);
    expect(pod.containers[0].image).toMatch(/^grafana\/grafana:12\.\d+\.\d+$/);
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
      expect(c.resources.limits).toBeDefined();
      expect(c.readinessProbe).toBeDefined();
      expect(c.livenessProbe).toBeDefined();
    }
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes.find((v: Inputs) => v.name === "data").persistentVolumeClaim.claimName).toBe("grafana-data");
    const svc = named(s, "tracing-grafana-service").inputs as Inputs;
    expect(svc.spec).toMatchObject({ type: "LoadBalancer", ports: [{ port: 443, targetPort: 3000, name: "https", protocol: "TCP" }] });
    expect(svc.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internal");
  });

  it("writes grafana.ini without secrets and keeps the break-glass form in dev", async () => {
    const s = await synthStack("dev");
    const ini = parseIni(s.configFiles["grafana.ini"]);
    expect(ini.auth.disable_login_form).toBe("false");
    expect(ini.database.type).toBe("sqlite3");
    expect(ini.server.domain).toBe("tracing.dev.corp.example.com");
    const secrets = named(s, "tracing-grafana-secrets").inputs as Inputs;
    expect(secrets.stringData).toBe("[secret]");
  });

  it("provisions through a provider that waits for the workload and trusts the stack CA", async () => {
    const s = await synthStack("dev");
    const provider = s.resources.find((r) => r.type === "pulumi:providers:grafana")!;
    expect(provider.inputs.url).toBe("https://tracing.dev.corp.example.com");
    expect(provider.inputs.auth).toBe("[secret]");
    expect(provider.inputs.caCert).toBeDefined();
  });
});
