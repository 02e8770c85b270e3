/**
 * Mutual TLS at the gateway (R10): OTLP over gRPC and HTTP is accepted only
 * from clients with a certificate of the stack's CA. Plaintext clients,
 * clients without a certificate and clients with a certificate from another
 * CA (same subject as a real application) are refused, and none of their
 * spans is stored. Positive controls through the same code paths prove the
 * checks can pass.
 */
import { randomUUID } from "crypto";
import { attachStack } from "./harness/stack";
import { waitFor } from "./harness/supervisor";
import { openTraceStore } from "./harness/traceStore";
import { exportSpans, grpcExporter, GrpcIdentity, postOtlpJson, SpanFactory, succeeded } from "./harness/otlpLoad";

const state = attachStack();
const tempo = openTraceStore(state);
// One valid order id per variant: the gateway deletes order.id values that do not match the format (R12).
const orderIds = new Map<string, string>();
const marker = (variant: string) => orderIds.get(variant) ?? (orderIds.set(variant, `ORD-${randomUUID()}`), orderIds.get(variant) as string);

async function grpcAttempt(variant: string, identity: GrpcIdentity): Promise<boolean> {
  const spans = new SpanFactory("shop-api").build([{ attributes: { "order.id": marker(variant) }, spans: 1 }]);
  const exporter = grpcExporter(state.gateway.grpcPort, identity, 5000);
  try {
    return succeeded(await exportSpans(exporter, spans));
  } finally {
    await exporter.shutdown();
  }
}

const stored = async (variant: string) => (await tempo.find("orders|platform", { attribute: "order.id", equals: marker(variant) })).length > 0;

describe("gateway mutual TLS (R10)", () => {
  const refused = ["grpc-plaintext", "grpc-no-client-cert", "grpc-rogue-ca", "http-plaintext", "http-no-client-cert", "http-rogue-ca"];

  it("refuses plaintext gRPC", async () => {
    expect(await grpcAttempt("grpc-plaintext", "insecure")).toBe(false);
  });

  it("refuses gRPC over TLS without a client certificate", async () => {
    expect(await grpcAttempt("grpc-no-client-cert", { caOnly: state.pki.caFile })).toBe(false);
  });

  it("refuses gRPC with a client certificate from another CA", async () => {
    expect(await grpcAttempt("grpc-rogue-ca", state.pki.rogueClient)).toBe(false);
  });

  it("refuses plaintext OTLP/HTTP", async () => {
    const res = await postOtlpJson(`http://127.0.0.1:${state.gateway.httpPort}/v1/traces`, undefined, { "order.id": marker("http-plaintext") });
    // Go's TLS server answers a plaintext request with 400 (or the connection fails): never 200.
    expect(res.status === undefined || res.status === 400).toBe(true);
  });

  it("refuses OTLP/HTTP without a client certificate", async () => {
    const res = await postOtlpJson(`https://127.0.0.1:${state.gateway.httpPort}/v1/traces`, { caOnly: state.pki.caFile }, { "order.id": marker("http-no-client-cert") });
    expect(res.status).toBeUndefined();
    expect(res.error).toBeDefined();
  });

  it("refuses OTLP/HTTP with a client certificate from another CA", async () => {
    const res = await postOtlpJson(`https://127.0.0.1:${state.gateway.httpPort}/v1/traces`, state.pki.rogueClient, { "order.id": marker("http-rogue-ca") });
    expect(res.status).toBeUndefined();
    expect(res.error).toBeDefined();
  });

  it("accepts the applications' certificates (positive controls) and stores none of the refused spans", async () => {
    expect(await grpcAttempt("grpc-ok", state.pki.clients["shop-api"])).toBe(true);
    const http = await postOtlpJson(`https://127.0.0.1:${state.gateway.httpPort}/v1/traces`, state.pki.clients["crm-api"], { "order.id": marker("http-ok") });
    expect(http.status).toBe(200);
    // Sent after the refused attempts: once these are stored, anything accepted earlier would be too.
    await waitFor("the positive controls in the trace store", async () => (await stored("grpc-ok")) && (await stored("http-ok")), { timeoutMs: 90_000, intervalMs: 1000 });
    for (const variant of refused) expect({ variant, stored: await stored(variant) }).toEqual({ variant, stored: false });
  });
});
