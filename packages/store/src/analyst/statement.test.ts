import { describe, expect, it } from 'vitest';
import { sanitizeEngineMessage } from './engine-errors.js';
import { judgeStatement, parseAstDump } from './statement.js';

// Dumps as EXPLAIN AST prints them (one space of indent per level).
const SELECT_1 =
  'SelectWithUnionQuery (children 1)\n ExpressionList (children 1)\n  SelectQuery (children 1)\n';

describe('parseAstDump', () => {
  it('builds the tree from the indentation', () => {
    const root = parseAstDump(`${SELECT_1}   ExpressionList (children 1)\n    Literal UInt64_1\n`);
    expect(root?.name).toBe('SelectWithUnionQuery');
    expect(root?.children.map((c) => c.name)).toEqual(['ExpressionList']);
    expect(root?.children[0]?.children[0]?.children[0]?.children[0]?.name).toBe('Literal UInt64_1');
  });

  it('refuses two roots', () => {
    expect(parseAstDump('ShowTables\nShowTables\n')).toBeNull();
  });
});

describe('judgeStatement', () => {
  it.each([
    ['SELECT 1', SELECT_1, 'select'],
    ['SHOW TABLES FROM system', 'ShowTables (children 1)\n Identifier system\n', 'show'],
    ['SHOW USERS', 'SHOW USERS query\n', 'show'],
    ['DESCRIBE TABLE t', 'DescribeQuery (children 1)\n TableExpression (children 1)\n', 'describe'],
    [
      'EXPLAIN json = 1 SELECT 1',
      `Explain EXPLAIN (children 2)\n Set\n${SELECT_1.replace(/^/gm, ' ')}`,
      'explain',
    ],
  ])('allows %s', (canonical, dump, kind) => {
    expect(judgeStatement(canonical, dump)).toEqual({ ok: true, kind });
  });

  it.each([
    ["SELECT 1 INTO OUTFILE '/tmp/a'", `${SELECT_1} Literal '/tmp/a'\n`],
    ["SHOW TABLES INTO OUTFILE '/tmp/a'", "ShowTables (children 1)\n Literal '/tmp/a'\n"],
    [
      "EXPLAIN SELECT 1 INTO OUTFILE 'x'",
      `Explain EXPLAIN (children 2)\n SelectWithUnionQuery\n Literal 'x'\n`,
    ],
  ])('refuses INTO OUTFILE: %s', (canonical, dump) => {
    expect(judgeStatement(canonical, dump)).toMatchObject({ ok: false, code: 'LT_SQL_FORBIDDEN' });
  });

  it.each([
    ['KILL QUERY WHERE 1 ASYNC', 'KillQueryQuery Literal_UInt64_1 ASYNC (children 1)\n Literal UInt64_1\n'],
    ['SYSTEM SHUTDOWN', 'SYSTEM query\n'],
    ['INSERT INTO t FORMAT Values', 'InsertQuery   (children 1)\n Identifier t\n'],
    ['SET readonly = 0', 'Set\n'],
    ['DROP TABLE t', 'DropQuery  t (children 1)\n Identifier t\n'],
    [
      'EXPLAIN AST INSERT INTO t FORMAT Values',
      'Explain EXPLAIN AST (children 1)\n InsertQuery   (children 1)\n',
    ],
  ])('refuses %s', (canonical, dump) => {
    const verdict = judgeStatement(canonical, dump);
    expect(verdict).toMatchObject({ ok: false, code: 'LT_SQL_FORBIDDEN' });
  });

  it('says the endpoint chooses the format', () => {
    expect(judgeStatement('SELECT 1 FORMAT JSON', `${SELECT_1} Identifier JSON\n`)).toEqual({
      ok: false,
      code: 'LT_SQL_FORMAT',
      message: 'the endpoint chooses the output format (JSON rows); remove FORMAT JSON',
    });
  });
});

describe('sanitizeEngineMessage', () => {
  it('drops the wrapping, the version and file-system paths', () => {
    expect(
      sanitizeEngineMessage(
        "Code: 107. DB::Exception: Cannot open file /var/lib/linktrack/clickhouse/data/x.bin, errno: 2: while reading '/srv/a b'. (FILE_DOESNT_EXIST) (version 26.7.2.1)\nstack",
      ),
    ).toBe("Cannot open file <path>, errno: 2: while reading '<path> b'.");
  });

  it('keeps relative names and query text', () => {
    expect(sanitizeEngineMessage("Unknown identifier 'a/b' in scope SELECT a/b")).toBe(
      "Unknown identifier 'a/b' in scope SELECT a/b",
    );
  });
});
