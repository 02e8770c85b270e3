/**
 * Serverless and API entry points are never open to anonymous callers (R8,
 * R13): Lambda function URLs need IAM auth, API Gateway methods and routes
 * need an authorizer (except in a PRIVATE REST API), and services that are
 * internet-facing by design (CloudFront, public ECR, Global Accelerator) are
 * not used.
 */
import { PolicyResource } from "@pulumi/policy";
import { at, hiddenPath, oneOrMany, str } from "../lib/props";
import { resourceRule, stackRule } from "../lib/rule";

const FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl";

export const lambdaUrlAuth = resourceRule(
  {
    name: "aws-lambda-url-iam-auth",
    description: "Lambda function URLs must use AWS_IAM authorization, never NONE (R8, R13).",
    requirements: ["R8", "R13"],
    remediation: "Set authorizationType to AWS_IAM (callers sign requests with SigV4), or put the function behind an internal load balancer or a private API Gateway.",
    enforcementLevel: "mandatory",
    types: [FUNCTION_URL],
    reads: ["authorizationType"],
  },
  (args, report) => {
    if (hiddenPath(args.props.authorizationType)) return; // secret or unknown: exposure-unverifiable reports it
    const auth = str(args.props.authorizationType);
    if (auth !== "AWS_IAM") report(`authorizationType is ${auth ? `"${auth}"` : "not set"}, so anyone on the internet may invoke the function URL.`);
  },
);

const REST_API = "aws:apigateway/restApi:RestApi";
const METHOD = "aws:apigateway/method:Method";
const ROUTE = "aws:apigatewayv2/route:Route";
const HTTP_API = "aws:apigatewayv2/api:Api";

function isPrivateRestApi(api: PolicyResource): boolean {
  // @pulumi/aws 7 holds a single string; older releases a list.
  return oneOrMany(at(api.props, "endpointConfiguration", "types")).some((t) => t === "PRIVATE");
}

export const apiGatewayAuthorization = stackRule(
  {
    name: "aws-api-gateway-authorization",
    description: "API Gateway REST methods (outside PRIVATE APIs) and HTTP/WebSocket API routes must have an authorizer, never authorization NONE (R8, R13).",
    requirements: ["R8", "R13"],
    remediation:
      "Set authorization to AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an authorizerId (REST), or authorizationType AWS_IAM, JWT or CUSTOM (HTTP API routes); or make the REST API PRIVATE (endpointConfiguration.types [\"PRIVATE\"]) with a resource policy limited to your VPC endpoint. Do not use quick-create (target) HTTP APIs, whose default route has no authorizer.",
    enforcementLevel: "mandatory",
  },
  (args, report) => {
    const apis = args.resources.filter((r) => r.type === REST_API);
    const privateIds = new Set(apis.filter(isPrivateRestApi).flatMap((a) => [str(a.props.id), a.urn]).filter((x): x is string => x !== undefined));
    const openApis = new Set<string>(); // ids and URNs of APIs with an open method or route
    for (const r of args.resources) {
      if (r.type === METHOD) {
        const auth = str(r.props.authorization) ?? "NONE";
        const method = str(r.props.httpMethod) ?? "?";
        if (auth !== "NONE" || method === "OPTIONS") continue; // CORS preflight carries no credentials by design
        const refs = [str(r.props.restApi), ...(r.propertyDependencies?.restApi ?? []).map((d) => d.urn)].filter((x): x is string => x !== undefined);
        if (refs.some((ref) => privateIds.has(ref))) continue;
        refs.forEach((ref) => openApis.add(ref));
        report(`method ${method} has authorization NONE on an API that is not PRIVATE.`, r.urn);
      } else if (r.type === ROUTE) {
        const auth = str(r.props.authorizationType) ?? "NONE";
        if (auth !== "NONE") continue;
        [str(r.props.apiId), ...(r.propertyDependencies?.apiId ?? []).map((d) => d.urn)].forEach((ref) => ref && openApis.add(ref));
        report(`route "${str(r.props.routeKey) ?? "?"}" has authorizationType NONE.`, r.urn);
      } else if (r.type === HTTP_API && str(r.props.target)) {
        report(`the API is quick-created with target ${str(r.props.target)}: its default route has no authorizer.`, r.urn);
      }
    }
    // The API itself is the internet-facing endpoint that serves those methods and routes.
    for (const api of args.resources.filter((r) => r.type === REST_API || (r.type === HTTP_API && !str(r.props.target)))) {
      if (openApis.has(api.urn) || openApis.has(str(api.props.id) ?? "\0")) report(`the API's public endpoint serves methods or routes without authorization.`, api.urn);
    }
  },
);

/** Services whose endpoints are on the internet by design, with what to use instead. */
const PUBLIC_BY_DESIGN: Readonly<Record<string, string>> = {
  "aws:cloudfront/distribution:Distribution": "a CloudFront distribution serves its origins on the internet",
  "aws:ecrpublic/repository:Repository": "an ECR Public repository lets anyone pull its images",
  "aws:globalaccelerator/accelerator:Accelerator": "a Global Accelerator has public anycast addresses",
  "aws:lightsail/instance:Instance": "a Lightsail instance has a public address",
};

export const noPublicByDesign = resourceRule(
  {
    name: "aws-no-internet-facing-service",
    description: "Services that are internet-facing by design (CloudFront distributions, ECR Public repositories, Global Accelerators, Lightsail instances) must not be used (R13).",
    requirements: ["R13"],
    remediation: "Serve the content through an internal load balancer or a VPC endpoint, and keep images in a private ECR repository.",
    enforcementLevel: "mandatory",
    types: Object.keys(PUBLIC_BY_DESIGN),
  },
  (args, report) => {
    if (args.type === "aws:cloudfront/distribution:Distribution" && args.props.enabled === false) return;
    report(`${PUBLIC_BY_DESIGN[args.type]}.`);
  },
);
