/**
 * Building blocks of the stack's IAM and S3 policy documents, shared by the
 * trace store and the audit trail. Pure: tests read the same JSON that is
 * deployed.
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string>>;
  readonly Action: string | readonly string[];
  readonly Resource?: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Bucket policy statement: refuse every request that is not over TLS (R10). */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

export interface IrsaTrustInputs {
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The OIDC issuer without https://. */
  readonly oidcIssuer: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** IRSA trust policy: only this Kubernetes service account may assume the role, via STS web identity. */
export function irsaTrustPolicy(inputs: IrsaTrustInputs, sid = "ServiceAccount"): PolicyDocument {
  return policyDocument({
    Sid: sid,
    Effect: "Allow",
    Principal: { Federated: inputs.oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${inputs.oidcIssuer}:sub`]: `system:serviceaccount:${inputs.namespace}:${inputs.serviceAccount}`,
        [`${inputs.oidcIssuer}:aud`]: "sts.amazonaws.com",
      },
    },
  });
}
