/**
 * A tiny, real Pulumi TypeScript program, written to a temporary directory: two toy records through
 * `pulumi.dynamic.Resource` (the second depends on the first's output), a secret from stack config, and
 * exports. `toy:withSecond = "false"` leaves the second record out, to exercise deletes; `toy:explode`
 * makes the program throw.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectDir } from "./fixtures";

const programSource = `
import * as pulumi from "@pulumi/pulumi";

interface RecordInputs { name: string; value?: string }

class RecordProvider implements pulumi.dynamic.ResourceProvider {
  private url = "";
  private token = "";

  async configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.url = request.config.require("toy:url");
    this.token = request.config.require("toy:token");
  }

  private async call(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(this.url + path, {
      method,
      headers: { "content-type": "application/json", authorization: "Bearer " + this.token },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status >= 300) throw new Error(method + " " + path + ": HTTP " + response.status);
    return response.status === 204 ? undefined : response.json();
  }

  async diff(_id: string, olds: any, news: RecordInputs): Promise<pulumi.dynamic.DiffResult> {
    return { changes: olds.name !== news.name || olds.value !== news.value, replaces: olds.name !== news.name ? ["name"] : [] };
  }

  async create(inputs: RecordInputs): Promise<pulumi.dynamic.CreateResult> {
    const record = await this.call("POST", "/records", { name: inputs.name, value: inputs.value ?? null });
    return { id: record.id, outs: { recordId: record.id, name: record.name, value: record.value } };
  }

  async update(id: string, _olds: any, news: RecordInputs): Promise<pulumi.dynamic.UpdateResult> {
    const record = await this.call("PUT", "/records/" + id, { name: news.name, value: news.value ?? null });
    return { outs: { recordId: record.id, name: record.name, value: record.value } };
  }

  async delete(id: string): Promise<void> {
    await this.call("DELETE", "/records/" + id);
  }
}

const provider = new RecordProvider();

interface RecordArgs { name: pulumi.Input<string>; value?: pulumi.Input<string> }

class Record extends pulumi.dynamic.Resource {
  declare readonly recordId: pulumi.Output<string>;
  declare readonly value: pulumi.Output<string | null>;

  constructor(name: string, args: RecordArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { recordId: undefined, ...args }, opts, "toy", "Record");
  }
}

const config = new pulumi.Config("toy");
if (config.get("explode")) throw new Error("toy program refused to run: " + config.get("explode"));
const first = new Record("first", { name: "first", value: config.requireSecret("greeting") });
const second =
  config.get("withSecond") === "false"
    ? undefined
    : new Record("second", { name: "second", value: pulumi.interpolate\`after-\${first.recordId}\` });

pulumi.log.info("toy program registered its records");

export const firstId = first.recordId;
export const firstValue = first.value;
export const secondValue = second?.value;
`;

export interface ToyProgram {
  readonly dir: string;
  remove(): void;
}

/** Writes the program with a `node_modules` link to this repository's, so the SDK and ts-node resolve. */
export function writeToyProgram(): ToyProgram {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-program-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: toyprog\nruntime: nodejs\n");
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "toyprog", private: true, dependencies: { "@pulumi/pulumi": "*" } }, null, 2),
  );
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2020",
          module: "commonjs",
          // Needed: cmd/run defaults moduleResolution to "nodenext", which TypeScript 5 rejects with commonjs.
          moduleResolution: "node",
          strict: true,
          skipLibCheck: true,
        },
        files: ["index.ts"],
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(dir, "index.ts"), programSource);
  fs.symlinkSync(path.join(projectDir, "node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
