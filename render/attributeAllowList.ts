/**
 * THE attribute allow-list of the gateway (R12): the only keys that survive on
 * resources, instrumentation scopes, spans and span events. Every other key is
 * deleted before any value is looked at. Each entry says what kind of value it
 * holds; render/scrubbing.ts checks kept values by their kind. The list holds
 * what the dashboards, sampling (`order.id`, errors, latency), tenant routing
 * (`order.id`), R2 (order id, user id, service, status code, RabbitMQ
 * acknowledgement, route, query parameters, selected headers) and
 * docs/instrumentation.md need, in current semantic-convention names (the
 * gateway normalises older names first, render/semconv.ts).
 *
 * The list is deliberately short: every kept key costs a check per span
 * (issue 15's CPU budget) and is one more place personal data could hide.
 * Stacks may add keys (`tracing:scrubbing`, docs/configuration.md), never
 * remove them; added keys are checked as `name` values.
 */

/**
 * What a kept value may be, and so how it is checked:
 * - `id`: an opaque id verified against a configured format (else deleted);
 * - `method`: an HTTP method (else `_OTHER`);
 * - `token`: an identifier-like string (letters first, no spaces; else deleted), then patterns;
 * - `version`: dotted numbers such as 1.1 or 0.9.1 (else deleted);
 * - `statusCode` / `port` / `count`: integers in range (else deleted);
 * - `bool`: a boolean (else deleted);
 * - `name`: a string (host, queue, routing key, collection): personal-data patterns are replaced;
 * - `opaque`: an opaque id string (message ids): as `name`, but long hex or base64 runs are ids, not tokens;
 * - `infra`: a string set by the platform (k8s, SDK): e-mail, number and Cyrillic patterns only;
 * - `route` / `path` / `query` / `url`: rebuilt by structure, then patterns;
 * - `sql`: literals and comments replaced, then patterns;
 * - `text`: free text, replaced whole;
 * - `stacktrace`: frames kept, message lines replaced;
 * - `header`: a string list (or string): a list with any match is replaced whole.
 */
export type AttributeKind =
  | "id" | "method" | "token" | "version" | "statusCode" | "port" | "count" | "bool"
  | "name" | "opaque" | "infra" | "route" | "path" | "query" | "url" | "sql" | "text" | "stacktrace" | "header";

export type AllowList = Readonly<Record<string, AttributeKind>>;

/** Span attributes. Headers are listed through the header allow-lists below. */
export const SPAN_ATTRIBUTES: AllowList = {
  // instrumentation contract (docs/instrumentation.md): verified opaque ids
  "order.id": "id",
  "user.id": "id",
  // HTTP
  "http.request.method": "method",
  "http.route": "route",
  "http.response.status_code": "statusCode",
  "url.scheme": "token",
  "url.path": "path",
  "url.query": "query",
  "url.full": "url",
  "server.address": "infra",
  "server.port": "port",
  "network.protocol.name": "token",
  "network.protocol.version": "version",
  // peer of outgoing calls (broker, database, next API); deleted on SERVER spans, where it is the caller
  "network.peer.address": "infra",
  "network.peer.port": "port",
  // errors (R7 keeps error traces; the message itself is free text)
  "error.type": "token",
  "exception.type": "token",
  "exception.message": "text",
  "exception.stacktrace": "stacktrace",
  "exception.escaped": "bool",
  // RabbitMQ (R1 hops, R2 acknowledgement)
  "messaging.system": "token",
  "messaging.operation.type": "token",
  "messaging.operation.name": "token",
  "messaging.destination.name": "name",
  "messaging.rabbitmq.destination.routing_key": "name",
  "messaging.message.id": "opaque",
  "messaging.message.conversation_id": "opaque",
  "messaging.message.body.size": "count",
  // MES database
  "db.system.name": "token",
  "db.namespace": "name",
  "db.operation.name": "token",
  "db.collection.name": "name",
  "db.query.text": "sql",
  "db.response.status_code": "token",
};

/** Span event attributes: exception events and the SQL of query events. */
export const EVENT_ATTRIBUTES: AllowList = {
  "exception.type": "token",
  "exception.message": "text",
  "exception.stacktrace": "stacktrace",
  "exception.escaped": "bool",
  "db.query.text": "sql",
};

