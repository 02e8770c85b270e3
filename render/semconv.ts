/**
 * Normalises older semantic-convention attribute names to current ones at the
 * gateway, so queries, dashboards and the tenant routing see one vocabulary.
 * The amqplib instrumentation still emits the pre-1.26 messaging names; older
 * HTTP and database instrumentations emit pre-stable names. Each rename copies
 * the value only when the current name is absent, then deletes the old name.
 */
import { StatementGroup } from "./scrubbing";
import { ottlString as q } from "./collectorCommon";

export interface AttributeRename {
  readonly from: string;
  readonly to: string;
  /** Only on spans of these kinds (the meaning of net.peer.* depends on the side of the call). @default all kinds */
  readonly kinds?: readonly ("SPAN_KIND_CLIENT" | "SPAN_KIND_PRODUCER" | "SPAN_KIND_CONSUMER" | "SPAN_KIND_SERVER" | "SPAN_KIND_INTERNAL")[];
}

const OUTGOING = ["SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER", "SPAN_KIND_INTERNAL"] as const;

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
  { from: "net.host.name", to: "server.address", kinds: ["SPAN_KIND_SERVER"] },
  { from: "net.host.port", to: "server.port", kinds: ["SPAN_KIND_SERVER"] },
  // database (MES database)
  { from: "db.statement", to: "db.query.text" },
  { from: "db.system", to: "db.system.name" },
  { from: "db.name", to: "db.namespace" },
  { from: "db.operation", to: "db.operation.name" },
  { from: "db.sql.table", to: "db.collection.name" },
];

/** Deprecated attributes with no current equivalent. */
export const SEMCONV_DROPPED = ["messaging.destination_kind", "messaging.temp_destination"] as const;

function renameStatements(rename: AttributeRename): string[] {
  const from = `span.attributes[${q(rename.from)}]`;
  const to = `span.attributes[${q(rename.to)}]`;
  const kind = rename.kinds ? ` and (${rename.kinds.map((k) => `span.kind == ${k}`).join(" or ")})` : "";
  return [
    `set(${to}, ${from}) where ${from} != nil and ${to} == nil${kind}`,
    `delete_key(span.attributes, ${q(rename.from)})${rename.kinds ? ` where ${rename.kinds.map((k) => `span.kind == ${k}`).join(" or ")}` : ""}`,
  ];
}

/** A transform statement group whose statements run only on spans matching one of `conditions`. */
export interface GuardedStatementGroup extends StatementGroup {
  /** OTTL conditions, any of which lets the group's statements run (the transform processor's group `conditions`). */
  readonly conditions: string[];
}

/**
 * The semantic-convention normalisation: one statement group per old name,
 * run only on spans that carry it (the group's condition). A span from
 * current instrumentation costs one attribute lookup per old name; a span
 * with old names runs only the statements for those names, not all of them
 * (R7: measured in docs/e2e.md). Groups keep the order of SEMCONV_RENAMES.
 */
export function semconvStatementGroups(): GuardedStatementGroup[] {
  const present = (key: string) => `span.attributes[${q(key)}] != nil`;
  const oldPublish = `span.attributes["messaging.operation.type"] == "publish"`;
  return [
    ...SEMCONV_RENAMES.map((rename) => ({ context: "span" as const, conditions: [present(rename.from)], statements: renameStatements(rename) })),
    // messaging.operation "publish" became "send" (semconv 1.26); after the rename above.
    { context: "span", conditions: [oldPublish], statements: [`set(span.attributes["messaging.operation.type"], "send") where ${oldPublish}`] },
    ...SEMCONV_DROPPED.map((key) => ({ context: "span" as const, conditions: [present(key)], statements: [`delete_key(span.attributes, ${q(key)})`] })),
  ];
}
