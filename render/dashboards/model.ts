/**
 * Typed builders for the subset of Grafana's dashboard JSON model that the
 * platform's dashboards use (schemaVersion 39+), with Tempo TraceQL targets.
 * Pure: dashboards are data built in code, never pasted JSON.
 */

export interface DataSourceRef {
  readonly type: "tempo";
  readonly uid: string;
}

/** A Prometheus data source (the metrics stores, R5). */
export interface MetricsSourceRef {
  readonly type: "prometheus";
  readonly uid: string;
}

export interface PromTarget {
  readonly refId: string;
  readonly datasource: MetricsSourceRef;
  readonly expr: string;
  /** Series name in the legend. */
  readonly legendFormat: string;
  readonly range: true;
}

export interface TempoTarget {
  readonly refId: string;
  readonly datasource: DataSourceRef;
  readonly queryType: "traceql";
  readonly query: string;
  /** How many traces a search returns. */
  readonly limit?: number;
  /** Search results as one row per trace or per span. */
  readonly tableType?: "traces" | "spans";
  /** TraceQL metrics queries run as range queries (time series). */
  readonly metricsQueryType?: "range" | "instant";
  /** Step of a metrics query, e.g. "1m". */
  readonly step?: string;
}

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Panel {
  readonly id: number;
  readonly type: "traces" | "table" | "timeseries" | "text" | "row";
  readonly title: string;
  readonly description?: string;
  readonly gridPos: GridPos;
  readonly datasource?: DataSourceRef | MetricsSourceRef;
  readonly targets?: readonly (TempoTarget | PromTarget)[];
  /** Shifts the panel's time range back, e.g. "10m". */
  readonly timeShift?: string;
  readonly fieldConfig?: { readonly defaults: Record<string, unknown>; readonly overrides: readonly unknown[] };
  readonly options?: Record<string, unknown>;
  readonly collapsed?: boolean;
}

export interface TextboxVariable {
  readonly type: "textbox";
  readonly name: string;
  readonly label: string;
  readonly query: string;
  readonly current: { readonly text: string; readonly value: string };
  readonly hide: 0;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly editable: boolean;
  readonly schemaVersion: number;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly timezone: "utc";
  readonly templating: { readonly list: readonly TextboxVariable[] };
  readonly panels: readonly Panel[];
}

export const SCHEMA_VERSION = 39;

export function traceqlSearch(refId: string, ds: DataSourceRef, query: string, limit = 20, tableType: "traces" | "spans" = "traces"): TempoTarget {
  return { refId, datasource: ds, queryType: "traceql", query, limit, tableType };
}

export function traceqlMetrics(refId: string, ds: DataSourceRef, query: string, step = "1m"): TempoTarget {
  return { refId, datasource: ds, queryType: "traceql", query, metricsQueryType: "range", step };
}

export function promql(refId: string, ds: MetricsSourceRef, expr: string, legendFormat: string): PromTarget {
  return { refId, datasource: ds, expr, legendFormat, range: true };
}

/** Lays panels out left to right, wrapping at Grafana's 24-column grid. */
export function layout<T extends Omit<Panel, "id" | "gridPos">>(panels: readonly (T & { readonly w: number; readonly h: number })[]): Panel[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map(({ w, h, ...panel }, index) => {
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const placed = { ...panel, id: index + 1, gridPos: { x, y, w, h } } as Panel;
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return placed;
  });
}

/** Dashboard JSON as Grafana's API expects it, keys in a stable order. */
export function dashboardJson(d: Dashboard): string {
  return JSON.stringify(d, null, 2);
}
