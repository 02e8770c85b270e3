/**
 * The pack's single link to config/cidr.ts, so "private" means the same for
 * the program, config validation and the policies. stage-publish.sh replaces
 * this file with a copy of config/cidr.ts when the pack is packaged alone.
 */
export { cidrContains, cidrProblem, isPrivateCidr, parseCidr } from "../../config/cidr";
export type { Cidr } from "../../config/cidr";
