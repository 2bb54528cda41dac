import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  type QueryResult,
  type RawBuilder,
} from 'kysely';
import type { Db } from './types.js';

/** Stands for the n-th argument while the query is built; replaced by the value when it runs. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A query of the request path, built and compiled by Kysely once per database and then run
 * with new values: Kysely's "split build, compile and execute" recipe. Building and compiling
 * (an immutable tree per builder call, then the plugins and the compiler walking it) cost more
 * CPU than the round trip on the hottest statements. `build` gets one placeholder per
 * argument and must use each (once or more) as a plain value (`where(col, '=', arg)`, `set({ col: arg })`),
 * never as a list; the compiled parameters that are placeholders take the arguments, in place.
 * Rows still pass through the plugins (camel-cased keys), as with `.execute()`.
 */
export function precompiled<Args extends readonly unknown[], Row>(
  build: (db: Db, ...args: { [K in keyof Args]: Args[K] }) => Compilable<Row> | RawBuilder<Row>,
): (db: Db, ...args: Args) => Promise<QueryResult<Row>> {
  const compiledFor = new WeakMap<Db, { compiled: CompiledQuery<Row>; slots: Array<number | null> }>();
  return async (db, ...args) => {
    let entry = compiledFor.get(db);
    if (entry === undefined) {
      const placeholders = args.map((_, index) => new Slot(index)) as unknown as Args;
      // A raw `sql` template compiles against the database; a builder already knows it.
      const built = build(db, ...placeholders) as { compile(db: Db): CompiledQuery<Row> };
      const compiled = built.compile(db);
      const slots = compiled.parameters.map((parameter) =>
        parameter instanceof Slot ? parameter.index : null,
      );
      if (new Set(slots.filter((slot) => slot !== null)).size !== args.length)
        throw new Error(`a precompiled query must use each of its ${args.length} arguments: ${compiled.sql}`);
      entry = { compiled, slots };
      compiledFor.set(db, entry);
    }
    const { compiled, slots } = entry;
    return db.executeQuery<Row>({
      ...compiled,
      queryId: createQueryId(),
      parameters: slots.map((slot, position) => (slot === null ? compiled.parameters[position] : args[slot])),
    });
  };
}
