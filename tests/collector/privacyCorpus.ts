/**
 * R12 corpus: personal data planted the way a Russian shop's services leak it,
 * and legitimate values that must survive scrubbing with their type. Written
 * from real formats (RU phone writings, passport, SNILS, INN, PAN with NBSP,
 * IDN and percent-encoded e-mails, JWTs, presigned URLs, pg/amqplib/http
 * instrumentation shapes) BEFORE the gateway's patterns, and grouped by the
 * classes of issue 12. Each case is one span in its own resource, so resource
 * and scope attributes belong to exactly one case.
 *
 * Used by tests/collector/privacyCorpus.test.ts (OTTL simulator) and
 * e2e/privacyCorpus.test.ts (the real gateway binary, which is the judge).
 */

/** An attribute value with its OTLP type: plain numbers are ints when whole. */
export type Value = string | number | boolean | readonly Value[] | { readonly double: number } | { readonly kvlist: Readonly<Record<string, Value>> };
export type Attributes = Record<string, Value>;
/** Array.isArray that narrows readonly lists too. */
export const isList = (v: unknown): v is readonly Value[] => Array.isArray(v);
export type SpanKind = "SPAN_KIND_SERVER" | "SPAN_KIND_CLIENT" | "SPAN_KIND_PRODUCER" | "SPAN_KIND_CONSUMER" | "SPAN_KIND_INTERNAL";

export interface CorpusSpan {
  name: string;
  kind: SpanKind;
  statusMessage: string;
  traceState: string;
  attributes: Attributes;
  events: { name: string; attributes: Attributes }[];
  links: { traceId: string; spanId: string; attributes: Attributes }[];
}
export interface CorpusTrace {
  resource: Attributes;
  scope: Attributes;
  span: CorpusSpan;
}

export type CaseClass = "unknown-key" | "format" | "unreached-place" | "trusted-exemption" | "legitimate";

/** Where an expected value is read from the scrubbed span. */
export type Location =
  | { readonly at: "span" | "resource" | "scope"; readonly key: string }
  | { readonly at: "event"; readonly index: number; readonly key: string }
  | { readonly at: "name" | "status" | "eventName" };

export interface CorpusCase {
  readonly id: string;
  readonly cls: CaseClass;
  readonly trace: CorpusTrace;
  /** Personal data: none of these may appear anywhere in the scrubbed span (checked literally, decoded and as digits). */
  readonly secrets: readonly string[];
  /** Legitimate values that must survive exactly, type included (`undefined` = must be absent). */
  readonly keep: readonly { readonly where: Location; readonly value: Value | undefined }[];
}

const RESOURCE: Attributes = { "service.name": "crm-api", "service.version": "1.4.2", "deployment.environment.name": "prod" };

/** A span of the kind as the services' instrumentations make it: HTTP server, pg client, amqplib producer/consumer, or internal. */
function base(kind: SpanKind = "SPAN_KIND_SERVER"): CorpusTrace {
  const shapes: Record<SpanKind, [string, Attributes]> = {
    SPAN_KIND_SERVER: ["POST /customers/orders", { "http.request.method": "POST", "http.route": "/customers/orders", "http.response.status_code": 202, "url.path": "/customers/orders", "url.scheme": "https" }],
    SPAN_KIND_CLIENT: ["INSERT mes.orders", { "db.system.name": "postgresql", "db.operation.name": "INSERT", "server.address": "mes-db.internal", "server.port": 5432 }],
    SPAN_KIND_PRODUCER: ["publish orders", { "messaging.system": "rabbitmq", "messaging.destination.name": "orders", "messaging.operation.type": "send" }],
    SPAN_KIND_CONSUMER: ["process orders", { "messaging.system": "rabbitmq", "messaging.destination.name": "orders", "messaging.operation.type": "process" }],
    SPAN_KIND_INTERNAL: ["validate order", {}],
  };
  const [name, attributes] = shapes[kind];
  return { resource: { ...RESOURCE }, scope: {}, span: { name, kind, statusMessage: "", traceState: "", attributes: { ...attributes }, events: [], links: [] } };
}

type Edit = (t: CorpusTrace) => void;
const cases: CorpusCase[] = [];
function leak(id: string, cls: Exclude<CaseClass, "legitimate">, secrets: string[], edit: Edit, kind?: SpanKind): void {
  const trace = base(kind);
  edit(trace);
  cases.push({ id, cls, trace, secrets, keep: [] });
}
function keep(id: string, where: Location, value: Value | undefined, edit: Edit, kind?: SpanKind): void {
  const trace = base(kind);
  edit(trace);
  cases.push({ id, cls: "legitimate", trace, secrets: [], keep: [{ where, value }] });
}
const span = (key: string) => ({ at: "span", key }) as const;
const onSpan = (key: string, value: Value): Edit => (t) => void (t.span.attributes[key] = value);
const onResource = (key: string, value: Value): Edit => (t) => void (t.resource[key] = value);
const onEvent = (name: string, attributes: Attributes): Edit => (t) => void t.span.events.push({ name, attributes });

const BAD_IDS_2: [string, Value, string[]][] = [
  ["user.id", "IVAN.PETROV@MAIL.RU", ["ivan.petrov"]],
  ["user.id", -79123456789, ["79123456789"]],
  ["user.id", true, []],
  ["order.id", "ORD-2024-000123\nivan@mail.ru", ["ivan@mail.ru"]],
  ["order.id", "ORD-79123456789", ["79123456789"]],
  ["order.id", { kvlist: { id: "ORD-2024-000123", email: "ivan@mail.ru" } }, ["ivan@mail.ru"]],
];

