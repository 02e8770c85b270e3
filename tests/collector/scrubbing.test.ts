/**
 * R12: the gateway's scrubbing, as shipped. The statements come from the
 * rendered YAML (after confmap un-escaping) and run in a small OTTL
 * interpreter over planted personal data and values that must survive.
 */
import { applyGroups, goRegex, goReplacement, SimTrace } from "./ottlSim";
import { Config, gateway } from "./support";

const config = gateway();
const scrubGroups = config.processors["transform/scrub"].trace_statements as { context: string; statements: string[] }[];
const allScrubStatements = scrubGroups.flatMap((g) => g.statements);

/** The value patterns exactly as they ship: replace_all_patterns(span.attributes, "value", <re>, <replacement>). */
const valuePatterns = allScrubStatements
  .map((s) => s.match(/^replace_all_patterns\(span\.attributes, "value", ("(?:\\.|[^"\\])*"), ("(?:\\.|[^"\\])*")\)$/))
  .filter((m): m is RegExpMatchArray => m !== null)
  .map((m) => ({ re: goRegex(JSON.parse(m[1]) as string), replacement: goReplacement(JSON.parse(m[2]) as string) }));

const scrubValue = (value: string) => valuePatterns.reduce((v, p) => v.replace(p.re, p.replacement), value);

const PERSONAL_VALUES = {
  email: ["ivan.petrov@example.ru", "Contact: a.b-c+tag@mail.example.com now", "user%40example.org"],
  phone: ["+7 (912) 345-67-89", "8 912 345 67 89", "+79123456789", "89123456789", "8-800-555-35-35", "+7-912-345-67-89", "call +44 20 7946 0958", "+1 (555) 123-4567"],
  card: ["4111 1111 1111 1111", "5555-5555-5555-4444", "4111111111111111", "378282246310005", "6011 0009 9013 9424", "4222222222222", "6304 0000 0000 0000 018"],
};
const SAFE_VALUES = [
  "ORD-2024-000123",
  "4bf92f3577b34da6a3ce929d0e0e4736",
  "00f067aa0ba902b7",
  "2024-05-01T10:00:00+03:00",
  "2024-05-01T10:00:00.123Z",
  "1500ms",
  "/orders/{orderId}/confirm",
  "1999.99",
  "v1.28.3",
  "orders.created",
  "amqp 0.9.1",
  "crm-api",
  "HTTP/1.1 200",
  "12345",
  "price=4200 qty=3",
];

describe("value patterns that ship (e-mails, phones incl. +7 formats, card numbers)", () => {
  it("found all four value patterns in the rendered span statements", () => {
    expect(valuePatterns).toHaveLength(4);
  });
  for (const [kind, values] of Object.entries(PERSONAL_VALUES)) {
    for (const value of values) {
      it(`redacts ${kind}: ${value}`, () => {
        const out = scrubValue(value);
        const digitsOrAddress = kind === "email" ? /[A-Za-z0-9._%+-]+(@|%40)/ : /\d{4}/;
        expect(out).not.toMatch(digitsOrAddress);
        expect(out).toContain(`[${kind}]`);
      });
    }
  }
  for (const value of SAFE_VALUES) {
    it(`keeps a non-personal value: ${value}`, () => expect(scrubValue(value)).toBe(value));
  }
});

