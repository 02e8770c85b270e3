import * as YAML from "yaml";
import { eksKubeconfig } from "../../render/kubeconfig";

const input = {
  clusterName: "orders-prod",
  region: "eu-central-1",
  endpoint: "https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-central-1.eks.amazonaws.com",
  certificateAuthorityData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=",
};

describe("EKS kubeconfig", () => {
  it("is a kubeconfig whose current context uses the endpoint, the CA and `aws eks get-token` for that cluster", () => {
    // The provider takes YAML or JSON: JSON is YAML, so one parse checks both.
    const config = YAML.parse(JSON.stringify(eksKubeconfig(input)));
    const context = config.contexts.find((c: { name: string }) => c.name === config["current-context"]).context;
    const cluster = config.clusters.find((c: { name: string }) => c.name === context.cluster).cluster;
    const user = config.users.find((u: { name: string }) => u.name === context.user).user;
    expect(cluster).toEqual({ server: input.endpoint, "certificate-authority-data": input.certificateAuthorityData });
    expect(user.exec.command).toBe("aws");
    expect(user.exec.args).toEqual(["eks", "get-token", "--cluster-name", "orders-prod", "--region", "eu-central-1", "--output", "json"]);
    // Never a static token or client key: credentials come from the deploy role at run time.
    expect(Object.keys(user)).toEqual(["exec"]);
  });

  it.each([
    ["a plain-HTTP endpoint", { endpoint: "http://0123.gr7.eu-central-1.eks.amazonaws.com" }, /API endpoint .* is not an https:\/\/ URL/],
    ["an endpoint with a path", { endpoint: "https://x.eks.amazonaws.com/api" }, /not an https:\/\/ URL without a path/],
    ["an empty CA (DescribeCluster without certificateAuthority)", { certificateAuthorityData: "" }, /certificate authority data is not base64/],
    ["a PEM instead of base64", { certificateAuthorityData: "-----BEGIN CERTIFICATE-----" }, /not base64/],
  ])("refuses %s", (_what, override, message) => {
    expect(() => eksKubeconfig({ ...input, ...override })).toThrow(message);
  });
});