// ---------------------------------------------------------------- class: unknown keys
const UNKNOWN_KEYS: [string, Value, string[]][] = [
  ["customer.name", "Иван Петров", ["Иван", "Петров"]],
  ["customer.full_name", "Petrov Ivan Sergeevich", ["Petrov", "Sergeevich"]],
  ["customer.fio", "Сидорова Анна Павловна", ["Сидорова", "Павловна"]],
  ["delivery.address", "г. Москва, ул. Ленина, д. 12, кв. 34", ["Ленина", "кв. 34"]],
  ["shipping_address", "620014, Екатеринбург, пр. Мира 5-17", ["620014", "Мира"]],
  ["customer.passport", "4510 123456", ["4510", "123456"]],
  ["passportNumber", "45 10 № 123456", ["123456"]],
  ["customer.snils", "112-233-445 95", ["112-233-445"]],
  ["inn", "7707083893", ["7707083893"]],
  ["customer.inn", "500100732259", ["500100732259"]],
  ["birth_date", "1985-03-14", ["1985-03-14"]],
  ["dob", "14.03.1985", ["14.03.1985"]],
  ["card.cvv", 123, ["123"]],
  ["payment.cvc", "737", ["737"]],
  ["login", "ivan_petrov85", ["ivan_petrov85"]],
  ["app.client_ip", "203.0.113.7", ["203.0.113.7"]],
  ["remote_addr", "2001:db8:85a3::8a2e:370:7334", ["2001:db8:85a3"]],
  ["http.request.headers", '{"authorization":"Bearer abc.def.ghi","x-forwarded-for":"198.51.100.23"}', ["abc.def.ghi", "198.51.100.23"]],
  ["messaging.rabbitmq.message.body", '{"email":"anna.s@yandex.ru","phone":"+79161234567"}', ["anna.s", "9161234567"]],
  ["amqp.payload", "order for Иван Петров, тел. 8 (916) 123-45-67", ["Иван", "9161234567"]],
  ["db.postgresql.parameters", "['Ivan', '+79123456789', '4111111111111111']", ["Ivan", "9123456789", "4111111111111111"]],
  ["pg.values", ["Иван", "ivan@mail.ru"], ["Иван", "ivan@mail.ru"]],
  ["user.email", "ivan.petrov@gmail.com", ["ivan.petrov@gmail.com"]],
  ["user.phone", "+7 912 345-67-89", ["9123456789"]],
  ["user.full_name", "Ivan Petrov", ["Ivan Petrov"]],
  ["enduser.id", "ivan.petrov", ["ivan.petrov"]],
  ["customer.phone", 79123456789, ["79123456789"]],
  ["payment.pan", 4111111111111111, ["4111111111111111"]],
  ["recipients", ["a.ivanova@mail.ru", "b.petrov@mail.ru"], ["a.ivanova", "b.petrov"]],
  ["customer", { kvlist: { name: "Ivan", email: "ivan@mail.ru" } }, ["ivan@mail.ru"]],
  ["comment", "позвоните после 18:00, Мария", ["Мария"]],
  ["geo.location", "55.7558,37.6173", ["55.7558"]],
  ["user_agent.original", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X)", ["iPhone OS 17_2"]],
  ["http.request.header.authorization", ["Bearer sk_live_51HqLyjWDarjtT1zdp7dc"], ["sk_live_51HqLyjWDarjtT1zdp7dc"]],
  ["http.request.header.cookie", ["session=6f1c2a9b8e7d; _ym_uid=1700000000123456789"], ["6f1c2a9b8e7d", "1700000000123456789"]],
  ["http.request.header.x-forwarded-for", ["198.51.100.23, 10.0.0.1"], ["198.51.100.23"]],
  ["http.request.header.x-real-ip", ["198.51.100.24"], ["198.51.100.24"]],
  ["http.response.header.set-cookie", ["sid=s%3Aabc123def456; Path=/; HttpOnly"], ["abc123def456"]],
  ["client.address", "198.51.100.25", ["198.51.100.25"]],
  ["network.peer.address", "198.51.100.26", ["198.51.100.26"]],
  ["order.customer_email", "petrova.m@bk.ru", ["petrova.m"]],
  ["order.note", "домофон 34, код 1234К, спросить Ольгу", ["Ольгу"]],
  ["customer.birthdate", { double: 19850314 }, ["19850314"]],
];
UNKNOWN_KEYS.forEach(([key, value, secrets], i) => leak(`unknown-key-${i + 1}-${key}`, "unknown-key", secrets, onSpan(key, value)));
leak("unknown-key-resource-command-line", "unknown-key", ["hunter2"], onResource("process.command_line", "node server.js --db-password=hunter2"));
leak("unknown-key-resource-contact", "unknown-key", ["ops.lead"], onResource("deployment.contact", "ops.lead@shop.example.ru"));
leak("unknown-key-resource-owner", "unknown-key", ["Петров"], onResource("service.owner", "Петров И.С."));
leak("unknown-key-event-attribute", "unknown-key", ["ivan@mail.ru"], onEvent("exception", { "exception.type": "ValidationError", "customer.email": "ivan@mail.ru" }));
leak("unknown-key-event-body", "unknown-key", ["9031112233"], onEvent("message", { "message.body": '{"phone":"+7 903 111-22-33"}' }));
leak("unknown-key-db-user", "unknown-key", ["ivan_ro"], onSpan("db.user", "ivan_ro"), "SPAN_KIND_CLIENT");

