/**
 * Which organisation gets which Tempo data source (R9), as pure data: the
 * provisioning component creates exactly these, the audit proxy listens on
 * their ports and fixes their tenants, and tests read the same list.
 * Grafana OSS has no data-source permissions; the organisation is the
 * boundary, so the Support organisation holds only the `orders` data source.
 */
import { GRAFANA_ORGS } from "../../render/grafanaIni";
import { TENANTS } from "../../specs/topology";

export type OrgKey = "support" | "engineering";

export interface TempoDataSourceSpec {
  readonly org: OrgKey;
  readonly orgName: string;
  readonly uid: string;
  readonly name: string;
  /** X-Scope-OrgID: one tenant or tenants joined by `|` (a cross-tenant read). */
  readonly tenant: string;
  /** Loopback port of the audit proxy listener that fixes this tenant. */
  readonly proxyPort: number;
  /** Dashboards placed in this organisation. */
  readonly dashboards: readonly ("order-lookup" | "order-pipeline")[];
}

export const TEMPO_DATA_SOURCES: readonly TempoDataSourceSpec[] = [
  {
    org: "support",
    orgName: GRAFANA_ORGS.support,
    uid: "tempo-orders",
    name: "Tempo (orders)",
    tenant: TENANTS.orders,
    proxyPort: 3201,
    dashboards: ["order-lookup"],
  },
  {
    org: "engineering",
    orgName: GRAFANA_ORGS.engineering,
    uid: "tempo-all",
    name: "Tempo (orders, platform)",
    tenant: `${TENANTS.orders}|${TENANTS.platform}`,
    proxyPort: 3202,
    dashboards: ["order-lookup", "order-pipeline"],
  },
];

export interface DataSourcePem {
  readonly caCert: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/** The data source's URL: the audit proxy's listener for its tenant, on loopback. */
export function tempoDataSourceUrl(spec: TempoDataSourceSpec): string {
  return `https://127.0.0.1:${spec.proxyPort}`;
}

/** Grafana's Tempo jsonData: mutual TLS to the audit proxy, the tenant header's name, no streaming. */
export function tempoJsonData(proxyServerName: string) {
  return {
    httpHeaderName1: "X-Scope-OrgID",
    tlsAuth: true,
    tlsAuthWithCACert: true,
    // The proxy presents Grafana's certificate, whose names are Grafana's Service names.
    serverName: proxyServerName,
    tlsSkipVerify: false,
    // Plain HTTP API queries (no gRPC streaming) so every query passes the audit proxy.
    streamingEnabled: { search: false, metrics: false },
    nodeGraph: { enabled: true },
    search: { hide: false },
  };
}

/** Grafana's Tempo secureJsonData: the tenant header's value and the TLS material. */
export function tempoSecureJsonData(spec: TempoDataSourceSpec, pem: DataSourcePem) {
  return {
    httpHeaderValue1: spec.tenant,
    tlsCACert: pem.caCert,
    tlsClientCert: pem.clientCert,
    tlsClientKey: pem.clientKey,
  };
}
