/**
 * tracing:kubeconfig (a secret) replaces the EKS-built kubeconfig, for a
 * cluster reached another way. The real program runs under Pulumi's mock
 * runtime (engine and clouds mocked) with the dev stack file plus that secret,
 * from a scratch project directory.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackConfigFile } from "../../synth/stackFile";
import { SECRET_MARK, synthesize, Synthesis } from "../../synth/synthesize";
import { named, PROJECT_DIR } from "../support/synth";

let synthesis: Promise<Synthesis>;
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-override-"));
  fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  const dev = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
  // What `pulumi config set --secret tracing:kubeconfig < file` writes.
  fs.writeFileSync(path.join(dir, "Pulumi.override.yaml"), `${dev.trimEnd()}\n  tracing:kubeconfig:\n    secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\n`);
  synthesis = synthesize(dir, "override", path.join(PROJECT_DIR, "index.ts"));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("tracing:kubeconfig", () => {
  it("is never invented by the offline synth when the stack does not set it", () => {
    const dev = readStackConfigFile(PROJECT_DIR, "dev");
    expect(dev.config["tracing:kubeconfig"]).toBeUndefined();
    expect(dev.config["tracing:grafanaAdminPassword"]).toMatch(/synth placeholder/);
  });

  it("replaces the EKS kubeconfig, stays a secret and keeps the cluster as the provider's identity", async () => {
    const s = await synthesis;
    const provider = named(s, "tracing-kubernetes");
    expect(provider.inputs).toEqual({ kubeconfig: SECRET_MARK, clusterIdentifier: "orders-dev" });
    expect(s.resources.filter((r) => r.type.startsWith("kubernetes:") && r.provider !== provider.urn)).toEqual([]);
  });
});
