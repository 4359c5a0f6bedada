/**
 * The program side of the `connection` input (see `connectionInput.ts` for the provider side), and the
 * warning about a token set without `--secret`. Runs in the Pulumi program, never in the provider host.
 */
import * as pulumi from "@pulumi/pulumi";

/** Chatwoot to talk to for one resource; each part left out comes from the stack config or environment. */
export interface ConnectionArgs {
  /** Chatwoot's base URL, e.g. an output of the stack that runs Chatwoot. */
  url?: pulumi.Input<string>;
  /** An API access token; it is kept secret in the state whatever the output it comes from. */
  apiAccessToken?: pulumi.Input<string>;
  /** The default account for this resource (as `chatwoot:accountId` is for the stack). */
  accountId?: pulumi.Input<number>;
}

/**
 * A resource's inputs: its fields, and its connection as ONE secret value. The dynamic-provider host
 * sees plain values (it does not accept secrets), so it is the engine that keeps the checked input
 * secret, and re-marks the output of the same name (`annotateSecrets`).
 */
export function resourceInputs<Args extends { connection?: pulumi.Input<ConnectionArgs> }>(
  placeholders: Record<string, undefined>,
  args: Args,
): pulumi.Inputs {
  warnAboutPlainToken();
  const { connection, ...fields } = args;
  return {
    ...placeholders,
    ...fields,
    ...(connection === undefined ? {} : { connection: pulumi.secret(pulumi.output(connection)) }),
  };
}

/** With a connection: its output is secret too, even where the engine could not infer it. */
export function resourceOptions(
  args: { connection?: unknown },
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions | undefined {
  if (args.connection === undefined) return opts;
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"] };
}

let tokenChecked = false;

/**
 * Warns once per program when `chatwoot:apiAccessToken` is stack config but not a secret: the engine
 * then records it in plain text in the state, in the default provider's inputs (`target.go
 * GetPackageConfig` keeps only secret config secret). The program learns which keys are secret from
 * `PULUMI_CONFIG_SECRET_KEYS`, through `runtime.isConfigSecret` (exported by `@pulumi/pulumi` since
 * 3.3, marked internal, hence looked up; without it there is no warning).
 */
export function warnAboutPlainToken(): void {
  if (tokenChecked) return;
  tokenChecked = true;
  const key = "chatwoot:apiAccessToken";
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean })
    .isConfigSecret;
  // `getConfig` reads the raw value: `Config.get` would itself warn about reading a secret.
  if (pulumi.runtime.getConfig(key) === undefined || !isConfigSecret || isConfigSecret(key)) return;
  void pulumi.log.warn(
    `${key} is set without --secret, so the state records the token in plain text (in the default ` +
      `provider's inputs). Set it as a secret with \`pulumi config set --secret ${key} <token>\`, run ` +
      "`pulumi up`, and rotate the token if the state may have been read.",
  );
}
