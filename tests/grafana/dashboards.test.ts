/** Dashboards built in code: the order lookup and the per-hop pipeline views. */
import { FAILED_ORDERS_QUERY, ORDER_BY_ID_QUERY, orderLookupDashboard } from "../../render/dashboards/orderLookup";
import { HOPS, orderPipelineDashboard, withCondition } from "../../render/dashboards/orderPipeline";

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
