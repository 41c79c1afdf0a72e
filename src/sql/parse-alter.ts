import type { AlterCommand, AlterStatement, ColumnDef, DeleteStatement, Expr } from './ast.js';
import { CreateParser } from './parse-create.js';

/** ALTER TABLE|STREAM|VIEW … and lightweight DELETE FROM. */
export abstract class AlterParser extends CreateParser {
  /** After `ALTER`. */
  parseAlter(): AlterStatement {
    const kindWord = this.acceptAnyKw(['TABLE', 'STREAM', 'VIEW']);
    if (!kindWord) this.fail();
    const target = this.parseQualifiedName();
    this.skipOnCluster();
    const commands: AlterCommand[] = [];
    do commands.push(this.parseAlterCommand());
    while (this.acceptOp(','));
    const st: AlterStatement = { kind: 'alter', objectKind: kindWord as AlterStatement['objectKind'], target, commands };
    if (this.acceptKw('SETTINGS')) st.settings = this.parseSettingsList();
    return st;
  }

  private parseAlterCommand(): AlterCommand {
    const start = this.offset;
    if (this.acceptKws('ADD', 'COLUMN')) {
      const ifNotExists = this.acceptKws('IF', 'NOT', 'EXISTS');
      const column = this.columnDef();
      const cmd: AlterCommand = { kind: 'add_column', column, ifNotExists };
      if (this.acceptKw('AFTER')) cmd.after = this.ident();
      else if (this.acceptKw('FIRST')) cmd.first = true;
      return cmd;
    }
    if (this.acceptKws('DROP', 'COLUMN')) {
      const ifExists = this.acceptKws('IF', 'EXISTS');
      return { kind: 'drop_column', name: this.ident(), ifExists };
    }
    if (this.acceptKws('MODIFY', 'COLUMN')) {
      const ifExists = this.acceptKws('IF', 'EXISTS');
      const column = this.columnDef();
      if (this.acceptKw('AFTER')) this.ident();
      else this.acceptKw('FIRST');
      return { kind: 'modify_column', column, ifExists };
    }
    if (this.acceptKws('RENAME', 'COLUMN')) {
      const ifExists = this.acceptKws('IF', 'EXISTS');
      const from = this.ident();
      this.expectKw('TO');
      return { kind: 'rename_column', from, to: this.ident(), ifExists };
    }
    if (this.acceptKws('COMMENT', 'COLUMN')) {
      this.acceptKws('IF', 'EXISTS');
      const name = this.ident();
      return { kind: 'comment_column', name, comment: this.stringLit() };
    }
    if (this.acceptKws('MODIFY', 'SETTING')) return { kind: 'modify_setting', settings: this.parseSettingsList(() => this.isAlterCommandStart()) };
    if (this.acceptKws('RESET', 'SETTING')) {
      const names: string[] = [];
      do names.push(this.ident());
      while (this.isOp(',') && !this.isAlterCommandStart(1) && this.acceptOp(','));
      return { kind: 'reset_setting', names };
    }
    if (this.acceptKws('MODIFY', 'TTL')) return { kind: 'modify_ttl', ttl: this.parseTtlList(() => this.isAlterCommandStart(1)) };
    if (this.acceptKws('REMOVE', 'TTL')) return { kind: 'remove_ttl' };
    if (this.acceptKws('MODIFY', 'ORDER', 'BY')) return { kind: 'modify_order_by', orderBy: this.parseKeyList() };
    if (this.acceptKws('MODIFY', 'COMMENT')) return { kind: 'modify_comment', comment: this.stringLit() };
    if (this.acceptKws('MODIFY', 'QUERY')) return { kind: 'modify_query', query: this.parseQuery() };
    if (this.acceptKw('DELETE')) {
      this.skipInPartition();
      this.expectKw('WHERE');
      return { kind: 'delete', where: this.parseExprWithAlias(false) };
    }
    if (this.acceptKw('UPDATE')) {
      const assignments: { column: string; expr: Expr }[] = [];
      do {
        const column = this.ident();
        this.expectOp('=');
        assignments.push({ column, expr: this.parseExpr() });
      } while (this.acceptOp(','));
      this.skipInPartition();
      this.expectKw('WHERE');
      return { kind: 'update', assignments, where: this.parseExprWithAlias(false) };
    }
    if (this.acceptKws('DROP', 'PARTITION')) {
      if (this.acceptKw('ID')) return { kind: 'drop_partition', partition: { kind: 'literal', value: this.stringLit() } };
      return { kind: 'drop_partition', partition: this.parseExpr() };
    }
    // Everything else (indexes, projections, constraints, other partition operations) is kept as text.
    if (!this.isAlterCommandStart()) this.fail('ALTER command');
    this.skipBalancedUntilComma();
    return { kind: 'other', text: this.sql.slice(start, this.prevEnd) };
  }

  private columnDef(): ColumnDef {
    const col = this.parseColumnDef();
    delete col.primaryKey;
    if (this.acceptKw('REMOVE')) this.ident();
    return col;
  }

  private skipInPartition(): void {
    if (this.acceptKws('IN', 'PARTITION')) this.parseExpr();
  }

  private isAlterCommandStart(k = 0): boolean {
    const t = this.peek(k);
    return (
      t.type === 'word' &&
      ['ADD', 'DROP', 'MODIFY', 'RENAME', 'COMMENT', 'CLEAR', 'MATERIALIZE', 'RESET', 'REMOVE', 'DELETE', 'UPDATE', 'DETACH',
        'ATTACH', 'FREEZE', 'UNFREEZE', 'REPLACE', 'MOVE', 'FETCH', 'APPLY'].includes(t.upper)
    );
  }

  /** Skips tokens up to a top-level `,`, `;` or the end. */
  private skipBalancedUntilComma(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.type === 'eof') return;
      if (t.type === 'op') {
        if (depth === 0 && (t.value === ',' || t.value === ';')) return;
        if (t.value === '(' || t.value === '[') depth++;
        else if (t.value === ')' || t.value === ']') {
          if (depth === 0) return;
          depth--;
        }
      }
      // A trailing `SETTINGS` belongs to the ALTER statement (mutations_sync and friends).
      if (depth === 0 && t.type === 'word' && t.upper === 'SETTINGS') return;
      this.advance();
    }
  }

  /** After `DELETE`. */
  parseDelete(): DeleteStatement {
    this.expectKw('FROM');
    const target = this.parseQualifiedName();
    this.skipOnCluster();
    this.expectKw('WHERE');
    return { kind: 'delete', target, where: this.parseExprWithAlias(false) };
  }
}
