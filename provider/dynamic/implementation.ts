import type * as pulumi from "@pulumi/pulumi";

/**
 * What the provider host calls for one resource kind once `configure()` has attached it. Inputs
 * and outputs cross the host as plain JSON, hence the `Record<string, unknown>` parameters; each
 * implementation checks them with its own schema before trusting them.
 */
export interface Implementation {
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult>;
  diff(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult>;
  update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
}
