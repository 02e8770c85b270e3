/** Requests to the sample services, with the personal data the scrubbing checks plant (R12). */
import { randomUUID } from "crypto";
import { StackState } from "./stack";
import { request } from "./tlsHttp";

/**
 * Personal data a careless client and careless services put into an order:
 * the body, the query string, the Authorization and Cookie headers. The apps
 * copy parts of it into span events, exception messages and SQL literals.
 */
export const PLANTED = {
  email: "ivan.petrov@example.com",
  phone: "+7 (912) 345-67-89",
  cardNumber: "4111 1111 1111 1111",
  name: "Ivan Petrovich Sidorov",
  authorization: "Bearer sk_live_e2eSecretToken42",
  cookie: "session=e2e-session-cookie-secret",
} as const;

/** Every form in which a planted value could show up in stored JSON. */
export function plantedForms(): string[] {
  const forms = new Set<string>();
  for (const value of Object.values(PLANTED)) {
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  }
  forms.add(PLANTED.cardNumber.replace(/\s/g, ""));
  forms.add(PLANTED.phone.replace(/[^\d+]/g, ""));
  forms.add("sk_live_e2eSecretToken42");
  forms.add("e2e-session-cookie-secret");
  forms.add("Sidorov");
  return [...forms];
}

/**
 * A unique run marker that survives the gateway's scrubbing (R12) as the value
 * of the allow-listed `marker` query parameter: letters only, since digit runs
 * and digit-rich words are redacted as possible phone numbers or tokens.
 */
export function runMarker(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, "").replace(/\d/g, (d) => "ghijklmnop"[Number(d)])}`;
}

/** A valid order id (docs/instrumentation.md format): the gateway deletes any other value of order.id. */
export const newOrderId = () => `ORD-${randomUUID()}`;

export interface PlacedOrder {
  readonly status: number;
  readonly orderId: string;
  readonly userId: string;
  readonly traceId: string;
  readonly requestId: string;
}

export interface OrderOptions {
  /** Let the message wait in RabbitMQ this long before MES consumes it. */
  readonly consumerDelayMs?: number;
  /** Publish to the queue that rejects every message: the broker nacks. */
  readonly simulateNack?: boolean;
  /** MES writes to a missing table: the database answers an error. */
  readonly simulateDbError?: boolean;
  /** Extra query parameters (e.g. a marker to search for). */
  readonly query?: Readonly<Record<string, string>>;
}

export async function placeOrder(state: StackState, options: OrderOptions = {}): Promise<PlacedOrder> {
  const requestId = `req-${randomUUID()}`;
  const body = JSON.stringify({
    email: PLANTED.email,
    phone: PLANTED.phone,
    cardNumber: PLANTED.cardNumber,
    name: PLANTED.name,
    items: [{ sku: "BOLT-M8", quantity: 3 }],
    consumerDelayMs: options.consumerDelayMs,
    simulateNack: options.simulateNack,
    simulateDbError: options.simulateDbError,
  });
  const extra = options.query ? `&${new URLSearchParams(options.query)}` : "";
  const res = await request(`${state.apps.shop}/orders?email=${encodeURIComponent(PLANTED.email)}&source=e2e${extra}`, {
    method: "POST",
    body,
    headers: { authorization: PLANTED.authorization, cookie: PLANTED.cookie, "x-request-id": requestId, accept: "application/json" },
  });
  const json = JSON.parse(res.body) as { orderId?: string; userId?: string; traceId?: string };
  if (!json.orderId || !json.traceId || !json.userId) throw new Error(`POST /orders answered ${res.status} ${res.body}`);
  return { status: res.status, orderId: json.orderId, userId: json.userId, traceId: json.traceId, requestId };
}

/** GET on the Shop API; returns the HTTP status. */
export async function shopGet(state: StackState, pathAndQuery: string, headers: Record<string, string> = {}): Promise<number> {
  return (await request(`${state.apps.shop}${pathAndQuery}`, { headers })).status;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}
