/**
 * Judges one analyst statement from the engine's own parse: the text that
 * `formatQuerySingleLine` produced (the engine's canonical form of a single
 * statement; multi-statement text fails there) and the tree `EXPLAIN AST`
 * printed for it. Nothing here tokenizes SQL itself.
 */
export type StatementKind = 'select' | 'show' | 'describe' | 'explain';

export type Verdict =
  | { ok: true; kind: StatementKind }
  | { ok: false; code: 'LT_SQL_FORBIDDEN' | 'LT_SQL_FORMAT'; message: string };

interface AstNode {
  name: string;
  children: AstNode[];
}

/** Parses EXPLAIN AST's indented dump: one node per line, one space of indent per level. */
export function parseAstDump(dump: string): AstNode | null {
  const lines = dump.split('\n').filter((l) => l.trim() !== '');
  const stack: { depth: number; node: AstNode }[] = [];
  let root: AstNode | null = null;
  for (const line of lines) {
    const depth = line.length - line.trimStart().length;
    const node: AstNode = { name: line.trim().replace(/ \(children \d+\)$/, ''), children: [] };
    while (stack.length > 0 && (stack.at(-1) as { depth: number }).depth >= depth) stack.pop();
    const parent = stack.at(-1);
    if (parent) parent.node.children.push(node);
    else if (root === null) root = node;
    else return null; // two roots: not one statement
    stack.push({ depth, node });
  }
  return root;
}

const SELECT_ROOTS = new Set(['SelectWithUnionQuery', 'SelectIntersectExceptQuery']);

function kindOf(root: AstNode): StatementKind | null {
  if (SELECT_ROOTS.has(root.name)) return 'select';
  if (root.name === 'DescribeQuery') return 'describe';
  if (root.name.startsWith('Explain')) return 'explain';
  // SHOW statements print as ShowTables, ShowColumns, ShowCreateTableQuery, "SHOW USERS query", ...
  if (/^(Show|SHOW )/.test(root.name)) return 'show';
  return null;
}

/**
 * Exactly one SELECT/WITH, SHOW, DESCRIBE or EXPLAIN (of a SELECT). The output
 * clauses of a query hang off its root: INTO OUTFILE as a Literal (the path,
 * then any compression literals), FORMAT as an Identifier, SETTINGS as a Set.
 * No allowed root has a Literal of its own at that level, so one there is an
 * OUTFILE. SETTINGS pass through: readonly=1 makes the engine refuse changes.
 */
export function judgeStatement(canonical: string, astDump: string): Verdict {
  const root = parseAstDump(astDump);
  const head = canonical.split(' ').slice(0, 2).join(' ');
  if (!root) return forbidden(`could not read the statement's syntax tree`);
  const kind = kindOf(root);
  if (!kind) {
    return forbidden(`only one SELECT, WITH, SHOW, DESCRIBE or EXPLAIN statement is allowed, not ${head}`);
  }
  for (const child of root.children) {
    if (child.name.startsWith('Literal')) return forbidden('INTO OUTFILE is not allowed');
    const format = /^Identifier (\S+)$/.exec(child.name)?.[1];
    if (format && canonical.includes(` FORMAT ${format}`)) {
      return {
        ok: false,
        code: 'LT_SQL_FORMAT',
        message: `the endpoint chooses the output format (JSON rows); remove FORMAT ${format}`,
      };
    }
  }
  if (kind === 'explain') {
    const inner = root.children.find((c) => c.name !== 'Set');
    if (!inner || !SELECT_ROOTS.has(inner.name))
      return forbidden('EXPLAIN is allowed for SELECT queries only');
  }
  return { ok: true, kind };
}

function forbidden(message: string): Verdict {
  return { ok: false, code: 'LT_SQL_FORBIDDEN', message };
}
