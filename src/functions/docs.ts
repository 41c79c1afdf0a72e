import type { FunctionRegistry } from './registry.js';

/**
 * docs/functions.md: every function by category with its description, syntax, aliases (Proton's
 * snake_case spellings included) and example. Generated from the registry so it never drifts.
 */
export function renderFunctionDocs(registry: FunctionRegistry): string {
  const byCategory = new Map<string, ReturnType<FunctionRegistry['canonical']>>();
  for (const rec of registry.canonical()) {
    const cat = rec.kind === 'aggregate' ? `Aggregate: ${rec.fn.category === 'Aggregate' ? 'functions' : rec.fn.category}` : rec.fn.category;
    let list = byCategory.get(cat);
    if (!list) byCategory.set(cat, (list = []));
    list.push(rec);
  }
  const cats = [...byCategory.keys()].sort();
  let out = '# Functions\n\nGenerated from the function registry (`src/functions`). Names are case-sensitive unless marked;\n';
  out += "every camelCase name also answers to Proton's snake_case spelling. Aggregate functions accept the\n";
  out += 'combinators -If, -Distinct, -OrNull, -OrDefault, -State, -Merge, -Array, -ForEach, -SimpleState\n(also as _if, _distinct, …).\n\n';
  out += cats.map((c) => `- [${c}](#${anchor(c)})`).join('\n') + '\n';
  for (const cat of cats) {
    out += `\n## ${cat}\n`;
    const list = byCategory.get(cat)!.sort((a, b) => (a.fn.name.toLowerCase() < b.fn.name.toLowerCase() ? -1 : 1));
    for (const { fn, aliases, kind } of list) {
      out += `\n### ${fn.name}\n\n${fn.description}${kind === 'window' ? ' (window function)' : ''}\n`;
      if (fn.syntax) out += `\n\`\`\`sql\n${fn.syntax}\n\`\`\`\n`;
      if (fn.arguments) out += `\nArguments: ${fn.arguments}\n`;
      if (fn.returnedValue) out += `\nReturns: ${fn.returnedValue}\n`;
      if (fn.examples) out += `\nExample: \`${fn.examples}\`\n`;
      const shown = aliases.filter((a) => a !== fn.name).sort();
      if (shown.length) out += `\nAliases: ${shown.map((a) => `\`${a}\``).join(', ')}${fn.caseInsensitive ? ' (case-insensitive)' : ''}\n`;
      else if (fn.caseInsensitive) out += '\nCase-insensitive.\n';
    }
  }
  return out;
}

function anchor(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}
