import { PolicyStatement } from "../../render/iamPolicies";
import {
  ARCHIVE_AFTER_DAYS,
  OBJECT_DATA_ACTIONS,
  tempoAccessPolicy,
  tempoTrustPolicy,
  traceBucketPolicy,
  traceLifecycleRules,
} from "../../render/traceStorePolicies";

const BUCKET = "arn:aws:s3:::tracing-traces-x1";
const KEY = "arn:aws:kms:eu-central-1:111111111111:key/1234abcd";
const actions = (s: PolicyStatement): string[] => (Array.isArray(s.Action) ? [...s.Action] : [s.Action as string]);

describe("trace bucket lifecycle (R6)", () => {
  const rules = traceLifecycleRules({ archiveDays: 365, archiveStorageClass: "DEEP_ARCHIVE", tenants: ["orders", "platform"] });
  const archive = rules.find((r) => r.noncurrentVersionTransitions !== undefined);

  it("moves what Tempo deleted (noncurrent versions) to the configured class within a day", () => {
    expect(archive?.noncurrentVersionTransitions).toEqual([{ noncurrentDays: 1, storageClass: "DEEP_ARCHIVE" }]);
    expect(archive?.filter).toEqual({});
    expect(archive?.status).toBe("Enabled");
  });

  it("uses the configured class, e.g. GLACIER", () => {
    const glacier = traceLifecycleRules({ archiveDays: 90, archiveStorageClass: "GLACIER" });
    const transitions = glacier.flatMap((r) => r.noncurrentVersionTransitions ?? []);
    expect(transitions).toEqual([{ noncurrentDays: ARCHIVE_AFTER_DAYS, storageClass: "GLACIER" }]);
  });

  it("deletes archived versions for good after the archive period", () => {
    expect(archive?.noncurrentVersionExpiration).toEqual({ noncurrentDays: 365 });
    const other = traceLifecycleRules({ archiveDays: 90, archiveStorageClass: "GLACIER" });
    expect(other[0].noncurrentVersionExpiration).toEqual({ noncurrentDays: 90 });
  });

  it("never transitions or expires current objects (Tempo must read its live blocks)", () => {
    for (const rule of rules) {
      expect(rule.transitions).toBeUndefined();
      expect(rule.expiration?.days).toBeUndefined();
    }
  });

  it("removes expired delete markers and aborts incomplete multipart uploads after a day", () => {
    expect(rules.filter((r) => r.expiration?.expiredObjectDeleteMarker === true)).toHaveLength(1);
    const abort = rules.filter((r) => r.abortIncompleteMultipartUpload);
    expect(abort.map((r) => r.abortIncompleteMultipartUpload)).toEqual([{ daysAfterInitiation: 1 }]);
    expect(abort[0].filter).toEqual({});
  });

  it("drops superseded tenant indexes instead of archiving them, one rule per tenant", () => {
    const index = rules.filter((r) => r.id.startsWith("drop-superseded-index-"));
    expect(index.map((r) => r.filter.prefix)).toEqual(["orders/index.json.gz", "platform/index.json.gz"]);
    for (const r of index) {
      expect(r.noncurrentVersionTransitions).toBeUndefined();
      expect(r.noncurrentVersionExpiration).toEqual({ noncurrentDays: 1 });
    }
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });
});

describe("trace bucket policy (R10, R13)", () => {
  it("denies every request without TLS, on the bucket and its objects", () => {
    const policy = traceBucketPolicy({ bucketArn: BUCKET });
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [BUCKET, `${BUCKET}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("with a VPC endpoint, denies object data access from anywhere else", () => {
    const policy = traceBucketPolicy({ bucketArn: BUCKET, vpcEndpointId: "vpce-0abc" });
    const vpce = policy.Statement.find((s) => s.Condition?.StringNotEquals);
    expect(vpce?.Effect).toBe("Deny");
    expect(vpce?.Principal).toBe("*");
    expect(vpce?.Condition).toEqual({ StringNotEquals: { "aws:SourceVpce": "vpce-0abc" } });
    expect(vpce?.Resource).toEqual([BUCKET, `${BUCKET}/*`]);
    expect(actions(vpce!)).toEqual(expect.arrayContaining(["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]));
  });

  it("does not lock administrators out: the endpoint rule names object data actions only, no wildcard and no bucket management", () => {
    const vpce = traceBucketPolicy({ bucketArn: BUCKET, vpcEndpointId: "vpce-0abc" }).Statement[1];
    for (const action of actions(vpce)) {
      expect(action).not.toContain("*");
      expect(action).not.toMatch(/Bucket(Policy|Lifecycle|Encryption|Versioning|PublicAccessBlock|Acl)|Configuration/);
      expect(OBJECT_DATA_ACTIONS as readonly string[]).toContain(action);
    }
  });
});

describe("Tempo's IAM role (IRSA, least privilege)", () => {
  it("trusts only the tempo service account of the namespace through the cluster's OIDC provider", () => {
    const trust = tempoTrustPolicy({
      oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC",
      oidcIssuer: "oidc.eks.eu-central-1.amazonaws.com/id/ABC",
      namespace: "tracing",
      serviceAccount: "tempo",
    });
    expect(trust.Statement).toEqual([
      {
        Sid: "TempoServiceAccount",
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "oidc.eks.eu-central-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:tracing:tempo",
            "oidc.eks.eu-central-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
          },
        },
      },
    ]);
  });

  const access = tempoAccessPolicy({ bucketArn: BUCKET, kmsKeyArn: KEY });

  it("touches only this bucket, its objects and its key (no `*` resources)", () => {
    const resources = access.Statement.flatMap((s) => s.Resource ?? []);
    expect(new Set(resources)).toEqual(new Set([BUCKET, `${BUCKET}/*`, KEY]));
    for (const s of access.Statement) {
      expect(s.Effect).toBe("Allow");
      expect(s.Resource).not.toContain("*");
    }
  });

  it("lists the bucket, and reads, writes, deletes and tags objects, as Tempo's S3 docs require", () => {
    const byResource = (r: string) => access.Statement.filter((s) => s.Resource?.includes(r)).flatMap(actions);
    expect(byResource(BUCKET)).toEqual(["s3:ListBucket"]);
    expect(byResource(`${BUCKET}/*`).sort()).toEqual(
      ["s3:DeleteObject", "s3:GetObject", "s3:GetObjectTagging", "s3:PutObject", "s3:PutObjectTagging"].sort(),
    );
    expect(byResource(KEY).sort()).toEqual(["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*"]);
  });

  it("cannot purge the archive: no version deletes and no service-wide wildcards", () => {
    const all = access.Statement.flatMap(actions);
    expect(all).not.toContain("s3:DeleteObjectVersion");
    expect(all.filter((a) => a === "s3:*" || a === "kms:*" || a === "*")).toEqual([]);
  });
});
