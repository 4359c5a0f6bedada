/**
 * Warnings for the person running `pulumi up`. A dynamic provider has no engine log client: its
 * host (`@pulumi/pulumi/cmd/dynamic-provider`) never connects one, so `pulumi.log.warn` falls back
 * to `console.warn("warning: [runtime] …")` there (pulumi sdk/nodejs/log/index.ts). The engine
 * shows every line a provider plugin writes to stderr as a diagnostic of the update (pulumi
 * sdk/go/common/resource/plugin/plugin.go, `runtrace`), so that is the channel used here, with
 * the same `warning:` prefix. Never pass a token here.
 */
export function warn(message: string): void {
  console.warn(`warning: ${message}`);
}
