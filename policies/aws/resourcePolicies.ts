/**
 * Resource policies outside S3 never let anyone in (R13): KMS key policies,
 * SQS queue and SNS topic policies, ECR repository policies, OpenSearch and
 * Elasticsearch access policies, Secrets Manager, EFS, Backup, Glacier,
 * CloudWatch Logs and API Gateway resource policies, IAM trust policies, and
 * Lambda permissions. "Anyone" is Principal "*" without a condition that
 * narrows the caller (iamDocument.ts).
 */
import { jsonDocument, str } from "../lib/props";
import { rangesOf, resourceRule } from "../lib/rule";
import { publicStatements } from "./iamDocument";

/** Type token -> the input that holds its policy document. */
export const POLICY_DOCUMENTS: Readonly<Record<string, string>> = {
  "aws:kms/key:Key": "policy",
  "aws:kms/keyPolicy:KeyPolicy": "policy",
  "aws:kms/replicaKey:ReplicaKey": "policy",
  "aws:sqs/queue:Queue": "policy",
  "aws:sqs/queuePolicy:QueuePolicy": "policy",
  "aws:sns/topic:Topic": "policy",
  "aws:sns/topicPolicy:TopicPolicy": "policy",
  "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
  "aws:ecr/registryPolicy:RegistryPolicy": "policy",
  "aws:ecrpublic/repositoryPolicy:RepositoryPolicy": "policy",
  "aws:opensearch/domain:Domain": "accessPolicies",
  "aws:opensearch/domainPolicy:DomainPolicy": "accessPolicies",
  "aws:elasticsearch/domain:Domain": "accessPolicies",
  "aws:elasticsearch/domainPolicy:DomainPolicy": "accessPolicies",
  "aws:secretsmanager/secret:Secret": "policy",
  "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
  "aws:efs/fileSystemPolicy:FileSystemPolicy": "policy",
  "aws:backup/vaultPolicy:VaultPolicy": "policy",
  "aws:glacier/vault:Vault": "accessPolicy",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
  "aws:apigateway/restApi:RestApi": "policy",
  "aws:apigateway/restApiPolicy:RestApiPolicy": "policy",
  "aws:iam/role:Role": "assumeRolePolicy",
};

const DOCUMENT_TYPES = Object.keys(POLICY_DOCUMENTS);

export const resourcePolicyNotPublic = resourceRule(
  {
    name: "aws-resource-policy-not-public",
    description: "Resource policies (KMS, SQS, SNS, ECR, OpenSearch, Secrets Manager, EFS, Backup, Glacier, Logs, API Gateway, IAM trust) must not allow any principal unless a condition narrows the caller (R13).",
    requirements: ["R13"],
    remediation:
      "Name the principals (account, role or service ARNs) instead of \"*\", or add a condition that narrows the caller: aws:PrincipalOrgID / aws:PrincipalAccount, aws:SourceVpce / aws:SourceVpc, aws:SourceArn / aws:SourceAccount, or aws:SourceIp with corporate ranges only. aws:SecureTransport alone restricts nothing.",
    enforcementLevel: "mandatory",
    types: DOCUMENT_TYPES,
    usesRanges: true,
    reads: [...new Set(Object.values(POLICY_DOCUMENTS))],
  },
  (args, report) => {
    const field = POLICY_DOCUMENTS[args.type];
    const value = args.props[field];
    if (value === undefined || value === null || value === "") return; // no resource policy: only the account's own principals
    const document = jsonDocument(value);
    if (!document) return; // secret or unreadable: exposure-unverifiable reports it
    for (const s of publicStatements(document, rangesOf(args))) {
      report(`${field} statement ${s.label} allows ${JSON.stringify(s.actions)} to ${s.reason}.`);
    }
  },
);

const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
const LAYER_PERMISSION = "aws:lambda/layerVersionPermission:LayerVersionPermission";

export const lambdaPermissionNotPublic = resourceRule(
  {
    name: "aws-lambda-permission-not-public",
    description: "Lambda function and layer permissions must not grant principal \"*\" unless sourceArn, sourceAccount or principalOrgId narrows the caller (R13).",
    requirements: ["R13"],
    remediation:
      "Set principal to the calling account or service (for example apigateway.amazonaws.com) and add sourceArn (or sourceAccount / principalOrgId); for layers, grant a named account or organizationId.",
    enforcementLevel: "mandatory",
    types: [LAMBDA_PERMISSION, LAYER_PERMISSION],
    reads: ["principal", "sourceArn", "sourceAccount", "principalOrgId", "organizationId", "functionUrlAuthType"],
  },
  (args, report) => {
    const p = args.props;
    const principal = str(p.principal);
    if (args.type === LAYER_PERMISSION) {
      if (principal === "*" && !str(p.organizationId)) report(`the layer version is shared with principal "*" (every AWS account).`);
      return;
    }
    if (str(p.functionUrlAuthType) === "NONE") report(`the permission allows unauthenticated calls to the function URL (functionUrlAuthType NONE).`);
    else if (principal === "*" && ![p.sourceArn, p.sourceAccount, p.principalOrgId].some((v) => str(v) && !/^[*?]+$/.test(str(v) as string))) {
      report(`principal "*" may invoke ${str(p.function) ?? "the function"} (${str(p.action) ?? "lambda:InvokeFunction"}) with no sourceArn, sourceAccount or principalOrgId.`);
    }
  },
);
