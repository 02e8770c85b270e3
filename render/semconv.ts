/**
 * Normalises older semantic-convention attribute names to current ones at the
 * gateway, so queries, dashboards and the tenant routing see one vocabulary.
 * The amqplib instrumentation still emits the pre-1.26 messaging names; older
 * HTTP and database instrumentations emit pre-stable names. Each rename copies
 * the value only when the current name is absent; the allow-list processor
 * after it then deletes the old name with every other key it does not keep.
 */

export interface AttributeRename {
  readonly from: string;
  readonly to: string;
  /** Only on spans of these kinds (the meaning of net.peer.* depends on the side of the call). @default all kinds */
  readonly kinds?: readonly ("SPAN_KIND_CLIENT" | "SPAN_KIND_PRODUCER" | "SPAN_KIND_CONSUMER" | "SPAN_KIND_SERVER" | "SPAN_KIND_INTERNAL")[];
}

const OUTGOING = ["SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER", "SPAN_KIND_INTERNAL"] as const;
const SERVER = ["SPAN_KIND_SERVER"] as const;

/** Old name -> current name (OpenTelemetry semantic conventions: messaging/RabbitMQ, HTTP, database, network). */
export const SEMCONV_RENAMES: readonly AttributeRename[] = [
  // messaging (amqplib)
  { from: "messaging.destination", to: "messaging.destination.name" },
  { from: "messaging.rabbitmq.routing_key", to: "messaging.rabbitmq.destination.routing_key" },
  { from: "messaging.protocol", to: "network.protocol.name" },
  { from: "messaging.protocol_version", to: "network.protocol.version" },
  { from: "messaging.message_id", to: "messaging.message.id" },
  { from: "messaging.conversation_id", to: "messaging.message.conversation_id" },
  { from: "messaging.message_payload_size_bytes", to: "messaging.message.body.size" },
  { from: "messaging.operation", to: "messaging.operation.type" },
  // network peer of outgoing calls (the broker, the database, the next API)
  { from: "net.peer.name", to: "server.address", kinds: OUTGOING },
  { from: "net.peer.port", to: "server.port", kinds: OUTGOING },
  { from: "net.sock.peer.addr", to: "network.peer.address", kinds: OUTGOING },
  { from: "net.sock.peer.port", to: "network.peer.port", kinds: OUTGOING },
  { from: "net.transport", to: "network.transport" },
  // HTTP
  { from: "http.method", to: "http.request.method" },
  { from: "http.status_code", to: "http.response.status_code" },
  { from: "http.url", to: "url.full" },
  { from: "http.scheme", to: "url.scheme" },
  { from: "http.flavor", to: "network.protocol.version" },
  { from: "net.host.name", to: "server.address", kinds: SERVER },
  { from: "net.host.port", to: "server.port", kinds: SERVER },
  // database (MES database)
  { from: "db.statement", to: "db.query.text" },
  { from: "db.system", to: "db.system.name" },
  { from: "db.name", to: "db.namespace" },
  { from: "db.operation", to: "db.operation.name" },
  { from: "db.sql.table", to: "db.collection.name" },
];

/** Deprecated attributes with no current equivalent. */
export const SEMCONV_DROPPED = ["messaging.destination_kind", "messaging.temp_destination"] as const;

/** The attributes processor's config (contrib processor/attributesprocessor v0.148.0): its actions and an optional include filter. */
export interface AttributesProcessorConfig {
  /** Spans the actions apply to: kinds and exact attribute values (internal/filter/filterconfig MatchProperties). @default every span */
  readonly include?: { readonly match_type: "strict"; readonly span_kinds?: readonly string[]; readonly attributes?: readonly { key: string; value: string }[] };
  /** Run in order on each span (internal/coreinternal/attraction ActionKeyValue). */
  readonly actions: readonly ({ key: string; action: "insert"; from_attribute: string } | { key: string; action: "delete" } | { key: string; action: "update"; value: string })[];
}

/**
 * insert = copy only when the current name is absent (attraction INSERT). The
 * old name is deleted here only if the allow-list would keep it (the config
 * refuses such additions); otherwise keep_keys drops it anyway, and a delete
 * action per rename and span costs (R7: 0.2 us per span, measured offline).
 */
const renameActions = (renames: readonly AttributeRename[], kept: ReadonlySet<string>) =>
  renames.flatMap((r) => [{ key: r.to, action: "insert" as const, from_attribute: r.from }, ...(kept.has(r.from) ? [{ key: r.from, action: "delete" as const }] : [])]);

/** Old names: the config refuses them as allow-list additions (the current name is what is kept). */
export const SEMCONV_OLD_NAMES: ReadonlySet<string> = new Set([...SEMCONV_RENAMES.map((r) => r.from), ...SEMCONV_DROPPED]);

/**
 * The semantic-convention normalisation, in pipeline order: attributes
 * processors, not OTTL. They look each name up in Go and create no OTTL
 * context per span and name, which the 28 guarded OTTL groups did (R7:
 * measured 0.4-0.6 CPU s per 100k spans less at the gateway, docs/e2e.md).
 * Renames that depend on the side of the call run in processors filtered by
 * span kind; the "publish" -> "send" value (semconv 1.26) after the renames.
 * Keys read in processor/attributesprocessor/config.go and
 * internal/coreinternal/attraction/attraction.go at contrib v0.148.0, and
 * run by the e2e tier's real Collector.
 */
export function semconvProcessors(keptSpanKeys: readonly string[] = []): Record<string, AttributesProcessorConfig> {
  const kept = new Set(keptSpanKeys);
  const sameKinds = (a: readonly string[] | undefined, b: readonly string[]) => a !== undefined && a.join() === b.join();
  const outgoing = SEMCONV_RENAMES.filter((r) => sameKinds(r.kinds, OUTGOING));
  const server = SEMCONV_RENAMES.filter((r) => sameKinds(r.kinds, SERVER));
  const all = SEMCONV_RENAMES.filter((r) => !r.kinds);
  if (all.length + outgoing.length + server.length !== SEMCONV_RENAMES.length) throw new Error("semconv: a rename's kinds are neither all, outgoing nor server");
  return {
    "attributes/semconv": { actions: [...renameActions(all, kept), ...SEMCONV_DROPPED.filter((key) => kept.has(key)).map((key) => ({ key, action: "delete" as const }))] },
    "attributes/semconv-outgoing": { include: { match_type: "strict", span_kinds: OUTGOING }, actions: renameActions(outgoing, kept) },
    "attributes/semconv-server": { include: { match_type: "strict", span_kinds: SERVER }, actions: renameActions(server, kept) },
    "attributes/semconv-send": {
      include: { match_type: "strict", attributes: [{ key: "messaging.operation.type", value: "publish" }] },
      actions: [{ key: "messaging.operation.type", action: "update", value: "send" }],
    },
  };
}