// ---------------------------------------------------------------- class: formats the patterns must catch
const PHONES = [
  "+7 (912) 345-67-89", "+7 912 345 67 89", "+79123456789", "79123456789", "89123456789", "9123456789",
  "8 (912) 345-67-89", "8-912-345-67-89", "8.912.345.67.89", "+7.912.345.67.89", "%2B79123456789", "%2B7%20912%20345%2067%2089",
  "+7 (912) 3456789", "7 912 345 67 89", "912 345-67-89", "(912) 345-67-89", "+7\u00a0912\u00a0345-67-89", "%252B79123456789",
];
// In an allow-listed query parameter (so the patterns, not the parameter allow-list, must catch them) and in a kept header.
PHONES.forEach((phone, i) => leak(`format-phone-query-${i + 1}`, "format", ["9123456789"], onSpan("url.query", `status=${phone}&page=2`)));
PHONES.forEach((phone, i) => leak(`format-phone-header-${i + 1}`, "format", ["9123456789"], onSpan("http.request.header.x-correlation-id", [decodeURIComponent(phone)])));
leak("format-phone-unlisted-param", "format", ["9123456789"], onSpan("url.query", "phone=%2B79123456789&page=2"));
leak("format-phone-camel-param", "format", ["9161234567"], onSpan("url.query", "contactPhone=89161234567"));
leak("format-phone-in-header", "format", ["9161234567"], onSpan("http.request.header.x-correlation-id", ["call-back 8 916 123 45 67"]));
leak("format-phone-in-route-value", "format", ["9031234567"], (t) => ((t.span.attributes["url.path"] = "/callbacks/79031234567"), delete t.span.attributes["http.route"]));
const EMAILS = [
  "ivan.petrov@mail.ru", "IVAN.PETROV@MAIL.RU", "ivan%40mail.ru", "ivan%2540mail.ru", "иван@почта.рф", "ivan@xn--80a1acny.xn--p1ai",
  "%D0%B8%D0%B2%D0%B0%D0%BD%40%D0%BF%D0%BE%D1%87%D1%82%D0%B0.%D1%80%D1%84", "ivan+orders@yandex.ru", "i.petrov@shop-example.co.uk", "petrov@почта.рф",
];
EMAILS.forEach((email, i) =>
  leak(`format-email-${i + 1}`, "format", [email.replace(/%25/g, "%").replace(/%40/g, "@").split("@")[0].slice(0, 12)], onSpan("url.query", `status=new&source=${email}`)),
);
leak("format-email-unlisted-param", "format", ["anna.s"], onSpan("url.query", "q=anna.s%40yandex.ru&page=1"));
leak("format-email-in-allowed-param", "format", ["anna.s"], onSpan("url.query", "status=anna.s@yandex.ru"));
leak("format-email-in-path", "format", ["ivan.petrov"], (t) => ((t.span.attributes["url.path"] = "/users/ivan.petrov@mail.ru/orders"), delete t.span.attributes["http.route"]));
leak("format-email-in-routing-key", "format", ["ivan.petrov"], onSpan("messaging.rabbitmq.destination.routing_key", "notify.ivan.petrov@mail.ru"), "SPAN_KIND_PRODUCER");
const CARDS = ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "4111\u00a01111\u00a01111\u00a01111", "4111\u202f1111\u202f1111\u202f1111", "4111\t1111 1111  1111", "2200 7001 2345 6789", "5555 5555 5555 4444", "3782 822463 10005", "6304000000000000018"];
CARDS.forEach((card, i) => leak(`format-card-${i + 1}`, "format", [card.replace(/\D/g, "")], onSpan("http.request.header.x-correlation-id", [`pay ${card}`])));
leak("format-passport", "format", ["4510123456"], onSpan("url.query", "status=4510 123456"));
leak("format-passport-numbered", "format", ["123456"], onSpan("http.request.header.x-request-id", ["45 10 № 123456"]));
leak("format-snils", "format", ["11223344595"], onSpan("http.request.header.x-request-id", ["112-233-445 95"]));
leak("format-snils-compact", "format", ["11223344595"], onSpan("url.query", "status=11223344595"));
leak("format-inn-10", "format", ["7707083893"], onSpan("url.query", "status=7707083893"));
leak("format-inn-12", "format", ["500100732259"], onSpan("http.request.header.x-correlation-id", ["inn:500100732259"]));
const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3OTEyMzQ1Njc4OSIsIm5hbWUiOiJJdmFuIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
leak("format-jwt-in-path", "format", ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "dozjgNryP4J3jVmNHl0w5N"], (t) => ((t.span.attributes["url.path"] = `/auth/callback/${JWT}`), delete t.span.attributes["http.route"]));
leak("format-jwt-in-span-name", "format", ["dozjgNryP4J3jVmNHl0w5N"], (t) => void (t.span.name = `verify ${JWT}`), "SPAN_KIND_INTERNAL");
leak("format-jwt-in-header", "format", ["dozjgNryP4J3jVmNHl0w5N"], onSpan("http.request.header.x-request-id", [JWT]));
leak("format-token-in-path", "format", ["3f2a9c0e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"], (t) => ((t.span.attributes["url.path"] = "/reset-password/3f2a9c0e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"), delete t.span.attributes["http.route"]));
leak("format-token-raw-path-with-route", "format", ["Zx81Kq0pLm29VbN4"], (t) => void (t.span.attributes["url.path"] = "/customers/orders/Zx81Kq0pLm29VbN4TtYy77uu"));
leak("format-token-stripe", "format", ["sk_live_51HqLyjWDarjtT1zdp7dc"], onSpan("http.request.header.x-correlation-id", ["sk_live_51HqLyjWDarjtT1zdp7dc"]));
leak("format-presigned-url", "format", ["AKIAIOSFODNN7EXAMPLE", "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024"], (t) => {
  t.span.kind = "SPAN_KIND_CLIENT";
  t.span.attributes = {
    "http.request.method": "GET",
    "url.full": "https://shop-invoices.s3.eu-central-1.amazonaws.com/inv/42.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240501%2Feu-central-1%2Fs3%2Faws4_request&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
    "http.response.status_code": 200,
  };
});
leak("format-url-userinfo", "format", ["svc-orders", "s3cr3tP4ss"], (t) => {
  t.span.kind = "SPAN_KIND_CLIENT";
  t.span.attributes = { "http.request.method": "POST", "url.full": "https://svc-orders:s3cr3tP4ss@crm.internal/api/v1/orders", "http.response.status_code": 202 };
});
leak("format-url-fragment", "format", ["ya29.a0AfH6SMBx"], (t) => {
  t.span.kind = "SPAN_KIND_CLIENT";
  t.span.attributes = { "http.request.method": "GET", "url.full": "https://shop.example.ru/oauth/done#access_token=ya29.a0AfH6SMBx&token_type=Bearer", "http.response.status_code": 200 };
});
leak("format-url-full-query-email", "format", ["m.sidorova"], (t) => {
  t.span.kind = "SPAN_KIND_CLIENT";
  t.span.attributes = { "http.request.method": "GET", "url.full": "https://crm.internal/api/customers?email=m.sidorova%40mail.ru&limit=1", "http.response.status_code": 200 };
});
leak("format-url-full-path-phone", "format", ["9161234567"], (t) => {
  t.span.kind = "SPAN_KIND_CLIENT";
  t.span.attributes = { "http.request.method": "GET", "url.full": "https://sms.example.ru/v1/status/+79161234567", "http.response.status_code": 200 };
});
leak("format-ipv4-in-query", "format", ["198.51.100.77"], onSpan("url.query", "status=198.51.100.77"));
leak("format-ipv6-in-header", "format", ["2001:db8::7334"], onSpan("http.request.header.x-correlation-id", ["from 2001:db8::7334"]));
leak("format-cyrillic-name-in-span-name", "format", ["Иванов"], (t) => void (t.span.name = "обработка заказа Иванов"), "SPAN_KIND_INTERNAL");
leak("format-email-in-span-name", "format", ["ivan.petrov"], (t) => void (t.span.name = "send receipt to ivan.petrov@mail.ru"), "SPAN_KIND_INTERNAL");
leak("format-raw-path-span-name", "format", ["ivan.petrov"], (t) => void (t.span.name = "GET /users/ivan.petrov@mail.ru"));
leak("format-phone-span-name", "format", ["9123456789"], (t) => void (t.span.name = "sms 8 912 345 67 89"), "SPAN_KIND_CLIENT");
leak("format-http-method-free-text", "format", ["Petrov"], (t) => void (t.span.attributes["http.request.method"] = "Petrov"));
const SQL: [string, string[]][] = [
  ["SELECT * FROM customers WHERE phone = '+79123456789'", ["9123456789"]],
  ["SELECT id FROM customers WHERE email = E'ivan\\'s@mail.ru'", ["mail.ru"]],
  ["UPDATE customers SET passport = $$4510 123456$$ WHERE id = $1", ["4510 123456", "123456"]],
  ["UPDATE customers SET note = $q$позвонить Ивану$q$ WHERE id = $1", ["Ивану"]],
  ["SELECT * FROM cards WHERE pan IN (4111111111111111, 5555555555554444)", ["4111111111111111", "5555555555554444"]],
  ["INSERT INTO customers (name, surname) VALUES ('Иван', 'Петров')", ["Иван", "Петров"]],
  ["SELECT * FROM users WHERE name = U&'\\0418\\0432\\0430\\043D'", ["0418"]],
  ["SELECT * FROM t WHERE email = 'a@b.ru' -- asked by ivan.petrov@mail.ru", ["ivan.petrov", "a@b.ru"]],
  ["SELECT * FROM t /* customer Ivan Petrov */ WHERE id = $1", ["Ivan Petrov"]],
  ["SELECT * FROM t WHERE inn = 7707083893 AND snils = '112-233-445 95'", ["7707083893", "112-233-445"]],
];
SQL.forEach(([sql, secrets], i) => leak(`format-sql-${i + 1}`, "format", secrets, onSpan("db.query.text", sql), "SPAN_KIND_CLIENT"));

