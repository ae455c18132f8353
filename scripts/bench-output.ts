/**
 * Writes a benchmark's results: `benchmarks/<name>.md` and `benchmarks/<name>.json`, formatted as Prettier
 * formats them, so `prettier --check .` stays clean after a run. Returns the formatted markdown.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { format, resolveConfig } from "prettier";

export async function writeBenchmark(name: string, markdown: string, json: unknown): Promise<string> {
  const outDir = path.join(process.cwd(), "benchmarks");
  mkdirSync(outDir, { recursive: true });
  const write = async (file: string, text: string, parser: "markdown" | "json"): Promise<string> => {
    const formatted = await format(text, { ...((await resolveConfig(file)) ?? {}), parser });
    writeFileSync(file, formatted);
    return formatted;
  };
  const formattedMarkdown = await write(path.join(outDir, `${name}.md`), markdown, "markdown");
  await write(path.join(outDir, `${name}.json`), JSON.stringify(json, null, 2) + "\n", "json");
  return formattedMarkdown;
}
