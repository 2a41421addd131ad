import { SqlEngineError } from './errors.ts';

/**
 * The guard of `query --sql`: one statement, a query (SELECT, WITH ... SELECT, VALUES), nothing
 * that writes, loads or changes settings. Comments and string literals are blanked first, so a
 * keyword inside a string neither passes nor trips the check.
 *
 *   assertReadOnly("SELECT 'drop table' AS x")   -> ok
 *   assertReadOnly('SELECT 1; DROP TABLE events') -> throws (two statements)
 *   assertReadOnly("COPY events TO 'x.csv'")      -> throws (not a query)
 */
const WRITES =
  /\b(INSERT|UPDATE|DELETE|MERGE|CREATE|DROP|ALTER|TRUNCATE|COPY|EXPORT|IMPORT|ATTACH|DETACH|INSTALL|LOAD|PRAGMA|SET|RESET|CALL|GRANT|REVOKE|VACUUM|CHECKPOINT|UNLOAD|MSCK|USE)\b/i;

/** The statement with comments and the contents of string literals and quoted identifiers blanked. */
export function blankLiterals(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j++;
          else break;
        }
      }
      out += c === "'" ? "''" : '"x"';
      i = j;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end - 1;
      out += ' ';
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 1;
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

export function assertReadOnly(sql: string): string {
  const blanked = blankLiterals(sql).trim().replace(/;\s*$/, '');
  const refuse = (why: string) =>
    new SqlEngineError(`only a single read-only query is allowed: ${why}`, 'invalid-query');
  if (!blanked) throw refuse('the statement is empty');
  if (blanked.includes(';')) throw refuse('found more than one statement');
  if (!/^(SELECT|WITH|VALUES|\()/i.test(blanked)) throw refuse('it must start with SELECT or WITH');
  const write = WRITES.exec(blanked);
  if (write) throw refuse(`"${write[1]}" is not allowed`);
  return sql.trim().replace(/;\s*$/, '');
}
