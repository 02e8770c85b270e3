/** Starts the sample Shop, CRM and MES APIs (e2e/app) as separate processes, exporting to the gateway over mutual TLS. */
import * as path from "path";
import { Application } from "../../specs/topology";
import { CertFiles } from "./certs";
import { REPO_ROOT, TSX } from "./paths";
import { ManagedProcess, Supervisor, waitFor } from "./supervisor";
import { request } from "./tlsHttp";

export interface AppPorts {
  readonly shop: number;
  readonly crm: number;
  readonly mes: number;
}

export interface AppDependencies {
  readonly gatewayGrpcPort: number;
  readonly clients: Readonly<Record<Application, CertFiles>>;
  readonly amqpUrl: string;
  readonly postgresEnv: Readonly<Record<string, string>>;
}

const SERVICE_OF = { shop: "shop-api", crm: "crm-api", mes: "mes-api" } as const;

/** The documented exporter settings (docs/instrumentation.md section 4). */
function otlpEnv(deps: AppDependencies, app: Application): Record<string, string> {
  const tls = deps.clients[app];
  return {
    OTEL_SERVICE_NAME: app,
    OTEL_EXPORTER_OTLP_ENDPOINT: `https://127.0.0.1:${deps.gatewayGrpcPort}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
    OTEL_EXPORTER_OTLP_CERTIFICATE: tls.caFile,
    OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: tls.certFile,
    OTEL_EXPORTER_OTLP_CLIENT_KEY: tls.keyFile,
  };
}

export async function startApps(supervisor: Supervisor, ports: AppPorts, deps: AppDependencies): Promise<ManagedProcess[]> {
  const main = path.join(REPO_ROOT, "e2e", "app", "main.ts");
  const start = (service: keyof AppPorts, extra: Record<string, string>) =>
    supervisor.start({
      name: SERVICE_OF[service],
      command: TSX,
      args: [main, service],
      cwd: REPO_ROOT,
      env: { PORT: String(ports[service]), ...otlpEnv(deps, SERVICE_OF[service]), ...extra },
    });
  const processes = [
    start("mes", { AMQP_URL: deps.amqpUrl, ...deps.postgresEnv }),
    start("crm", { AMQP_URL: deps.amqpUrl }),
    start("shop", { CRM_URL: `http://127.0.0.1:${ports.crm}`, USER_ID_KEY: "e2e-pseudonymisation-key" }),
  ];
  await Promise.all(
    processes.map((p, i) =>
      waitFor(`${p.spec.name} /health`, async () => (await request(`http://127.0.0.1:${[ports.mes, ports.crm, ports.shop][i]}/health`, { timeoutMs: 2000 })).status === 200, {
        timeoutMs: 60_000,
        process: p,
        intervalMs: 300,
      }),
    ),
  );
  return processes;
}
