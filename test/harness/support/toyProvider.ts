/**
 * A toy dynamic provider for the "records" API of `recordsServer.ts`, written like a real one: the base
 * URL and token come from `configure()` (stack config `toy:url`, `toy:token`), `check` validates and
 * tolerates unknowns, `diff` replaces on a `name` change, `create` reports a half-created (unhealthy)
 * record as an init failure, `read` returns `inputs`, `delete` tolerates 404.
 *
 * The object is serialized into `__provider` exactly as `pulumi.dynamic.Resource` does it
 * (`serializeProvider`), so the host runs this code, not the test process.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordInputs {
  name: string;
  value?: string | null;
}

interface RecordOutputs {
  recordId: string;
  name: string;
  value: string | null;
  healthy: boolean;
}

const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

async function callApi(method: string, url: string, token: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

interface ApiRecord {
  id: string;
  name: string;
  value: string | null;
  healthy: boolean;
}

async function readRecord(response: Response): Promise<RecordOutputs> {
  const record = (await response.json()) as ApiRecord;
  return { recordId: record.id, name: record.name, value: record.value, healthy: record.healthy };
}

export class RecordProvider implements pulumi.dynamic.ResourceProvider {
  private url = "";
  private token = "";

  async configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.url = request.config.require("toy:url");
    this.token = request.config.get("toy:token") ?? "";
  }

  async check(olds: RecordInputs, news: RecordInputs): Promise<pulumi.dynamic.CheckResult<RecordInputs>> {
    // Printed by the host process: tests read it back through the host log.
    console.log(`toy:check name=${String(news.name)} old=${String(olds.name)}`);
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (news.name !== unknownSentinel && !/^[a-z][a-z0-9-]*$/.test(String(news.name))) {
      failures.push({ property: "name", reason: "[name] must be lowercase letters, digits and dashes" });
    }
    return { inputs: news, failures };
  }

  async diff(id: string, olds: RecordOutputs, news: RecordInputs): Promise<pulumi.dynamic.DiffResult> {
    // Printed by the host process, so tests can see which inputs the engine sent (unknowns included).
    console.log(`toy:diff id=${id} name=${String(news.name)} value=${String(news.value)}`);
    const replaces = olds.name !== news.name ? ["name"] : [];
    const changes = replaces.length > 0 || (olds.value ?? null) !== (news.value ?? null);
    return { changes, replaces };
  }

  async create(inputs: RecordInputs): Promise<pulumi.dynamic.CreateResult<RecordOutputs>> {
    const response = await callApi("POST", `${this.url}/records`, this.token, {
      name: inputs.name,
      value: inputs.value ?? null,
    });
    if (response.status !== 201) throw new Error(`POST /records: HTTP ${response.status}`);
    const outs = await readRecord(response);
    if (!outs.healthy) {
      // An error carrying `id` is how a dynamic provider reports a partial creation.
      throw Object.assign(new Error(`record ${outs.recordId} is unhealthy`), {
        id: outs.recordId,
        properties: outs,
        reasons: [`record ${outs.recordId} did not become healthy`],
      });
    }
    return { id: outs.recordId, outs };
  }

  async read(id: string): Promise<pulumi.dynamic.ReadResult> {
    const response = await callApi("GET", `${this.url}/records/${id}`, this.token);
    if (response.status === 404) return {};
    if (response.status !== 200) throw new Error(`GET /records/${id}: HTTP ${response.status}`);
    const outs = await readRecord(response);
    return { id, props: outs, inputs: { name: outs.name, value: outs.value } };
  }

  async update(
    id: string,
    _olds: RecordOutputs,
    news: RecordInputs,
  ): Promise<pulumi.dynamic.UpdateResult<RecordOutputs>> {
    const response = await callApi("PUT", `${this.url}/records/${id}`, this.token, {
      name: news.name,
      value: news.value ?? null,
    });
    if (response.status !== 200) throw new Error(`PUT /records/${id}: HTTP ${response.status}`);
    return { outs: await readRecord(response) };
  }

  async delete(id: string): Promise<void> {
    const response = await callApi("DELETE", `${this.url}/records/${id}`, this.token);
    if (response.status !== 204 && response.status !== 404)
      throw new Error(`DELETE /records/${id}: HTTP ${response.status}`);
  }
}

/** The provider as most tests use it. */
export const recordProvider = new RecordProvider();

/** The same provider without `diff`: the host answers DIFF_UNKNOWN and the engine compares inputs itself. */
export const recordProviderWithoutDiff = Object.assign(new RecordProvider(), { diff: undefined });

/** Serializes a provider the way `pulumi.dynamic.Resource` does, giving the `__provider` text. */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}
