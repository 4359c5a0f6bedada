/**
 * The engine's side of a provider plugin (`sdk/go/common/resource/plugin/provider_plugin.go`): how
 * property maps are marshalled for the host and how its answers are read back.
 *
 * - Secrets are stripped from every payload unless the host said `acceptSecrets` (the Node.js dynamic
 *   host never does), and same-named outputs/inputs are re-marked secret afterwards (`annotateSecrets`).
 * - Unknowns reach Check and Diff only when allowed (preview), and Create/Update only in preview;
 *   elsewhere they are dropped.
 * - In a preview, Create and Update are not sent to a host that does not support previews: the inputs
 *   stand in for the state.
 * - A Create/Update error with `ErrorResourceInitFailed` is a partial failure; its message is the
 *   reasons (`InitError.Error`).
 */
import type { CheckFailure, DiffResult, HostDriver } from "./host";
import { HostCallError } from "./hostErrors";
import { annotateSecrets, dropUnknowns, stripSecrets, type PropertyMap } from "./wire";

/** A provider error the engine reports against the resource. */
export class ProviderOperationError extends Error {
  override readonly name = "ProviderOperationError";

  constructor(
    message: string,
    /** Set when the resource was created (or updated) but failed to initialize. */
    readonly partial?: {
      readonly id: string;
      readonly outputs: PropertyMap;
      readonly reasons: readonly string[];
    },
  ) {
    super(message);
  }
}

export interface CheckOutcome {
  readonly inputs: PropertyMap;
  readonly failures: readonly CheckFailure[];
}

export class ProviderPlugin {
  /** `host` is started (and configured) on first use: a command that calls no provider starts none. */
  constructor(private readonly host: () => Promise<HostDriver>) {}

  async check(
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    allowUnknowns: boolean,
  ): Promise<CheckOutcome> {
    const host = await this.host();
    const result = await this.guard(host, () =>
      host.check({
        urn,
        olds: this.marshal(host, olds, allowUnknowns),
        news: this.marshal(host, news, allowUnknowns),
      }),
    );
    const inputs = result.inputs ?? {};
    return { inputs: this.annotate(host, inputs, news), failures: result.failures };
  }

  async diff(
    urn: string,
    id: string,
    oldInputs: PropertyMap,
    oldOutputs: PropertyMap,
    newInputs: PropertyMap,
    allowUnknowns: boolean,
    ignoreChanges: readonly string[],
  ): Promise<DiffResult> {
    const host = await this.host();
    return this.guard(host, () =>
      host.diff({
        id,
        urn,
        olds: this.marshal(host, oldOutputs, allowUnknowns),
        news: this.marshal(host, newInputs, allowUnknowns),
        oldInputs: this.marshal(host, oldInputs, allowUnknowns),
        ignoreChanges,
      }),
    );
  }

  async create(
    urn: string,
    properties: PropertyMap,
    timeout: number,
    preview: boolean,
  ): Promise<{ id: string; outputs: PropertyMap }> {
    const host = await this.host();
    if (preview && !host.protocol.supportsPreview) return { id: "", outputs: properties };
    const result = await this.guard(
      host,
      () => host.create({ urn, properties: this.marshal(host, properties, preview), timeout, preview }),
      properties,
    );
    if (result.id === "" && !preview) {
      throw new ProviderOperationError(`plugin returned empty resource.ID from create '${urn}'`);
    }
    return { id: result.id, outputs: this.annotate(host, result.properties, properties) };
  }

  async read(
    urn: string,
    id: string,
    inputs: PropertyMap,
    state: PropertyMap,
    timeout: number,
  ): Promise<{ id: string; outputs: PropertyMap; inputs?: PropertyMap }> {
    const host = await this.host();
    const result = await this.guard(host, () =>
      host.read({
        id,
        urn,
        properties: this.marshal(host, state, false),
        inputs: this.marshal(host, inputs, false),
        timeout,
      }),
    );
    return {
      id: result.id,
      outputs: this.annotate(host, result.properties, state),
      ...(result.inputs ? { inputs: this.annotate(host, result.inputs, inputs) } : {}),
    };
  }

  async update(
    urn: string,
    id: string,
    oldInputs: PropertyMap,
    oldOutputs: PropertyMap,
    newInputs: PropertyMap,
    timeout: number,
    preview: boolean,
    ignoreChanges: readonly string[],
  ): Promise<PropertyMap> {
    const host = await this.host();
    if (preview && !host.protocol.supportsPreview) return newInputs;
    const result = await this.guard(
      host,
      () =>
        host.update({
          id,
          urn,
          olds: this.marshal(host, oldOutputs, false),
          news: this.marshal(host, newInputs, preview),
          oldInputs: this.marshal(host, oldInputs, false),
          timeout,
          preview,
          ignoreChanges,
        }),
      newInputs,
    );
    return this.annotate(host, result.properties, newInputs);
  }

  async delete(
    urn: string,
    id: string,
    oldInputs: PropertyMap,
    oldOutputs: PropertyMap,
    timeout: number,
  ): Promise<void> {
    const host = await this.host();
    await this.guard(host, () =>
      host.delete({
        id,
        urn,
        properties: this.marshal(host, oldOutputs, false),
        oldInputs: this.marshal(host, oldInputs, false),
        timeout,
      }),
    );
  }

  private marshal(host: HostDriver, properties: PropertyMap, keepUnknowns: boolean): PropertyMap {
    const secretsHandled = host.protocol.acceptSecrets ? properties : stripSecrets(properties);
    return keepUnknowns ? secretsHandled : dropUnknowns(secretsHandled);
  }

  private annotate(host: HostDriver, outputs: PropertyMap, inputs: PropertyMap): PropertyMap {
    return host.protocol.acceptSecrets ? outputs : annotateSecrets(outputs, inputs);
  }

  /**
   * Converts host errors into {@link ProviderOperationError}s; a partial failure's outputs are re-marked
   * secret against `sentInputs`, as successful outputs are.
   */
  private async guard<T>(host: HostDriver, call: () => Promise<T>, sentInputs: PropertyMap = {}): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof HostCallError)) throw error;
      const failure = error.initFailure;
      if (failure) {
        throw new ProviderOperationError(initErrorMessage(failure.reasons), {
          id: failure.id,
          outputs: this.annotate(host, failure.properties, sentInputs),
          reasons: failure.reasons,
        });
      }
      throw new ProviderOperationError(error.details);
    }
  }
}

/** `plugin.InitError.Error()`: the reasons in hashicorp/go-multierror's list format. */
export function initErrorMessage(reasons: readonly string[]): string {
  if (reasons.length === 0) return "resource init failed";
  if (reasons.length === 1) return `1 error occurred:\n\t* ${reasons[0]}\n\n`;
  return `${reasons.length} errors occurred:\n\t${reasons.map((reason) => `* ${reason}`).join("\n\t")}\n\n`;
}
