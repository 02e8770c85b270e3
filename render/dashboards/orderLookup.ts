/**
 * "Order lookup" (R2, R9): Support types an order id and sees the order's
 * traces, plus the recently failed orders. Shown in both organisations.
 */
import { Dashboard, DataSourceRef, layout, SCHEMA_VERSION, traceqlSearch } from "./model";

export const ORDER_LOOKUP_UID = "order-lookup";

/** TraceQL for all spans of one order; `$order` is the dashboard's textbox variable. */
export const ORDER_BY_ID_QUERY = '{ span.order.id = "$order" }';
/** The Shop API span that accepted an order (POST /orders answered 201). */
export const ACCEPTED_ORDER_SPAN = 'resource.service.name = "shop-api" && kind = server && span.http.route = "/orders" && span.http.response.status_code = 201';
/** A successful MES database write: db.operation.name where instrumentations set it, else the pg span name. */
export const ORDER_WRITE_SPAN = 'resource.service.name = "mes-api" && (span.db.operation.name = "INSERT" || name =~ "pg.query:INSERT.*") && status != error';

/**
 * TraceQL (tenant orders) for lost orders: traces where exactly one span is
 * an accepted order or a successful MES write, and that span is the accepted
 * order, i.e. no write followed. Selects order.id so the table lists the
 * affected order ids. (Structural negation `!<<` returns nothing when its
 * left side matches no span, so it cannot express "no write".)
 */
export const LOST_ORDERS_QUERY = `{ (${ACCEPTED_ORDER_SPAN}) || (${ORDER_WRITE_SPAN}) } | count() = 1 | { ${ACCEPTED_ORDER_SPAN} } | select(span.order.id)`;

/** TraceQL for orders whose traces contain an error. */
export const FAILED_ORDERS_QUERY = "{ span.order.id != nil && status = error }";

/** `lostOrderMinutes`: an order younger than this may still be on its way, so the lost-orders panel looks that far back. @default 10 */
export function orderLookupDashboard(ds: DataSourceRef, lostOrderMinutes = 10): Dashboard {
  return {
    uid: ORDER_LOOKUP_UID,
    title: "Order lookup",
    description: "Find an order's traces by order id; recent failed orders below.",
    tags: ["orders", "tracing"],
    editable: false,
    schemaVersion: SCHEMA_VERSION,
    time: { from: "now-24h", to: "now" },
    refresh: "",
    timezone: "utc",
    templating: {
      list: [{ type: "textbox", name: "order", label: "Order id", query: "", current: { text: "", value: "" }, hide: 0 }],
    },
    panels: layout([
      {
        type: "table",
        title: "Traces of order $order",
        description: "Every trace that carries span attribute order.id = $order. Click a trace id to open it.",
        datasource: ds,
        targets: [traceqlSearch("A", ds, ORDER_BY_ID_QUERY, 50, "traces")],
        w: 24,
        h: 10,
      },
      {
        type: "traces",
        title: "Order $order: latest trace",
        datasource: ds,
        targets: [traceqlSearch("A", ds, ORDER_BY_ID_QUERY, 1, "traces")],
        w: 24,
        h: 14,
      },
      {
        type: "table",
        title: "Lost orders",
        description: `Orders accepted by Shop API (201) more than ${lostOrderMinutes} minutes ago that reached no successful MES database write: one row per order id. The LostOrders alert counts them from span metrics.`,
        datasource: ds,
        targets: [traceqlSearch("A", ds, LOST_ORDERS_QUERY, 100, "spans")],
        timeShift: `${lostOrderMinutes}m`,
        w: 24,
        h: 10,
      },
      {
        type: "table",
        title: "Recent failed orders",
        description: "Traces with an order id and at least one span with error status.",
        datasource: ds,
        targets: [traceqlSearch("A", ds, FAILED_ORDERS_QUERY, 100, "spans")],
        w: 24,
        h: 10,
      },
    ]),
  };
}