// ---------------------------------------------------------------- class: places the old rules never reached
leak("place-array-header-email", "unreached-place", ["ivan.petrov"], onSpan("http.request.header.x-correlation-id", ["ok", "ivan.petrov@mail.ru"]));
leak("place-array-header-phone", "unreached-place", ["9123456789"], onSpan("http.request.header.x-request-id", ["+7 912 345 67 89"]));
leak("place-int-status-code", "unreached-place", ["79123456789"], onSpan("http.response.status_code", 79123456789));
leak("place-int-port", "unreached-place", ["4111111111111111"], onSpan("server.port", 4111111111111111));
leak("place-double-body-size", "unreached-place", ["79123456789"], onSpan("messaging.message.body.size", { double: 79123456789 }), "SPAN_KIND_PRODUCER");
leak("place-string-status-code", "unreached-place", ["ivan@mail.ru"], onSpan("http.response.status_code", "ivan@mail.ru"));
leak("place-list-under-route", "unreached-place", ["ivan@mail.ru"], onSpan("http.route", ["ivan@mail.ru"]));
leak("place-map-under-query", "unreached-place", ["ivan@mail.ru"], onSpan("url.query", { kvlist: { email: "ivan@mail.ru" } }));
leak("place-link-attributes", "unreached-place", ["ivan.petrov", "9123456789"], (t) =>
  t.span.links.push({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", attributes: { "customer.email": "ivan.petrov@mail.ru", phone: "+79123456789" } }),
);
leak("place-link-trace-state", "unreached-place", ["ivan.petrov"], (t) =>
  t.span.links.push({ traceId: "0af7651916cd43dd8448eb211c80319d", spanId: "b7ad6b7169203332", attributes: { "messaging.message.id": "ivan.petrov@mail.ru" } }),
);
leak("place-span-trace-state", "unreached-place", ["ivanpetrov"], (t) => void (t.span.traceState = "shop=user:ivanpetrov"));
leak("place-scope-attribute", "unreached-place", ["o.kuznetsova"], (t) => void (t.scope["maintainer"] = "o.kuznetsova@shop.example.ru"));
leak("place-scope-attribute-phone", "unreached-place", ["9051234567"], (t) => void (t.scope["support.phone"] = "+7 905 123-45-67"));
leak("place-event-url", "unreached-place", ["ivan.petrov"], onEvent("redirect", { "url.full": "https://shop.example.ru/cb?email=ivan.petrov@mail.ru" }));
leak("place-event-sql", "unreached-place", ["Петров"], onEvent("exception", { "exception.type": "QueryFailedError", "db.query.text": "SELECT * FROM c WHERE surname = 'Петров'" }));
leak("place-stacktrace-second-line", "unreached-place", ["ivan.petrov", "9123456789"], onEvent("exception", {
  "exception.type": "ValidationError",
  "exception.stacktrace": "ValidationError: bad customer\ncustomer: ivan.petrov@mail.ru\nphone: 89123456789\n    at validate (/app/src/orders.js:10:5)\n    at process (/app/src/orders.js:20:3)",
}));
leak("place-stacktrace-java-cause", "unreached-place", ["Petrova"], onEvent("exception", {
  "exception.type": "java.lang.IllegalStateException",
  "exception.stacktrace": "java.lang.IllegalStateException: order failed\n\tat com.shop.Orders.place(Orders.java:42)\nCaused by: java.lang.IllegalArgumentException: unknown customer Petrova Maria\n\tat com.shop.Customers.find(Customers.java:17)\n\t... 3 more",
}));
leak("place-stacktrace-python", "unreached-place", ["anna.s"], onEvent("exception", {
  "exception.type": "ValueError",
  "exception.stacktrace": 'Traceback (most recent call last):\n  File "/app/orders.py", line 12, in place\n    check(email)\nValueError: invalid email anna.s@yandex.ru',
}));
leak("place-stacktrace-indented-message", "unreached-place", ["Lenina"], onEvent("exception", {
  "exception.type": "Error",
  "exception.stacktrace": "Error: address rejected\n    address: Moscow, Lenina 12\n    at check (/app/src/address.js:4:11)",
}));
leak("place-exception-message-span", "unreached-place", ["Ivan Petrov"], onSpan("exception.message", "Invalid phone for Ivan Petrov"));
leak("place-exception-message-event", "unreached-place", ["ivan@mail.ru"], onEvent("exception", { "exception.type": "Error", "exception.message": "duplicate ivan@mail.ru" }));
leak("place-error-message", "unreached-place", ["Sidorov"], onSpan("error.message", "customer Sidorov not found"));
leak("place-status-message", "unreached-place", ["ivan.petrov"], (t) => void (t.span.statusMessage = "customer ivan.petrov@mail.ru not found"));
leak("place-status-message-plain-name", "unreached-place", ["Kuznetsova"], (t) => void (t.span.statusMessage = "rejected for Olga Kuznetsova"));
leak("place-event-name-email", "unreached-place", ["ivan.petrov"], onEvent("user ivan.petrov@mail.ru logged in", {}));
leak("place-event-name-free-text", "unreached-place", ["Мария"], onEvent("звонок клиенту Мария", {}));
leak("place-server-peer-name", "unreached-place", ["ivans-laptop"], onSpan("net.peer.name", "ivans-laptop.home"));
leak("place-old-semconv-url", "unreached-place", ["ivan.petrov"], onSpan("http.url", "https://shop.example.ru/orders?email=ivan.petrov@mail.ru"));
leak("place-old-semconv-target", "unreached-place", ["Petrov"], onSpan("http.target", "/orders?last_name=Petrov"));
leak("place-old-semconv-statement", "unreached-place", ["9123456789"], onSpan("db.statement", "SELECT * FROM c WHERE phone = '+79123456789'"), "SPAN_KIND_CLIENT");

// Second batch (written before the pattern changes it drove): glued and obfuscated writings, other runtimes, more places.
leak("format-phone-glued-to-letters", "format", ["9123456789"], onSpan("messaging.message.conversation_id", "tel89123456789"), "SPAN_KIND_PRODUCER");
leak("format-phone-login-glued", "format", ["9123456789"], onSpan("messaging.destination.name", "user79123456789"), "SPAN_KIND_PRODUCER");
leak("format-phone-plus-glued", "format", ["9123456789"], onSpan("http.request.header.x-correlation-id", ["tel+79123456789"]));
leak("format-phone-extension", "format", ["9123456789"], onSpan("http.request.header.x-correlation-id", ["+7 912 345-67-89 доб. 123"]));
leak("format-email-at-obfuscated", "format", ["ivan"], onSpan("http.request.header.x-correlation-id", ["ivan(at)mail.ru"]));
leak("format-email-json-in-header", "format", ["ivan.petrov"], onSpan("http.request.header.x-correlation-id", ['{"email":"ivan.petrov@mail.ru"}']));
leak("format-ipv4-mapped-ipv6", "format", ["203.0.113.9"], onSpan("http.request.header.x-correlation-id", ["::ffff:203.0.113.9"]));
leak("format-ipv6-full", "format", ["2001:0db8:85a3"], onSpan("url.query", "status=2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
leak("format-cyrillic-double-encoded", "format", ["%25D0%2598%25D0%25B2"], onSpan("url.query", "source=%25D0%2598%25D0%25B2%25D0%25B0%25D0%25BD"));
leak("format-card-underscores", "format", ["4111111111111111"], onSpan("messaging.message.id", "4111_1111_1111_1111"), "SPAN_KIND_PRODUCER");
leak("format-passport-glued-cyrillic", "format", ["4510123456"], onSpan("http.request.header.x-correlation-id", ["паспорт4510123456"]));
leak("format-latin-name-span-name", "format", ["Petrov"], (t) => void (t.span.name = "charge card of Ivan Petrov"), "SPAN_KIND_INTERNAL");
leak("format-latin-name-span-name-end", "format", ["Sidorova"], (t) => void (t.span.name = "notify Sidorova"), "SPAN_KIND_INTERNAL");
leak("format-raw-path-no-route-login", "format", ["ivan.petrov"], (t) => ((t.span.attributes["url.path"] = "/customers/ivan.petrov/orders"), delete t.span.attributes["http.route"]));
leak("format-raw-path-no-route-name", "format", ["Petrov"], (t) => ((t.span.attributes["url.path"] = "/profile/Ivan-Petrov"), delete t.span.attributes["http.route"]));
leak("format-query-semicolon", "format", ["ivan.petrov"], onSpan("url.query", "status=new;email=ivan.petrov@mail.ru"));
leak("format-query-encoded-name", "format", ["ivan"], onSpan("url.query", "e%6Dail=ivan%40mail.ru&page=1"));
leak("format-url-ip-in-path", "format", ["203.0.113.8"], (t) => {
  t.span.kind = "SPAN_KIND_CLIENT";
  t.span.attributes = { "http.request.method": "GET", "url.full": "https://geo.internal/v1/lookup/203.0.113.8", "http.response.status_code": 200 };
});
leak("format-url-userinfo-only", "format", ["ivan.petrov"], (t) => {
  t.span.kind = "SPAN_KIND_CLIENT";
  t.span.attributes = { "http.request.method": "GET", "url.full": "https://ivan.petrov@crm.internal/api", "http.response.status_code": 200 };
});
leak("format-method-with-email", "format", ["ivan"], onSpan("http.request.method", "GET ivan@mail.ru"));
leak("format-scheme-email", "format", ["ivan"], onSpan("url.scheme", "ivan@mail.ru"));
leak("format-protocol-version-phone", "format", ["79123456789"], onSpan("network.protocol.version", "79123456789"));
leak("format-service-name-email", "format", ["ivan"], onResource("service.name", "ivan@mail.ru"));
leak("format-sql-escaped-cyrillic", "format", ["Нил"], onSpan("db.query.text", "SELECT * FROM c WHERE surname = 'О''Нил'"), "SPAN_KIND_CLIENT");
leak("format-sql-comment-phone", "format", ["9123456789"], onSpan("db.query.text", "SELECT 1 -- callback 8 912 345 67 89"), "SPAN_KIND_CLIENT");
leak("format-sql-bare-number", "format", ["79123456789"], onSpan("db.query.text", "SELECT * FROM c WHERE phone = 79123456789"), "SPAN_KIND_CLIENT");
leak("format-sql-like", "format", ["petrov"], onSpan("db.query.text", "SELECT * FROM c WHERE email ILIKE '%petrov%'"), "SPAN_KIND_CLIENT");
leak("format-sql-in-span-name", "format", ["Petrova"], (t) => void (t.span.name = "SELECT * FROM c WHERE surname = 'Petrova'"), "SPAN_KIND_CLIENT");
leak("format-card-json-header", "format", ["5555555555554444"], onSpan("http.request.header.x-correlation-id", ['{"pan":"5555 5555 5555 4444"}']));
leak("place-go-panic", "unreached-place", ["ivan"], onEvent("exception", {
  "exception.type": "panic",
  "exception.stacktrace": "panic: customer ivan@mail.ru\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1d",
}));
leak("place-stacktrace-node-cause", "unreached-place", ["Petrov"], onEvent("exception", {
  "exception.type": "Error",
  "exception.stacktrace": "Error: order failed\n    at place (/app/orders.js:3:9) {\n  [cause]: Error: customer Petrov blocked\n      at check (/app/c.js:1:1)\n}",
}));
leak("place-int-body-size-card", "unreached-place", ["4111111111111111"], onSpan("messaging.message.body.size", { double: 4111111111111111 }), "SPAN_KIND_PRODUCER");
leak("place-negative-port", "unreached-place", ["79123456789"], onSpan("server.port", -79123456789));
leak("place-map-under-header", "unreached-place", ["ivan@mail.ru"], onSpan("http.request.header.x-request-id", { kvlist: { email: "ivan@mail.ru" } }));
leak("place-bool-list-header", "unreached-place", ["79123456789"], onSpan("http.request.header.x-request-id", [79123456789]));
leak("place-event-exception-message-list", "unreached-place", ["Petrov"], onEvent("exception", { "exception.type": "Error", "exception.message": ["customer", "Petrov"] }));
leak("place-status-and-event", "unreached-place", ["Kuznetsov"], (t) => ((t.span.statusMessage = "Kuznetsov"), t.span.events.push({ name: "Kuznetsov", attributes: {} })));
leak("place-links-only-ids", "unreached-place", [], (t) => void t.span.links.push({ traceId: "0af7651916cd43dd8448eb211c80319e", spanId: "b7ad6b7169203333", attributes: {} }));
BAD_IDS_2.forEach(([key, value, secrets], i) => leak(`exemption-b${i + 1}-${key}`, "trusted-exemption", secrets, onSpan(key, value)));

// ---------------------------------------------------------------- class: trusted exemptions (ids verified, not trusted)
const BAD_IDS: [string, Value, string[]][] = [
  ["user.id", "ivan.petrov@mail.ru", ["ivan.petrov"]],
  ["user.id", "+79123456789", ["9123456789"]],
  ["user.id", "ivan_petrov85", ["ivan_petrov85"]],
  ["user.id", "Иван Петров", ["Иван"]],
  ["user.id", 79123456789, ["79123456789"]],
  ["user.id", "4111111111111111", ["4111111111111111"]],
  ["order.id", "ivan.petrov@mail.ru", ["ivan.petrov"]],
  ["order.id", "79123456789", ["79123456789"]],
  ["order.id", "ORD-2024-000123 Иван", ["Иван"]],
  ["order.id", ["ORD-2024-000123", "ivan@mail.ru"], ["ivan@mail.ru"]],
];
BAD_IDS.forEach(([key, value, secrets], i) => leak(`exemption-${i + 1}-${key}`, "trusted-exemption", secrets, onSpan(key, value)));

// ---------------------------------------------------------------- class: legitimate values that must survive
const ORDER_UUID = "ORD-3f2a9c0e-8b7d-4a5f-9e3d-2c1b0a9f8e7d";
const LEGIT_SPAN: [string, Value, SpanKind?][] = [
  ["order.id", "ORD-2024-000123"],
  ["order.id", ORDER_UUID],
  ["order.id", "7c9e6679-7425-40de-944b-e07fc1f90ae7"],
  ["user.id", "u_8f14e45fceea167a"],
  ["user.id", "8f14e45fceea167a5a36dedd4bea2543"],
  ["user.id", "0b0a2c9e-6f4e-4d1b-9c3a-5e8f7a6b5c4d"],
  ["http.route", "/customers/orders"],
  ["http.response.status_code", 202],
  ["http.request.method", "POST"],
  ["url.scheme", "https"],
  ["url.query", "page=2&sort=asc"],
  ["url.query", "status=new&limit=50&offset=100"],
  ["http.request.header.content-type", ["application/json"]],
  ["http.request.header.accept", ["application/json", "text/plain"]],
  ["http.request.header.x-request-id", ["req-3f2a9c0e-8b7d-4a5f-9e3d-2c1b0a9f8e7d"]],
  ["http.request.header.x-correlation-id", ["b7ad6b71-6920-4333-8c1a-0af7651916cd"]],
  ["http.response.header.content-length", ["512"]],
  ["server.address", "crm-api.crm-api.svc.cluster.local"],
  ["server.port", 8443],
  ["network.protocol.version", "1.1"],
  ["error.type", "nack"],
  ["exception.type", "ValidationError"],
];
LEGIT_SPAN.forEach(([key, value, kind], i) => keep(`legit-span-${i + 1}-${key}`, span(key), value, onSpan(key, value), kind));
const LEGIT_CLIENT: [string, Value][] = [
  ["db.system.name", "postgresql"],
  ["db.operation.name", "INSERT"],
  ["db.collection.name", "orders"],
  ["db.namespace", "mes"],
  ["db.query.text", "INSERT INTO orders (order_id, user_id, items, created_at) VALUES ($1, $2, $3, now())"],
  ["db.query.text", 'SELECT sku, price FROM catalog WHERE sku = $1 AND "table2".col = $2'],
  ["server.address", "mes-db.internal"],
  ["server.port", 5432],
  ["network.peer.address", "10.0.3.7"],
  ["db.response.status_code", "23505"],
];
LEGIT_CLIENT.forEach(([key, value], i) => keep(`legit-db-${i + 1}-${key}`, span(key), value, onSpan(key, value), "SPAN_KIND_CLIENT"));
const LEGIT_MESSAGING: [string, Value][] = [
  ["messaging.system", "rabbitmq"],
  ["messaging.destination.name", "orders"],
  ["messaging.operation.type", "send"],
  ["messaging.operation.name", "publish"],
  ["messaging.rabbitmq.destination.routing_key", "orders.created"],
  ["messaging.message.id", "6d1b2c3a-9e8f-4a7b-8c6d-5e4f3a2b1c0d"],
  ["messaging.message.body.size", 412],
  ["messaging.message.conversation_id", "ORD-2024-000123"],
  ["network.protocol.name", "amqp"],
  ["network.protocol.version", "0.9.1"],
];
LEGIT_MESSAGING.forEach(([key, value], i) => keep(`legit-messaging-${i + 1}-${key}`, span(key), value, onSpan(key, value), "SPAN_KIND_PRODUCER"));
const LEGIT_RESOURCE: [string, Value][] = [
  ["service.name", "crm-api"],
  ["service.version", "1.4.2"],
  ["service.namespace", "shop"],
  ["service.instance.id", "crm-api-7c9d8f6b5-x2x9k"],
  ["deployment.environment.name", "prod"],
  ["k8s.namespace.name", "crm-api"],
  ["k8s.pod.name", "crm-api-7c9d8f6b5-x2x9k"],
  ["k8s.deployment.name", "crm-api"],
  ["k8s.node.name", "ip-10-0-1-23.eu-central-1.compute.internal"],
  ["k8s.pod.uid", "0b8d5c1e-3f2a-4e6b-9a7c-1d2e3f4a5b6c"],
  ["container.id", "9d1e0f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6"],
  ["telemetry.sdk.name", "opentelemetry"],
  ["telemetry.sdk.language", "nodejs"],
  ["telemetry.sdk.version", "2.0.1"],
  ["process.runtime.name", "nodejs"],
  ["process.runtime.version", "22.11.0"],
  ["host.arch", "amd64"],
  ["os.type", "linux"],
  ["cloud.region", "eu-central-1"],
  ["process.pid", 1],
];
LEGIT_RESOURCE.forEach(([key, value], i) => keep(`legit-resource-${i + 1}-${key}`, { at: "resource", key }, value, onResource(key, value)));
keep("legit-name-server-route", { at: "name" }, "POST /customers/orders", () => undefined);
keep("legit-name-server-raw-path", { at: "name" }, "GET /orders/:id", (t) => {
  t.span.name = "GET /orders/ORD-2024-000123";
  t.span.attributes = { "http.request.method": "GET", "http.route": "/orders/:id", "url.path": "/orders/ORD-2024-000123", "http.response.status_code": 200 };
});
keep("legit-url-path-becomes-route", span("url.path"), "/orders/:id", (t) => {
  t.span.attributes = { "http.request.method": "GET", "http.route": "/orders/:id", "url.path": "/orders/ORD-2024-000123", "http.response.status_code": 200 };
});
keep("legit-name-client-method", { at: "name" }, "GET", (t) => {
  t.span.kind = "SPAN_KIND_CLIENT";
  t.span.name = "GET";
  t.span.attributes = { "http.request.method": "GET", "url.full": "https://crm.internal/api/v1/orders?limit=10", "http.response.status_code": 200 };
});
keep("legit-url-full", span("url.full"), "https://crm.internal/api/v1/orders/ORD-2024-000123?expand=items", (t) => {
  t.span.kind = "SPAN_KIND_CLIENT";
  t.span.attributes = { "http.request.method": "GET", "url.full": "https://crm.internal/api/v1/orders/ORD-2024-000123?expand=items", "http.response.status_code": 200 };
});
keep("legit-name-db", { at: "name" }, "INSERT mes.orders", () => undefined, "SPAN_KIND_CLIENT");
keep("legit-name-messaging", { at: "name" }, "publish orders", (t) => {
  t.span.name = "publish orders";
  t.span.attributes = { "messaging.system": "rabbitmq", "messaging.destination.name": "orders", "messaging.operation.type": "send" };
}, "SPAN_KIND_PRODUCER");
keep("legit-name-internal", { at: "name" }, "validate order", (t) => void (t.span.name = "validate order"), "SPAN_KIND_INTERNAL");
keep("legit-event-exception-name", { at: "eventName" }, "exception", onEvent("exception", { "exception.type": "ValidationError" }));
keep("legit-event-exception-type", { at: "event", index: 0, key: "exception.type" }, "ValidationError", onEvent("exception", { "exception.type": "ValidationError" }));
keep("legit-event-exception-escaped", { at: "event", index: 0, key: "exception.escaped" }, true, onEvent("exception", { "exception.type": "Error", "exception.escaped": true }));
keep("legit-stacktrace-frames", { at: "event", index: 0, key: "exception.stacktrace" }, "ValidationError: [redacted]\n    at validate (/app/src/orders.js:10:5)", onEvent("exception", {
  "exception.type": "ValidationError",
  "exception.stacktrace": "ValidationError: Ivan Petrov rejected\n    at validate (/app/src/orders.js:10:5)",
}));
keep("legit-status-empty", { at: "status" }, "", () => undefined);
keep("legit-sql-literals-replaced", span("db.query.text"), "SELECT count(*) FROM customer_contacts WHERE email = ? OR loyalty_points > ?", onSpan("db.query.text", "SELECT count(*) FROM customer_contacts WHERE email = 'a@b.ru' OR loyalty_points > 1500"), "SPAN_KIND_CLIENT");
keep("legit-query-personal-dropped", span("url.query"), "source=e2e", onSpan("url.query", "email=ivan%40mail.ru&source=e2e"));
// The query filter's edge cases (render/scrubbing.ts queryStringStatements): separators, empty and nameless pairs,
// names that only start like an allowed one, case, the filter's own sentinel in the input.
const QUERY_FILTER: [string, string, string][] = [
  ["semicolons", "page=1;sort=asc;email=ivan%40mail.ru", "page=1&sort=asc"],
  ["empty-pairs", "page=2&&sort=asc&email=a%40b.ru&", "page=2&sort=asc"],
  ["nameless-pair", "=ivan%40mail.ru&page=2", "page=2"],
  ["pair-without-value", "ivan.petrov%40mail.ru&page=2", "page=2"],
  ["name-prefix", "pagex=79123456789&page=3&sorting=ivan", "page=3"],
  ["name-case", "Page=ivan%40mail.ru&page=2", "page=2"],
  ["sentinel-in-input", "\u00a7email=ivan%40mail.ru&page=2&\u00a7phone=79123456789", "page=2"],
  ["nothing-allowed", "email=ivan%40mail.ru&phone=79123456789", ""],
  ["long-allowed-value", "status=new&sort=created_at_desc_then_id&email=ivan%40mail.ru", "status=new&sort=created_at_desc_then_id"],
];
QUERY_FILTER.forEach(([name, query, kept]) => keep(`legit-query-filter-${name}`, span("url.query"), kept, onSpan("url.query", query)));

const LEGIT_2: [string, Value, SpanKind?][] = [
  ["error.type", "500"],
  ["http.request.header.x-request-id", ["8f14e45fceea167a5a36dedd4bea2543"]],
  ["http.request.header.x-correlation-id", ["0af7651916cd43dd8448eb211c80319c"]],
  ["messaging.message.id", "8f14e45fceea167a5a36dedd4bea2543", "SPAN_KIND_PRODUCER"],
  ["messaging.destination.name", "amq.gen-JzTY20BRgKO-HjmUJj0wLg", "SPAN_KIND_CONSUMER"],
  ["exception.type", "pg.DatabaseError"],
  ["url.query", "sort=created_at&dir=desc&limit=20"],
  ["db.query.text", "SELECT o.id, o.status FROM orders o JOIN order_items2 i ON i.order_id = o.id WHERE o.id = $1::uuid LIMIT $2", "SPAN_KIND_CLIENT"],
  ["network.peer.address", "fd00:10:0:3::7", "SPAN_KIND_CLIENT"],
  ["server.address", "10.0.3.7", "SPAN_KIND_CLIENT"],
];
LEGIT_2.forEach(([key, value, kind], i) => keep(`legit-b${i + 1}-${key}`, span(key), value, onSpan(key, value), kind));
keep("legit-url-full-ip-host", span("url.full"), "http://10.0.3.7:8080/api/orders?limit=5", (t) => {
  t.span.kind = "SPAN_KIND_CLIENT";
  t.span.attributes = { "http.request.method": "GET", "url.full": "http://10.0.3.7:8080/api/orders?limit=5", "http.response.status_code": 200 };
});
keep("legit-name-internal-dotted", { at: "name" }, "amqp Channel.publish", (t) => void (t.span.name = "amqp Channel.publish"), "SPAN_KIND_INTERNAL");
keep("legit-name-internal-camel", { at: "name" }, "OrderService.placeOrder", (t) => void (t.span.name = "OrderService.placeOrder"), "SPAN_KIND_INTERNAL");
keep("legit-url-path-no-route-single", span("url.path"), "/catalog", (t) => ((t.span.attributes["url.path"] = "/catalog"), delete t.span.attributes["http.route"]));
keep("legit-resource-instance-uuid", { at: "resource", key: "service.instance.id" }, "627cc493-f310-47de-96bd-71410b7dec09", onResource("service.instance.id", "627cc493-f310-47de-96bd-71410b7dec09"));

export const PRIVACY_CORPUS: readonly CorpusCase[] = cases;
