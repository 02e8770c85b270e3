/** tracing:scrubbing (R12): additions only, never personal keys or credential headers, safe id formats. */
import { parseStack, stackConfigProblems } from "../support/stackConfig";

const parseWith = (scrubbing: unknown) => parseStack({ scrubbing });
const problems = (scrubbing: unknown) => stackConfigProblems({ scrubbing });

describe("tracing:scrubbing", () => {
  it("defaults to no additions", () => {
    expect(parseWith(undefined).scrubbing).toEqual({});
  });

  it("accepts additions and id formats", () => {
    const value = { spanAttributes: ["shop.cart.size"], requestHeaders: ["x-tenant"], queryParameters: ["warehouse"], eventNames: ["order.validated"], orderIdPattern: "^SO[0-9]{6}$" };
    expect(parseWith(value).scrubbing).toEqual(value);
  });

  it.each([
    [{ spanAttributes: ["customer.email"] }, /tracing:scrubbing.spanAttributes item "customer.email": names personal data/],
    [{ resourceAttributes: ["owner.phone"] }, /owner.phone.*personal data/],
    [{ queryParameters: ["first_name"] }, /first_name.*personal data/],
    [{ requestHeaders: ["authorization"] }, /"authorization": carries credentials/],
    [{ requestHeaders: ["X-Tenant"] }, /not a lowercase header name/],
    [{ spanAttributes: ["Shop Cart"] }, /not a lowercase dotted attribute key/],
    // The gateway leaves old semconv names to the allow-list to delete (R7): keeping one would keep it unrenamed.
    [{ spanAttributes: ["db.statement"] }, /"db.statement": is a deprecated semantic-convention name the gateway renames or drops; add db.query.text instead/],
    [{ spanAttributes: ["messaging.destination_kind"] }, /"messaging.destination_kind": is a deprecated semantic-convention name the gateway renames or drops$/m],
    [{ spanAttributes: "shop.cart" }, /must be a list of strings/],
    [{ removeDefaults: ["url.query"] }, /tracing:scrubbing.removeDefaults: unknown field/],
    [{ orderIdPattern: "ORD-[0-9]+" }, /must be anchored/],
    [{ userIdPattern: "^(?i)[a-z0-9._@+-]+$" }, /without flags/],
    [{ userIdPattern: "^[a-z0-9._@+-]+$" }, /accepts personal data \(ivan.petrov@example.com/],
    [{ orderIdPattern: "^[0-9]+$" }, /accepts personal data \(79123456789/],
    [{ orderIdPattern: "^([$" }, /is not a regular expression/],
  ])("rejects %j naming key, value and what is allowed", (value, message) => {
    expect(problems(value).join("\n")).toMatch(message);
  });
});
