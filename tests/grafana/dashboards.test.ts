/** Dashboards built in code: the order lookup and the per-hop pipeline views. */
import { FAILED_ORDERS_QUERY, LOST_ORDERS_QUERY, ORDER_BY_ID_QUERY, orderLookupDashboard } from "../../render/dashboards/orderLookup";
import { HOPS, orderPipelineDashboard, withCondition } from "../../render/dashboards/orderPipeline";
import { METRICS_HOPS } from "../../render/dashboards/hopMetrics";

const ds = { type: "tempo" as const, uid: "tempo-orders" };

describe("Order lookup", () => {
  const d = orderLookupDashboard(ds);
  it("has a textbox `order` and queries traces by it", () => {
    expect(d.templating.list).toEqual([expect.objectContaining({ type: "textbox", name: "order" })]);
    const queries = d.panels.flatMap((p) => p.targets ?? []).map((t) => ("query" in t ? t.query : t.expr));
    expect(queries).toContain('{ span.order.id = "$order" }');
    expect(ORDER_BY_ID_QUERY).toContain("$order");
    expect(queries).toContain("{ span.order.id != nil && status = error }");
    expect(FAILED_ORDERS_QUERY).toMatch(/status = error/);
    expect(d.panels.map((p) => p.type)).toEqual(expect.arrayContaining(["traces", "table"]));
  });
  it("points every target at the given data source", () => {
    for (const t of d.panels.flatMap((p) => p.targets ?? [])) expect(t.datasource).toEqual(ds);
  });
});

describe("Order pipeline", () => {
  const d = orderPipelineDashboard(ds);
  const queries = d.panels.flatMap((p) => p.targets ?? []).map((t) => ("query" in t ? t.query : t.expr));
  it("shows rate, errors and p95 latency for every hop", () => {
    expect(HOPS.map((h) => h.name)).toEqual(["Shop -> CRM", "CRM -> RabbitMQ publish", "RabbitMQ -> MES consume", "MES -> database"]);
    for (const hop of HOPS) {
      expect(queries).toContain(`${hop.selector} | rate()`);
      expect(queries).toContain(`${hop.selector} | quantile_over_time(duration, .95)`);
      expect(queries).toContain(`${withCondition(hop.selector, "status = error")} | rate()`);
    }
    expect(queries).toContain('{ resource.service.name = "crm-api" && span.messaging.operation.type = "publish" && status = error } | rate()');
  });
  it("runs metrics queries as range queries and lays panels on the 24-column grid", () => {
    for (const t of d.panels.flatMap((p) => p.targets ?? [])) expect("metricsQueryType" in t ? t.metricsQueryType : undefined).toBe("range");
    for (const p of d.panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
  });
});

describe("span-metric panels and lost orders (R5)", () => {
  const metrics = { type: "prometheus" as const, uid: "metrics-orders" };
  it("adds rate, errors and p95 panels per hop from span metrics when a metrics store is given", () => {
    const d = orderPipelineDashboard(ds, metrics);
    const prom = d.panels.filter((p) => p.datasource?.type === "prometheus");
    expect(prom.map((p) => p.title)).toEqual(METRICS_HOPS.flatMap((h) => [`${h.name}: rate`, `${h.name}: errors`, `${h.name}: p95 duration`]));
    expect(prom.flatMap((p) => p.targets ?? []).map((t) => ("expr" in t ? t.expr : ""))).toContain('sum(rate(spans_calls_total{service_name="crm-api",span_kind="SPAN_KIND_PRODUCER",status_code="STATUS_CODE_ERROR"}[5m])) or vector(0)');
    expect(orderPipelineDashboard(ds).panels.some((p) => p.datasource?.type === "prometheus")).toBe(false);
  });
  it("lists lost orders by order id in the orders tenant's data source, shifted by the lost-order deadline", () => {
    const panel = orderLookupDashboard(ds, 15).panels.find((p) => p.title === "Lost orders");
    expect(panel?.timeShift).toBe("15m");
    expect(panel?.targets).toEqual([expect.objectContaining({ datasource: ds, query: LOST_ORDERS_QUERY, tableType: "spans" })]);
    expect(LOST_ORDERS_QUERY).toMatch(/\| count\(\) = 1 \| \{ .*\} \| select\(span\.order\.id\)$/);
  });
});