/** Resource attributes: service identity (R2) and where it runs. */
export const RESOURCE_ATTRIBUTES: AllowList = {
  "service.name": "infra",
  "service.version": "infra",
  "service.namespace": "infra",
  "service.instance.id": "infra",
  "deployment.environment.name": "infra",
  "deployment.environment": "infra",
  "k8s.cluster.name": "infra",
  "k8s.namespace.name": "infra",
  "k8s.pod.name": "infra",
  "k8s.pod.uid": "infra",
  "k8s.deployment.name": "infra",
  "k8s.replicaset.name": "infra",
  "k8s.statefulset.name": "infra",
  "k8s.daemonset.name": "infra",
  "k8s.job.name": "infra",
  "k8s.cronjob.name": "infra",
  "k8s.deployment.uid": "infra",
  "k8s.replicaset.uid": "infra",
  "k8s.node.uid": "infra",
  "k8s.node.name": "infra",
  "k8s.container.name": "infra",
  "container.id": "infra",
  "container.name": "infra",
  "container.image.name": "infra",
  "container.image.tag": "infra",
  "host.arch": "infra",
  "os.type": "infra",
  "cloud.provider": "infra",
  "cloud.region": "infra",
  "cloud.availability_zone": "infra",
  "process.pid": "count",
  "process.runtime.name": "infra",
  "process.runtime.version": "infra",
  "telemetry.sdk.name": "infra",
  "telemetry.sdk.language": "infra",
  "telemetry.sdk.version": "infra",
  "telemetry.distro.name": "infra",
  "telemetry.distro.version": "infra",
};

/** Instrumentation scope attributes: none are needed; stacks may add some. */
export const SCOPE_ATTRIBUTES: AllowList = {};

/** Request headers kept as http.request.header.<name> (R2 "selected headers"). */
export const REQUEST_HEADERS = ["accept", "content-length", "content-type", "x-correlation-id", "x-request-id"] as const;
/** Response headers kept as http.response.header.<name>. */
export const RESPONSE_HEADERS = ["content-length", "content-type"] as const;

/** Query parameters kept in url.query and url.full (R2 "query parameters"): paging, sorting, filters without personal values. */
export const QUERY_PARAMETERS = [
  "page", "per_page", "page_size", "limit", "offset", "marker", "sort", "order", "dir",
  "status", "type", "category", "sku", "qty", "quantity", "fields", "expand", "include", "lang", "locale", "currency",
  "since", "until", "source", "format", "version", "v", "ms",
] as const;

/** Span event names kept; any other event name is replaced (names are free text otherwise). */
export const EVENT_NAMES = ["exception", "message", "retry", "ack", "nack", "timeout"] as const;

/**
 * Formats of the contract's opaque ids (RE2, anchored, case-sensitive). A value
 * that does not match is deleted, so a span whose `order.id` fails is not an
 * order span: it is sampled as ordinary traffic and stored in tenant `platform`.
 */
export const ID_FORMATS = {
  /** `ORD-<uuid>`, a bare UUID, or `ORD-[<year>-]<1..9 digits>` (too short for a phone, card or INN). */
  orderId: "^(?:ORD-)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$|^ORD-(?:[0-9]{4}-)?[0-9]{1,9}$",
  /** An HMAC/hash of the account id in lowercase hex (32 or 64), `u_<16..64 hex>`, or a UUID. */
  userId: "^(?:[0-9a-f]{32}|[0-9a-f]{64}|u_[0-9a-f]{16,64}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$",
} as const;

/** Header names that can never be admitted, whatever a stack adds: credentials and client addresses. */
export const NEVER_HEADERS = [
  "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token", "x-forwarded-for",
  "x-real-ip", "forwarded", "true-client-ip", "cf-connecting-ip", "x-client-ip", "user-agent", "referer",
] as const;

/** Words that can never be part of an added attribute key or query parameter: they name personal data or secrets. */
export const NEVER_KEY_WORDS = [
  "password", "passwd", "secret", "token", "cookie", "authorization", "credential", "email", "e-mail", "mail", "phone",
  "msisdn", "passport", "snils", "inn", "card", "pan", "cvv", "cvc", "iban", "birth", "dob", "address", "surname",
  "first_name", "last_name", "firstname", "lastname", "fio", "login", "username", "ip", "geo", "body", "payload",
] as const;
