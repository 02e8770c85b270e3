/**
 * Shop API: accepts orders (POST /orders), creates the order id and the
 * pseudonymous user id, puts both into W3C baggage (docs/instrumentation.md
 * section 2) and calls the CRM API. Also serves ordinary traffic for the
 * sampling checks: /catalog, /health, /error (500) and /slow.
 */
import { context, propagation, trace } from "@opentelemetry/api";
import { createHmac, randomUUID } from "crypto";
import { env, OrderRequest, sleep } from "./env";
import { callJson, serve } from "./web";

export async function start(): Promise<() => Promise<void>> {
  const crmUrl = env("CRM_URL");
  const userIdKey = env("USER_ID_KEY");
  const server = await serve(Number(env("PORT")), [
    { method: "GET", route: "/health", handler: async () => ({ status: 200, body: { status: "ok" } }) },
    { method: "GET", route: "/catalog", handler: async () => ({ status: 200, body: { items: [{ sku: "BOLT-M8", price: 12 }, { sku: "NUT-M8", price: 3 }] } }) },
    {
      method: "GET",
      route: "/error",
      handler: async (req) => {
        throw new Error(`payment declined for ${req.query.get("email") ?? "unknown"}`);
      },
    },
    {
      method: "GET",
      route: "/slow",
      handler: async (req) => {
        await sleep(Number(req.query.get("ms") ?? "2500"));
        return { status: 200, body: { status: "slow" } };
      },
    },
    {
      method: "POST",
      route: "/orders",
      handler: async (req) => {
        const order = req.body as OrderRequest;
        const orderId = `ORD-${randomUUID()}`;
        const userId = createHmac("sha256", userIdKey).update(order.email.trim().toLowerCase()).digest("hex").slice(0, 32);
        const span = trace.getActiveSpan();
        // The server span started before the ids were known: set them on it directly.
        span?.setAttributes({ "order.id": orderId, "user.id": userId });
        // Careless on purpose (R12 test): contact data in an event; the gateway rewrites e-mails and phone numbers.
        span?.addEvent("order received", { "customer.contact": `${order.email}, ${order.phone}` });
        const baggage = (propagation.getBaggage(context.active()) ?? propagation.createBaggage())
          .setEntry("order.id", { value: orderId })
          .setEntry("user.id", { value: userId });
        const requestId = req.headers["x-request-id"];
        const crm = await context.with(propagation.setBaggage(context.active(), baggage), () =>
          callJson(`${crmUrl}/customers/orders`, { ...order, orderId, userId }, typeof requestId === "string" ? { "x-request-id": requestId } : {}),
        );
        const traceId = span?.spanContext().traceId;
        if (crm.status >= 300) return { status: 502, body: { orderId, userId, traceId, error: `crm answered ${crm.status}` } };
        return { status: 201, body: { orderId, userId, traceId } };
      },
    },
  ]);
  return () => new Promise((resolve) => server.close(() => resolve()));
}
