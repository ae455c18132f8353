/**
 * Reads an Ignition parameter file the way `hardhat ignition deploy --parameters` does: strings
 * written as `"123n"` become bigints.
 */
import { readFileSync } from "node:fs";

import type { DeploymentParameters } from "@nomicfoundation/ignition-core";

function revive(value: unknown): unknown {
  if (typeof value === "string" && /^-?\d+n$/.test(value)) return BigInt(value.slice(0, -1));
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

/** Loads `ignition/parameters/<network>.json` (or any path) with bigint revival. */
export function loadIgnitionParameters(path: string): DeploymentParameters {
  return revive(JSON.parse(readFileSync(path, "utf8"))) as DeploymentParameters;
}
