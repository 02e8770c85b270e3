import { APPLICATIONS, serviceDnsNames, WORKLOADS } from "../../specs/topology";
import { SECRET_MARK } from "../../synth/synthesize";
import { named, ofType, synthStack } from "../support/synth";

// Dev stack: certValidityDays 30, certRenewBeforeDays 10; CA defaults 1825 / 180 days.
describe("PKI in the dev stack", () => {
  it("uses ECDSA P-256 for every certificate key", async () => {
    const keys = ofType(await synthStack("dev"), "tls:index/privateKey:PrivateKey").filter((k) => k.parent?.endsWith("::tracing-pki"));
    expect(keys.length).toBe(1 + WORKLOADS.length + APPLICATIONS.length);
    for (const key of keys) expect(key.inputs).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P256" });
  });

  it("has one self-signed CA that renews early", async () => {
    const cas = ofType(await synthStack("dev"), "tls:index/selfSignedCert:SelfSignedCert");
    expect(cas).toHaveLength(1);
    expect(cas[0].inputs).toMatchObject({ isCaCertificate: true, validityPeriodHours: 1825 * 24, earlyRenewalHours: 180 * 24 });
    expect(cas[0].inputs.allowedUses).toContain("cert_signing");
  });

  it("issues workload certificates for the in-cluster DNS names, renewed before expiry", async () => {
    const s = await synthStack("dev");
    for (const workload of WORKLOADS) {
      const csr = named(s, `tracing-pki-${workload}-csr`);
      const dnsNames = csr.inputs.dnsNames as string[];
      for (const name of serviceDnsNames(workload, "tracing")) expect(dnsNames).toContain(name);
      const cert = named(s, `tracing-pki-${workload}-cert`);
      expect(cert.inputs).toMatchObject({ validityPeriodHours: 30 * 24, earlyRenewalHours: 10 * 24 });
      expect(cert.inputs.allowedUses).toEqual(expect.arrayContaining(["server_auth", "client_auth"]));
    }
    expect(named(s, "tracing-pki-collector-sampler-csr").inputs.dnsNames).toContain("*.collector-sampler.tracing.svc.cluster.local");
    expect(named(s, "tracing-pki-grafana-csr").inputs.dnsNames).toContain("tracing.dev.corp.example.com");
  });

  it("issues client-only certificates for Shop, CRM and MES APIs", async () => {
    const s = await synthStack("dev");
    expect(APPLICATIONS).toEqual(["shop-api", "crm-api", "mes-api"]);
    for (const app of APPLICATIONS) {
      const csr = named(s, `tracing-pki-client-${app}-csr`);
      expect((csr.inputs.subject as { commonName: string }).commonName).toBe(app);
      const cert = named(s, `tracing-pki-client-${app}-cert`);
      expect(cert.inputs.allowedUses).toContain("client_auth");
      expect(cert.inputs.allowedUses).not.toContain("server_auth");
    }
  });

  it("delivers workload certificates as Kubernetes TLS secrets with the key kept secret", async () => {
    const secrets = ofType(await synthStack("dev"), "kubernetes:core/v1:Secret").filter((r) => r.inputs.type === "kubernetes.io/tls");
    const names = secrets.map((r) => (r.inputs.metadata as { name: string }).name).sort();
    expect(names).toEqual(WORKLOADS.map((w) => `${w}-tls`).sort());
    for (const secret of secrets) {
      expect((secret.inputs.metadata as { namespace: string }).namespace).toBe("tracing");
      expect(secret.inputs.stringData).toBe(SECRET_MARK);
    }
  });
});
