/**
 * The stack's private PKI (R10): one CA, a certificate per platform workload
 * (server and client use, for mutual TLS between tiers) and a client
 * certificate per application (Shop, CRM, MES APIs) for mutual TLS to the
 * collector gateway. Keys are ECDSA P-256. Certificates carry an early-renewal
 * window, so a `pulumi up` inside that window replaces them before expiry.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { Application, APPLICATIONS, headlessPodDnsNames, serviceDnsNames, Workload, WORKLOADS } from "../specs/topology";

const HOURS_PER_DAY = 24;
const ORGANIZATION = "Order Pipeline Tracing";

export interface PkiArgs {
  /** Namespace the workloads run in; their certificates name its Service DNS names. */
  readonly namespace: string;
  /** Namespace resource name output, so the TLS Secrets wait for the Namespace. */
  readonly namespaceRef: pulumi.Input<string>;
  /** Lifetime of workload and application certificates, in days. @default 90 */
  readonly certValidityDays: number;
  /** Renew (replace on `pulumi up`) this many days before a certificate expires. @default 30 */
  readonly certRenewBeforeDays: number;
  /** Lifetime of the CA certificate, in days. @default 1825 */
  readonly caValidityDays: number;
  /** Renew the CA this many days before it expires (re-issues every certificate). @default 180 */
  readonly caRenewBeforeDays: number;
  /** Extra DNS names per workload, e.g. Grafana's corporate hostname. @default {} */
  readonly extraDnsNames?: Partial<Record<Workload, readonly string[]>>;
}

/** A certificate and its key, PEM encoded. The key is a Pulumi secret. */
export interface IssuedCertificate {
  readonly certPem: pulumi.Output<string>;
  readonly privateKeyPem: pulumi.Output<string>;
}

/** DNS names a workload's certificate is valid for: its Service names (and pod names for the headless sampler). */
export function workloadDnsNames(workload: Workload, namespace: string, extra: readonly string[] = []): string[] {
  const names = serviceDnsNames(workload, namespace);
  if (workload === "collector-sampler") names.push(...headlessPodDnsNames(workload, namespace));
  return [...names, ...extra];
}

/** Name of the Kubernetes TLS Secret that carries a workload's certificate, key and the CA. */
export function tlsSecretName(workload: Workload): string {
  return `${workload}-tls`;
}

export class Pki extends pulumi.ComponentResource {
  public readonly caCertPem: pulumi.Output<string>;
  public readonly workloadCertificates: Readonly<Record<Workload, IssuedCertificate>>;
  public readonly clientCertificates: Readonly<Record<Application, IssuedCertificate>>;
  /** TLS Secret names by workload, in the platform namespace. */
  public readonly tlsSecrets: Readonly<Record<Workload, pulumi.Output<string>>>;

  constructor(name: string, args: PkiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:pki:Pki", name, {}, opts);
    const child = { parent: this };

    const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, child);
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        subject: { commonName: `${name} CA`, organization: ORGANIZATION },
        isCaCertificate: true,
        validityPeriodHours: args.caValidityDays * HOURS_PER_DAY,
        earlyRenewalHours: args.caRenewBeforeDays * HOURS_PER_DAY,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      },
      child,
    );
    this.caCertPem = ca.certPem;

    const issue = (role: string, commonName: string, dnsNames: string[], uses: string[]): IssuedCertificate => {
      const key = new tls.PrivateKey(`${name}-${role}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, child);
      const csr = new tls.CertRequest(
        `${name}-${role}-csr`,
        { privateKeyPem: key.privateKeyPem, subject: { commonName, organization: ORGANIZATION }, dnsNames },
        child,
      );
      const cert = new tls.LocallySignedCert(
        `${name}-${role}-cert`,
        {
          certRequestPem: csr.certRequestPem,
          caPrivateKeyPem: caKey.privateKeyPem,
          caCertPem: ca.certPem,
          validityPeriodHours: args.certValidityDays * HOURS_PER_DAY,
          earlyRenewalHours: args.certRenewBeforeDays * HOURS_PER_DAY,
          allowedUses: uses,
        },
        child,
      );
      return { certPem: cert.certPem, privateKeyPem: pulumi.secret(key.privateKeyPem) };
    };

    const workloadCertificates = {} as Record<Workload, IssuedCertificate>;
    const tlsSecrets = {} as Record<Workload, pulumi.Output<string>>;
    for (const workload of WORKLOADS) {
      const dnsNames = workloadDnsNames(workload, args.namespace, args.extraDnsNames?.[workload] ?? []);
      // Platform workloads are servers to their clients and clients of the next tier.
      const fqdn = serviceDnsNames(workload, args.namespace).at(-1) as string;
      const issued = issue(workload, fqdn, dnsNames, [
        "digital_signature",
        "key_encipherment",
        "server_auth",
        "client_auth",
      ]);
      workloadCertificates[workload] = issued;
      const secret = new k8s.core.v1.Secret(
        `${name}-${workload}-tls`,
        {
          metadata: { name: tlsSecretName(workload), namespace: args.namespaceRef },
          type: "kubernetes.io/tls",
          stringData: { "tls.crt": issued.certPem, "tls.key": issued.privateKeyPem, "ca.crt": ca.certPem },
        },
        child,
      );
      tlsSecrets[workload] = secret.metadata.name;
    }

    const clientCertificates = {} as Record<Application, IssuedCertificate>;
    for (const app of APPLICATIONS) {
      clientCertificates[app] = issue(`client-${app}`, app, [app], ["digital_signature", "key_encipherment", "client_auth"]);
    }

    this.workloadCertificates = workloadCertificates;
    this.clientCertificates = clientCertificates;
    this.tlsSecrets = tlsSecrets;
    this.registerOutputs({ caCertPem: this.caCertPem, tlsSecrets });
  }
}
