/**
 * Entry point of one sample service: `tsx e2e/app/main.ts shop|crm|mes`.
 * Telemetry starts before the service module loads http, amqplib and pg, so
 * the instrumentations can patch them.
 */
import { startTelemetry } from "./telemetry";

const SERVICES = { shop: "shop-api", crm: "crm-api", mes: "mes-api" } as const;
type Service = keyof typeof SERVICES;

const service = process.argv[2] as Service;
if (!(service in SERVICES)) {
  console.error(`usage: main.ts ${Object.keys(SERVICES).join("|")}`);
  process.exit(2);
}

const provider = startTelemetry(SERVICES[service]);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { start } = require(`./${service}`) as { start: () => Promise<() => Promise<void>> };

start().then(
  (stop) => {
    console.log(`${SERVICES[service]} listening on 127.0.0.1:${process.env.PORT}`);
    let stopping = false;
    const shutdown = async () => {
      if (stopping) return;
      stopping = true;
      await stop().catch((e) => console.error(e));
      await provider.shutdown().catch((e) => console.error(e));
      process.exit(0);
    };
    process.on("SIGTERM", shutdown);
    process.on("SIGINT", shutdown);
  },
  (err) => {
    console.error(`${SERVICES[service]} failed to start:`, err);
    process.exit(1);
  },
);
