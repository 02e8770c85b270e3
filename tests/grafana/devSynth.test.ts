/** Grafana in the dev stack (synth): tenant isolation of data sources, the audit bucket, the hardened pod. */
import { named, ofType, synthStack } from "../support/synth";
import { TEMPO_DATA_SOURCES } from "../../components/grafana/dataSources";
import { renderGrafanaFrontNjs } from "../../render/grafanaFrontNjs";
import { parseIni } from "../../render/ini";
import { AUDIT_PROXY_NJS_MODULE } from "../../versions/grafana";

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
    const set = named(s, "tracing-grafana-statefulset").inputs as Inputs;
    expect(set.spec.replicas).toBe(1);
    const pod = set.spec.template.spec;
    expect(pod.containers.map((c: Inputs) => c.name)).toEqual(["grafana"]);
    expect(pod.containers[0].image).toMatch(/^grafana\/grafana:12\.\d+\.\d+$/);
    for (const c of [...pod.containers, ...pod.initContainers]) {
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

  it("keeps audit logs, positions and queue on per-replica volumes that outlive the pod; one pod at a time (R11)", async () => {
    const s = await synthStack("dev");
    const set = named(s, "tracing-grafana-statefulset").inputs as Inputs;
    expect(set.spec.volumeClaimTemplates.map((t: Inputs) => t.metadata.name)).toEqual(["audit-proxy", "audit-grafana", "audit-shipper"]);
    for (const t of set.spec.volumeClaimTemplates) expect(t.spec).toMatchObject({ accessModes: ["ReadWriteOnce"], storageClassName: "gp3" });
    expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    expect(set.spec.updateStrategy.type).toBe("RollingUpdate");
    const pod = set.spec.template.spec;
    // No audit file on an emptyDir: kubelet deletes those with the pod.
    const emptyDirs = pod.volumes.filter((v: Inputs) => v.emptyDir).map((v: Inputs) => v.name);
    expect(emptyDirs.sort()).toEqual(["proxy-run", "tmp"]);
    expect(ofType(s, "kubernetes:apps/v1:Deployment").filter((d) => (d.inputs.metadata as Inputs).name === "grafana")).toEqual([]);
  });

  it("lets each writer write only its own audit volume; the shipper reads both and alone owns its state (R11)", async () => {
    const s = await synthStack("dev");
    const pod = (named(s, "tracing-grafana-statefulset").inputs as Inputs).spec.template.spec;
    const all = [...pod.initContainers, ...pod.containers];
    const access = (volume: string) =>
      Object.fromEntries(all.flatMap((c: Inputs) => c.volumeMounts.filter((m: Inputs) => m.name === volume).map((m: Inputs) => [c.name, m.readOnly ? "ro" : "rw"])));
    expect(access("audit-proxy")).toEqual({ "audit-proxy": "rw", "audit-shipper": "ro" });
    expect(access("audit-grafana")).toEqual({ grafana: "rw", "audit-shipper": "ro" });
    expect(access("audit-shipper")).toEqual({ "audit-shipper": "rw" });
    const uids = all.map((c: Inputs) => c.securityContext.runAsUser);
    expect(new Set(uids).size).toBe(all.length);
    for (const c of all) expect(c.securityContext.runAsGroup).toBe(c.securityContext.runAsUser);
  });

  it("stops the writers first and the shipper last: native sidecars, in reverse start order, within the grace period (R11)", async () => {
    const s = await synthStack("dev");
    const pod = (named(s, "tracing-grafana-statefulset").inputs as Inputs).spec.template.spec;
    // Kubernetes starts init sidecars in order and stops them in reverse, after the main containers.
    expect(pod.initContainers.map((c: Inputs) => [c.name, c.restartPolicy])).toEqual([
      ["audit-shipper", "Always"],
      ["audit-proxy", "Always"],
    ]);
    expect(pod.terminationGracePeriodSeconds).toBe(120);
    const shipper = pod.initContainers[0];
    expect(shipper.args).toContain("--feature-gates=stanza.synchronousLogEmitter");
    expect(shipper.ports).toContainEqual({ name: "metrics", containerPort: 8888, protocol: "TCP" });
  });

  it("opens SSO logins only once the organisations exist (the gate annotation is written from their ids)", async () => {
    const s = await synthStack("dev");
    const set = named(s, "tracing-grafana-statefulset").inputs as Inputs;
    expect(set.spec.template.metadata.annotations).not.toHaveProperty(["tracing.platform/sso-gate"]);
    const gate = set.spec.template.spec.volumes.find((v: Inputs) => v.name === "sso-gate");
    expect(gate.downwardAPI.items[0].fieldRef.fieldPath).toBe("metadata.annotations['tracing.platform/sso-gate']");
    const patches = ofType(s, "kubernetes:apps/v1:StatefulSetPatch");
    expect(patches).toHaveLength(1);
    // The value is computed from both organisations' ids: the patch cannot be sent before they exist.
    expect((patches[0].inputs as Inputs).spec.template.metadata.annotations["tracing.platform/sso-gate"]).toBe("set $sso_ready 1; # organisations 2,3");
    const front = s.configFiles["audit-proxy.conf"];
    expect(front).toMatch(/set \$sso_ready 0;\n\s+include \/etc\/grafana-sso-gate\/sso-gate\.conf;/);
    expect(front).toMatch(/location \/login\/generic_oauth \{\n\s+if \(\$sso_ready = 0\) \{\n\s+return 503;/);
  });

  it("loads the image's njs module and ships the front's njs script that records SSO login names (R11)", async () => {
    const s = await synthStack("dev");
    const conf = s.configFiles["audit-proxy.conf"];
    expect(conf).toMatch(/^# Rendered by[^\n]*\nload_module \/usr\/lib\/nginx\/modules\/ngx_http_js_module\.so;\n/);
    expect(AUDIT_PROXY_NJS_MODULE).toBe("/usr/lib/nginx/modules/ngx_http_js_module.so");
    expect(conf).toContain("js_import front_audit from /etc/grafana-config/grafana-front.js;");
    expect(s.configFiles["grafana-front.js"]).toBe(renderGrafanaFrontNjs());
  });

  it("admits basic auth and the login form only from loopback and tracing:deployerCidrs", async () => {
    const s = await synthStack("dev");
    const front = s.configFiles["audit-proxy.conf"];
    const geo = /geo \$deployer \{([^}]*)\}/.exec(front)![1].trim().split("\n").map((l) => l.trim());
    expect(geo).toEqual(["default 0;", "127.0.0.0/8 1;", "::1/128 1;", "10.20.8.0/24 1;"]);
    const ini = parseIni(s.configFiles["grafana.ini"]);
    expect(ini.server).toMatchObject({ http_addr: "127.0.0.1", http_port: "3001" });
  });

  it("encrypts audit records with a dedicated key that only the break-glass role may disable, delete or re-policy (R11)", async () => {
    const s = await synthStack("dev");
    const breakGlass = "arn:aws:iam::111111111111:role/tracing-audit-break-glass";
    const key = named(s, "tracing-grafana-audit-key").inputs as Inputs;
    const policy = JSON.parse(key.policy);
    const deny = policy.Statement.find((st: Inputs) => st.Effect === "Deny");
    expect(deny).toMatchObject({ Principal: "*", Condition: { ArnNotEquals: { "aws:PrincipalArn": breakGlass } } });
    expect(deny.Action).toEqual(expect.arrayContaining(["kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"]));
    const allowAll = policy.Statement.filter((st: Inputs) => st.Effect === "Allow" && st.Action === "kms:*");
    expect(allowAll.map((st: Inputs) => st.Principal.AWS)).toEqual([breakGlass]);
    const sse = (named(s, "tracing-grafana-audit-encryption").inputs.rules as Inputs[])[0].applyServerSideEncryptionByDefault;
    // The mocks name each key's ARN after its resource: the bucket uses the audit key, not the database's.
    expect(sse.kmsMasterKeyId).toMatch(/key\/mock-key-id-tracing-grafana-audit-key$/);
    expect(key.description).toMatch(/audit/);
    const bucketPolicy = JSON.parse(named(s, "tracing-grafana-audit-policy").inputs.policy as string);
    const lock = bucketPolicy.Statement.find((st: Inputs) => st.Sid === "OnlyBreakGlassChangesRetentionOrPolicy");
    expect(lock.Action).toEqual(expect.arrayContaining(["s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"]));
    expect(lock.Condition).toEqual({ ArnNotEquals: { "aws:PrincipalArn": breakGlass } });
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
