/**
 * The `connection` input, handled once for every resource kind around its implementation:
 *
 * - `check` validates it, and runs the kind's own check with it in force (so a connection's accountId
 *   is the default account, as `chatwoot:accountId` is); it stays in the checked inputs.
 * - The kind's own methods never see it: each call runs with the connection in force (`withConnection`),
 *   the one in the NEW inputs for create and update, the one RECORDED in the outputs for read and delete
 *   (the dynamic-provider host passes read and delete only the outputs), so a rotated token that an
 *   update recorded is what later refreshes and destroys use.
 * - It is recorded in the outputs (the engine keeps it secret there, see `connectionArgs.ts`).
 * - A change of the connection alone is an update that only records it: no request, no replacement.
 */
import { connectionFailures, connectionOverride } from "../config/connection";
import { deepEqual } from "../resources/equality";
import { absent } from "../resources/account";
import { UNKNOWN } from "../validation/unknown";
import { allowInsecureHttp, withConnection } from "./context";
import type { Implementation } from "./implementation";

type Props = Record<string, unknown>;

export function withConnectionInput(implementation: Implementation): Implementation {
  return {
    async check(olds, news) {
      const { connection, ...rest } = news;
      if (absent(connection)) return implementation.check(without(olds), rest);
      const failures = connectionFailures(connection, allowInsecureHttp());
      if (failures.length > 0) return { inputs: news, failures };
      // An account that is not known yet (preview) leaves the resource's account unknown too.
      const accountUnknown = connection === UNKNOWN || (connection as Props).accountId === UNKNOWN;
      const checked = accountUnknown && absent(rest.accountId) ? { ...rest, accountId: UNKNOWN } : rest;
      const result = await withConnection(connectionOverride(connection), () =>
        implementation.check(without(olds), checked),
      );
      return { ...result, inputs: { ...(result.inputs ?? checked), connection } };
    },

    async diff(id, olds, news) {
      const result = await implementation.diff(id, without(olds), without(news));
      if (!connectionChanged(olds, news)) return result;
      return { ...result, changes: true };
    },

    async create(inputs) {
      const { connection } = inputs;
      try {
        const result = await withConnection(connectionOverride(connection), () =>
          implementation.create(without(inputs)),
        );
        return { ...result, outs: withRecorded(result.outs, connection) };
      } catch (error) {
        throw withConnectionInPartialState(error, connection);
      }
    },

    async read(id, props) {
      const { connection } = props;
      const result = await withConnection(connectionOverride(connection), () =>
        implementation.read(id, without(props)),
      );
      if (!result.id || absent(connection)) return result;
      return {
        ...result,
        ...(result.props ? { props: withRecorded(result.props, connection) } : {}),
        ...(result.inputs ? { inputs: withRecorded(result.inputs, connection) } : {}),
      };
    },

    async update(id, olds, news) {
      const { connection } = news;
      if (connectionChanged(olds, news)) {
        const fields = await implementation.diff(id, without(olds), without(news));
        // Only the connection changed (a rotated token, a new URL): record it, touch nothing.
        if (fields.changes === false) return { outs: withRecorded(without(olds), connection) };
      }
      try {
        const result = await withConnection(connectionOverride(connection), () =>
          implementation.update(id, without(olds), without(news)),
        );
        return { ...result, outs: withRecorded(result.outs, connection) };
      } catch (error) {
        throw withConnectionInPartialState(error, connection);
      }
    },

    async delete(id, props) {
      await withConnection(connectionOverride(props.connection), () =>
        implementation.delete(id, without(props)),
      );
    },
  };
}

function without(props: Props): Props {
  const { connection: _connection, ...rest } = props;
  return rest;
}

function connectionChanged(olds: Props, news: Props): boolean {
  return !deepEqual(olds.connection ?? null, news.connection ?? null);
}

function withRecorded(outs: Props | undefined, connection: unknown): Props {
  return absent(connection) ? { ...outs } : { ...outs, connection };
}

/** A partial create/update's state must record the connection too, or its later delete would lack it. */
function withConnectionInPartialState(error: unknown, connection: unknown): unknown {
  if (absent(connection) || typeof error !== "object" || error === null) return error;
  const partial = error as { id?: unknown; properties?: Props };
  if (partial.id !== undefined && partial.properties)
    partial.properties = withRecorded(partial.properties, connection);
  return error;
}
