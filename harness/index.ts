/**
 * The engine harness: the real dynamic-provider host from `@pulumi/pulumi`, driven the way the Pulumi
 * engine drives it. See `harness/README.md`.
 */
export { HostDriver } from "./host";
export type {
  HostOptions,
  HostProtocol,
  CallOverrides,
  CheckCall,
  CheckResult,
  CheckFailure,
  DiffCall,
  DiffResult,
  DiffChanges,
  CreateCall,
  CreateResult,
  ReadCall,
  ReadResult,
  UpdateCall,
  UpdateResult,
  DeleteCall,
} from "./host";
export { HostCallError, type ResourceInitFailure } from "./hostErrors";
export { Engine } from "./engine";
export type { EngineOptions, UpOptions, DeploymentHandle, Program } from "./engine";
export type { Deployment, RegisterArgs, Registered } from "./deployment";
export { RegistrationError, type RegistrationFailureKind } from "./operation";
export type { ResourceState, CustomTimeouts } from "./state";
export type { Step, StepOp, EngineError, OperationResult } from "./steps";
export { runProgram, assertProgramSucceeded, describeRun } from "./program";
export type { RunProgramOptions, ProgramRun } from "./program";
export type { ProgramLogEntry, LogSeverity } from "./monitor";
export { findPulumiBinary, PulumiCli, PulumiCommandError } from "./pulumiCli";
export type { PulumiCliOptions, CliResult } from "./pulumiCli";
export * from "./wire";
export { makeUrn, parseUrn } from "./urn";