function plantedTrace(): SimTrace {
  return {
    resource: {
      "service.name": "crm-api",
      "process.command_line": "node server.js --db-password=hunter2",
      "host.name": "crm-api-7c9d",
      "deployment.contact": "ops.lead@example.com",
    },
    spans: [
      {
        name: "POST /orders",
        kind: "SPAN_KIND_SERVER",
        statusMessage: "customer ivan.petrov@example.ru not found",
        attributes: {
          "order.id": "4111111111111111", // an opaque id that happens to look like a PAN: must survive intact
          "user.id": "u_8f14e45fceea167a",
          "http.route": "/orders",
          "http.response.status_code": 201,
          "url.path": "/orders",
          "url.query": "email=ivan.petrov%40example.ru&page=2&phone=%2B79123456789&first_name=Ivan&sort=asc",
          "url.full": "https://svc:s3cret@shop.example.com/orders?last_name=Petrov&status=new&token=abc123",
          "http.target": "/orders?name=Ivan&limit=10",
          "http.url": "https://shop.example.com/orders?address=Lenina%201&page=1",
          "http.request.header.authorization": ["Bearer eyJhbGciOi"],
          "http.request.header.cookie": ["sid=abc"],
          "http.request.header.x-api-key": ["k-123"],
          "http.request.header.x-forwarded-for": ["203.0.113.7"],
          "http.request.header.user-agent": ["Mozilla/5.0"],
          "http.request.header.content-type": ["application/json"],
          "http.request.header.x-request-id": ["req-42"],
          "http.request.header.x-correlation-id": ["alice@example.com", "+7 912 345-67-89"],
          "http.response.header.set-cookie": ["sid=abc; HttpOnly"],
          "http.response.header.content-type": ["application/json"],
          "client.address": "203.0.113.7",
          "net.peer.ip": "203.0.113.7",
          "http.client_ip": "203.0.113.7",
          "net.sock.peer.addr": "203.0.113.7",
          "network.peer.address": "203.0.113.7",
          "source.address": "203.0.113.7",
          "net.peer.name": "ivans-laptop.home",
          "user.email": "ivan.petrov@example.ru",
          "enduser.id": "ivan.petrov",
          "customer.note": "call me at +7 (912) 345-67-89 or 8 912 345 67 89",
          "payment.card": "4111 1111 1111 1111",
          "exception.message": "Invalid phone +79123456789 for Ivan Petrov",
        },
        events: [
          {
            name: "exception",
            attributes: {
              "exception.type": "ValidationError",
              "exception.message": "Ivan Petrov <ivan.petrov@example.ru> rejected",
              "exception.stacktrace": "ValidationError: Ivan Petrov rejected\n    at validate (/app/orders.js:10:5)",
            },
          },
        ],
      },
      {
        name: "INSERT mes.orders",
        kind: "SPAN_KIND_CLIENT",
        statusMessage: "",
        attributes: {
          "order.id": "ORD-2024-000123",
          "db.system.name": "postgresql",
          "db.query.text": "INSERT INTO orders (id, customer_name, phone, qty, price) VALUES ($1, 'Ivan O''Petrov', '+79123456789', 3, 19.99)",
          "db.statement": "SELECT * FROM customers WHERE email = 'ivan@example.ru' AND id = 42 AND table2.col = 7",
          "db.query.parameter.0": "Ivan",
          "net.peer.name": "mes-db.internal",
          "server.address": "mes-db.internal",
        },
        events: [],
      },
    ],
  };
}

