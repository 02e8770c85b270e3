/**
 * ConfigMaps that carry rendered configuration files. The annotation marks
 * them so synth can write each file to out/<stack>/config/ byte for byte as
 * deployed; file names are unique across the stack.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PART_OF } from "../specs/topology";

/** Annotation whose presence tells synth that the ConfigMap's data entries are deployed configuration files. */
export const CONFIG_FILES_ANNOTATION = "tracing.platform/config-files";

export interface ConfigFilesArgs {
  readonly name: string;
  readonly namespace: pulumi.Input<string>;
  /** File name -> content. */
  readonly files: Readonly<Record<string, pulumi.Input<string>>>;
}

export function configFiles(resourceName: string, args: ConfigFilesArgs, opts: pulumi.CustomResourceOptions): k8s.core.v1.ConfigMap {
  return new k8s.core.v1.ConfigMap(
    resourceName,
    {
      metadata: {
        name: args.name,
        namespace: args.namespace,
        labels: { "app.kubernetes.io/part-of": PART_OF },
        annotations: { [CONFIG_FILES_ANNOTATION]: "true" },
      },
      data: { ...args.files },
    },
    opts,
  );
}
