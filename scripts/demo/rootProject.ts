import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

/** The repository's root Pulumi project, and where the language host would run its program. */
export interface RootProject {
  /** Pulumi.yaml's `name`. */
  readonly name: string;
  /** The directory of Pulumi.yaml: the provider host's working directory. */
  readonly projectDir: string;
  /** The program's working directory (`--pwd`). */
  readonly programDir: string;
  /** The program, relative to `programDir` (`.` for a directory with a package.json). */
  readonly entryPoint: string;
}

/** Walks up from `start` to this repository's root: the package.json named pulumi-chatwoot. */
export function findRepositoryRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "pulumi-chatwoot") {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no pulumi-chatwoot checkout above ${start}`);
  }
}

/**
 * Reads `<projectDir>/Pulumi.yaml`. A `main` option is resolved as the engine's `getPwdMain` does
 * (pkg/engine/project.go): a directory becomes the working directory with entry point `.`, a file
 * runs from its own directory.
 */
export function readRootProject(projectDir: string): RootProject {
  const file = path.join(projectDir, "Pulumi.yaml");
  const project = parseYaml(fs.readFileSync(file, "utf8")) as { name?: unknown; main?: unknown };
  if (typeof project.name !== "string" || project.name === "") throw new Error(`${file} has no project name`);
  if (project.main === undefined)
    return { name: project.name, projectDir, programDir: projectDir, entryPoint: "." };
  if (typeof project.main !== "string" || path.isAbsolute(project.main)) {
    throw new Error(`${file}: main must be a relative path`);
  }
  const main = path.resolve(projectDir, project.main);
  if (main !== projectDir && !main.startsWith(projectDir + path.sep)) {
    throw new Error(`${file}: main must be inside the project directory`);
  }
  return fs.statSync(main).isDirectory()
    ? { name: project.name, projectDir, programDir: main, entryPoint: "." }
    : { name: project.name, projectDir, programDir: path.dirname(main), entryPoint: path.basename(main) };
}