describe("scrubbing statements over a planted trace", () => {
  const out = applyGroups(scrubGroups, plantedTrace());
  const serialized = JSON.stringify(out);
  const [server, db] = out.spans as [SimTrace["spans"][0], SimTrace["spans"][0]];

  it.each([
    "ivan.petrov", "Ivan", "Petrov", "203.0.113.7", "9123456789", "912) 345", "4111 1111", "hunter2", "eyJhbGciOi", "sid=abc",
    "k-123", "s3cret", "abc123", "ops.lead@", "ivans-laptop", "Lenina", "Mozilla",
  ])("no trace of %s remains anywhere", (needle) => {
    expect(serialized).not.toContain(needle);
  });

  it("deletes auth, cookie, API-key and every non-allow-listed header; keeps allow-listed headers", () => {
    const headers = Object.keys(server.attributes).filter((k) => k.startsWith("http.request.header.") || k.startsWith("http.response.header."));
    expect(headers.sort()).toEqual(["http.request.header.content-type", "http.request.header.x-correlation-id", "http.request.header.x-request-id", "http.response.header.content-type"]);
    // Header values arrive as lists; they are kept as their JSON text so the value patterns apply.
    expect(server.attributes["http.request.header.x-request-id"]).toBe('["req-42"]');
  });

  it("scrubs personal data inside allow-listed header values, which arrive as lists", () => {
    expect(server.attributes["http.request.header.x-correlation-id"]).toBe('["[email]","[phone]"]');
  });

  it("deletes client IP attributes and the caller's host name on server spans", () => {
    for (const key of ["client.address", "net.peer.ip", "http.client_ip", "net.sock.peer.addr", "network.peer.address", "source.address", "net.peer.name"]) {
      expect(server.attributes).not.toHaveProperty([key]);
    }
  });

  it("keeps the peer of outgoing calls (the database host) for the semconv step", () => {
    expect(db.attributes["net.peer.name"]).toBe("mes-db.internal");
  });

  it("redacts personal query parameters by name and keeps the others", () => {
    expect(server.attributes["url.query"]).toBe("email=[redacted]&page=2&phone=[redacted]&first_name=[redacted]&sort=asc");
    expect(server.attributes["url.full"]).toBe("https://[redacted]@shop.example.com/orders?last_name=[redacted]&status=new&token=[redacted]");
    expect(server.attributes["http.target"]).toBe("/orders?name=[redacted]&limit=10");
    expect(server.attributes["http.url"]).toBe("https://shop.example.com/orders?address=[redacted]&page=1");
  });

  it("replaces SQL literals with ? and keeps $n placeholders and identifiers", () => {
    expect(db.attributes["db.query.text"]).toBe("INSERT INTO orders (id, customer_name, phone, qty, price) VALUES ($1, ?, ?, ?, ?)");
    expect(db.attributes["db.statement"]).toBe("SELECT * FROM customers WHERE email = ? AND id = ? AND table2.col = ?");
    expect(db.attributes).not.toHaveProperty(["db.query.parameter.0"]);
  });

  it("replaces exception messages (span attribute, span event, stack trace first line) and the status message", () => {
    expect(server.attributes["exception.message"]).toBe("[redacted]");
    expect(server.events[0]!.attributes["exception.message"]).toBe("[redacted]");
    expect(server.events[0]!.attributes["exception.type"]).toBe("ValidationError");
    expect(server.events[0]!.attributes["exception.stacktrace"]).toBe("ValidationError: [redacted]\n    at validate (/app/orders.js:10:5)");
    expect(server.statusMessage).toBe("[redacted]");
    expect(db.statusMessage).toBe("");
  });

  it("deletes user profile attributes and scrubs free text in custom attributes", () => {
    expect(server.attributes).not.toHaveProperty(["user.email"]);
    expect(server.attributes).not.toHaveProperty(["enduser.id"]);
    expect(server.attributes["customer.note"]).toBe("call me at [phone] or [phone]");
    expect(server.attributes["payment.card"]).toBe("[card]");
  });

  it("scrubs resource attributes too", () => {
    expect(out.resource).toEqual({ "service.name": "crm-api", "host.name": "crm-api-7c9d", "deployment.contact": "[email]" });
  });

  it("never rewrites order.id and user.id, which routing and sampling depend on", () => {
    expect(server.attributes["order.id"]).toBe("4111111111111111");
    expect(server.attributes["user.id"]).toBe("u_8f14e45fceea167a");
    expect(db.attributes["order.id"]).toBe("ORD-2024-000123");
    expect(Object.keys(server.attributes).filter((k) => k.startsWith("tracing."))).toEqual([]);
  });

  it("keeps non-personal attributes untouched", () => {
    expect(server.attributes["http.route"]).toBe("/orders");
    expect(server.attributes["http.response.status_code"]).toBe(201);
    expect(server.name).toBe("POST /orders");
  });
});

describe("pipeline order (R12: scrub before anything else sees the data)", () => {
  it("runs scrubbing directly after memory_limiter", () => {
    const processors = (config as Config).service.pipelines.traces.processors as string[];
    expect(processors.slice(0, 2)).toEqual(["memory_limiter", "transform/scrub"]);
  });
});
