/** Trace storage as the dev stack declares it (component test on the real program). */
import { tlsSecretName } from "../../components/pki";
import { platformFlows } from "../../specs/flows";
import { PORTS, TLS_MOUNT, workloadLabels } from "../../specs/topology";
import { TEMPO_IMAGE } from "../../versions/tempo";
import { ofType, synthStack } from "../support/synth";
import { Json, only, policyJson, tempoOverridesYaml, tempoStatefulSet, tempoYaml, traceStoreResources } from "./storageSynth";

const s3 = (t: string) => `aws:s3/${t}`;

describe("trace storage in the dev stack", () => {
  it("keeps blocks 7 days (168h) for every tenant, each entry carrying the defaults' limits", async () => {
    const s = await synthStack("dev");
    const c = tempoYaml(s);
    expect(c.backend_worker.compaction.block_retention).toBe("168h");
    expect(c.backend_scheduler.provider.compaction.compaction.block_retention).toBe("168h");
    expect(c.overrides.defaults.compaction.block_retention).toBe("168h");
    const o = tempoOverridesYaml(s).overrides;
    expect(Object.keys(o)).toEqual(["orders", "platform"]);
    for (const entry of Object.values(o)) expect(entry).toEqual(c.overrides.defaults);
    expect(c.multitenancy_enabled).toBe(true);
  });

  it("archives deleted blocks to GLACIER for 90 days, never current objects", async () => {
    const s = await synthStack("dev");
    const rules = only(s, s3("bucketLifecycleConfiguration:BucketLifecycleConfiguration")).rules as Json[];
    const archive = rules.filter((r) => r.noncurrentVersionTransitions);
    expect(archive).toHaveLength(1);
    expect(archive[0].noncurrentVersionTransitions).toEqual([{ noncurrentDays: 1, storageClass: "GLACIER" }]);
    expect(archive[0].noncurrentVersionExpiration).toEqual({ noncurrentDays: 90 });
    expect(rules.filter((r) => r.transitions !== undefined)).toEqual([]);
    expect(rules.some((r) => r.expiration?.expiredObjectDeleteMarker === true)).toBe(true);
    expect(rules.some((r) => r.abortIncompleteMultipartUpload?.daysAfterInitiation === 1)).toBe(true);
  });

  it("makes the bucket versioned, private, owner-enforced and SSE-KMS with a rotating key", async () => {
    const s = await synthStack("dev");
    expect(only(s, s3("bucketVersioning:BucketVersioning")).versioningConfiguration).toEqual({ status: "Enabled" });
    expect(only(s, s3("bucketOwnershipControls:BucketOwnershipControls")).rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    const pab = only(s, s3("bucketPublicAccessBlock:BucketPublicAccessBlock"));
    expect([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets]).toEqual([true, true, true, true]);
    const key = only(s, "aws:kms/key:Key");
    expect(key.enableKeyRotation).toBe(true);
    expect(key.deletionWindowInDays).toBe(30);
    const sse = only(s, s3("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")).rules[0];
    expect(sse.bucketKeyEnabled).toBe(true);
    expect(sse.applyServerSideEncryptionByDefault.sseAlgorithm).toBe("aws:kms");
    expect(sse.applyServerSideEncryptionByDefault.kmsMasterKeyId).toMatch(/^arn:aws:kms:/);
    expect(only(s, "aws:kms/alias:Alias").name).toMatch(/^alias\//);
    expect(only(s, s3("bucket:Bucket")).forceDestroy).toBe(false);
  });

  it("limits object data to the stack's S3 VPC endpoint and requires TLS", async () => {
    const s = await synthStack("dev");
    const endpoint = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoint).toHaveLength(1);
    const policy = policyJson(s, s3("bucketPolicy:BucketPolicy"));
    const tls = policy.Statement.find((st: Json) => st.Condition?.Bool);
    expect(tls.Condition.Bool).toEqual({ "aws:SecureTransport": "false" });
    const vpce = policy.Statement.find((st: Json) => st.Condition?.StringNotEquals);
    // The synth mock gives every custom resource the id `<name>-id`.
    expect(vpce.Condition.StringNotEquals["aws:SourceVpce"]).toBe(`${endpoint[0].name}-id`);
    expect(vpce.Effect).toBe("Deny");
  });

  it("lets only the tempo service account assume Tempo's role, which reaches only this bucket and key", async () => {
    const s = await synthStack("dev");
    const trust = JSON.parse(only(s, "aws:iam/role:Role").assumeRolePolicy as string) as Json;
    const issuer = "oidc.eks.eu-central-1.amazonaws.com/id/DEV0EXAMPLE0ISSUER";
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Principal).toEqual({ Federated: `arn:aws:iam::111111111111:oidc-provider/${issuer}` });
    expect(trust.Statement[0].Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:tracing:tempo", [`${issuer}:aud`]: "sts.amazonaws.com" },
    });

    const access = policyJson(s, "aws:iam/rolePolicy:RolePolicy");
    const bucketArn = `arn:aws:s3:::${tempoYaml(s).storage.trace.s3.bucket}`;
    const resources = access.Statement.flatMap((st: Json) => st.Resource);
    expect(new Set(resources)).toEqual(new Set([bucketArn, `${bucketArn}/*`, only(s, s3("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")).rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId]));
  });

  it("points Tempo at the trace bucket in the stack's region with IRSA credentials", async () => {
    const s = await synthStack("dev");
    const trace = tempoYaml(s).storage.trace;
    expect(trace.backend).toBe("s3");
    expect(trace.s3.endpoint).toBe("s3.eu-central-1.amazonaws.com");
    expect(trace.s3.region).toBe("eu-central-1");
    expect(trace.s3.access_key).toBeUndefined();
    const sa = ofType(s, "kubernetes:core/v1:ServiceAccount").find((r) => (r.inputs as Json).metadata.name === "tempo")?.inputs as Json;
    const roleArn = `arn:aws:iam::123456789012:role/${traceStoreResources(s, "aws:iam/role:Role")[0].name}`;
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(roleArn);
    expect(tempoStatefulSet(s).spec.template.spec.serviceAccountName).toBe("tempo");
  });

  it("reads TLS material exactly where the tempo TLS Secret is mounted", async () => {
    const s = await synthStack("dev");
    const c = tempoYaml(s);
    const pod = tempoStatefulSet(s).spec.template.spec;
    const tlsVolume = pod.volumes.find((v: Json) => v.secret?.secretName === tlsSecretName("tempo"));
    expect(tlsVolume).toBeDefined();
    const mount = pod.containers[0].volumeMounts.find((m: Json) => m.name === tlsVolume.name);
    expect(mount.mountPath).toBe(TLS_MOUNT.dir);
    const files = { cert: `${mount.mountPath}/tls.crt`, key: `${mount.mountPath}/tls.key`, ca: `${mount.mountPath}/ca.crt` };
    expect(files).toEqual({ cert: TLS_MOUNT.cert, key: TLS_MOUNT.key, ca: TLS_MOUNT.ca });
    for (const server of [c.server.http_tls_config, c.server.grpc_tls_config]) {
      expect(server).toEqual({ cert_file: files.cert, key_file: files.key, client_auth_type: "RequireAndVerifyClientCert", client_ca_file: files.ca });
    }
    const otlp = c.distributor.receivers.otlp.protocols.grpc;
    expect(otlp.endpoint).toBe(`0.0.0.0:${PORTS.otlpGrpc}`);
    expect(otlp.tls).toMatchObject({ cert_file: files.cert, key_file: files.key, client_ca_file: files.ca });
    // The overrides file Tempo reads is in the mounted ConfigMap.
    const configVolume = pod.volumes.find((v: Json) => v.configMap);
    const configMount = pod.containers[0].volumeMounts.find((m: Json) => m.name === configVolume.name);
    expect(c.overrides.per_tenant_override_config).toBe(`${configMount.mountPath}/tempo-overrides.yaml`);
    expect(pod.containers[0].args).toContain(`-config.file=${configMount.mountPath}/tempo.yaml`);
  });

  it("runs a hardened, pinned, resource-bounded pod with its WAL on a PersistentVolumeClaim", async () => {
    const s = await synthStack("dev");
    const sts = tempoStatefulSet(s);
    const pod = sts.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe(TEMPO_IMAGE);
    expect(container.image).toMatch(/^grafana\/tempo:3\.\d+\.\d+$/);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.ports.every((p: Json) => p.hostPort === undefined)).toBe(true);
    for (const kind of ["requests", "limits"]) {
      expect(container.resources[kind].cpu).toBeTruthy();
      expect(container.resources[kind].memory).toBeTruthy();
    }
    const tmp = pod.volumes.find((v: Json) => v.emptyDir);
    expect(container.volumeMounts.find((m: Json) => m.name === tmp.name).mountPath).toBe("/tmp");

    const claim = sts.spec.volumeClaimTemplates[0];
    expect(claim.spec.storageClassName).toBe("gp3");
    const dataMount = container.volumeMounts.find((m: Json) => m.name === claim.metadata.name).mountPath as string;
    const c = tempoYaml(s);
    for (const path of [c.storage.trace.wal.path, c.live_store.wal.path, c.backend_scheduler.local_work_path]) {
      expect(path.startsWith(`${dataMount}/`)).toBe(true);
    }
  });

  it("probes /ready over HTTPS on the port Tempo's internal server listens on", async () => {
    const s = await synthStack("dev");
    const container = tempoStatefulSet(s).spec.template.spec.containers[0];
    const internalPort = tempoYaml(s).internal_server.http_listen_port;
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet.path).toBe("/ready");
      expect(probe.httpGet.scheme).toBe("HTTPS");
      const port = container.ports.find((p: Json) => p.name === probe.httpGet.port);
      expect(port.containerPort).toBe(internalPort);
    }
    expect(tempoYaml(s).internal_server.http_tls_config.cert_file).toBe(TLS_MOUNT.cert);
  });

  it("exposes Tempo only through a ClusterIP Service with the query, gRPC and OTLP ports", async () => {
    const s = await synthStack("dev");
    const service = ofType(s, "kubernetes:core/v1:Service").find((r) => (r.inputs as Json).metadata.name === "tempo")?.inputs as Json;
    expect(service.spec.type).toBe("ClusterIP");
    expect(service.spec.selector).toEqual(workloadLabels("tempo"));
    expect(service.spec.ports.map((p: Json) => p.port).sort()).toEqual([PORTS.tempoHttp, PORTS.otlpGrpc, PORTS.tempoGrpc].sort());
    const c = tempoYaml(s);
    expect(c.server.http_listen_port).toBe(PORTS.tempoHttp);
    expect(c.server.grpc_listen_port).toBe(PORTS.tempoGrpc);
    expect(tempoStatefulSet(s).spec.template.metadata.labels).toEqual(workloadLabels("tempo"));
  });

  it("has a PodDisruptionBudget selecting the Tempo pod", async () => {
    const s = await synthStack("dev");
    const pdbs = ofType(s, "kubernetes:policy/v1:PodDisruptionBudget").filter((r) => (r.inputs as Json).metadata.name === "tempo");
    expect(pdbs).toHaveLength(1);
    const spec = (pdbs[0].inputs as Json).spec;
    expect(spec.selector).toEqual({ matchLabels: workloadLabels("tempo") });
    expect(spec.maxUnavailable).toBe(1);
  });

  it("admits to Tempo only the sampler on the OTLP port, Grafana and the platform metrics store (its scrape) on the HTTP port", async () => {
    const s = await synthStack("dev");
    const c = tempoYaml(s);
    const otlpPort = Number(String(c.distributor.receivers.otlp.protocols.grpc.endpoint).split(":").pop());
    const tempoIngress = ofType(s, "kubernetes:networking.k8s.io/v1:NetworkPolicy")
      .map((r) => (r.inputs as Json).spec)
      .filter((spec: Json) => spec.policyTypes.includes("Ingress") && spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === "tempo");
    const allowed = tempoIngress.flatMap((spec: Json) =>
      spec.ingress.flatMap((rule: Json) =>
        rule.from.flatMap((peer: Json) => rule.ports.map((p: Json) => `${peer.podSelector?.matchLabels?.["app.kubernetes.io/name"] ?? JSON.stringify(peer)}:${p.port}`)),
      ),
    );
    expect(allowed.sort()).toEqual([`collector-sampler:${otlpPort}`, `grafana:${c.server.http_listen_port}`, `metrics-all:${c.server.http_listen_port}`].sort());
    // The same flows exist in the pure flow list.
    const flows = platformFlows({
      applicationNamespaces: [],
      applicationCidrs: [],
      corporateCidrs: ["10.0.0.0/8"],
      idpEgressCidrs: ["10.1.0.0/16"],
      awsApiEgressCidrs: ["10.2.0.0/16"],
      deployerCidrs: ["10.3.8.0/24"],
      vpcCidr: "10.3.0.0/16",
      exposeCollector: false,
      grafanaDatabase: "sqlite",
    }).filter((f) => f.to.some((p) => p.kind === "workload" && p.workload === "tempo"));
    expect(flows.map((f) => f.ports.map((p) => p.port)).flat().sort()).toEqual([otlpPort, c.server.http_listen_port, c.server.http_listen_port].sort());
  });
});
