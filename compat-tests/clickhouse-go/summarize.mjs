// Reads `go test -json` output on stdin, echoes the tests' output, then prints each failed or
// skipped leaf test as `FAIL  name` / `skip  name` with its output indented (the form
// run-clients.sh shows) and the closing line `N passed, N failed, N skipped` (leaf tests only:
// a parent test that only groups subtests is not counted). A run that ended without any test
// result (a build failure, a setup failure in TestMain) counts as one failure.
import { createInterface } from 'node:readline';

/** @type {Map<string, { action?: string, output: string[] }>} */
const tests = new Map();
const loose = [];
let packageFailed = false;
for await (const line of createInterface({ input: process.stdin })) {
  let ev;
  try {
    ev = JSON.parse(line);
  } catch {
    loose.push(line);
    process.stdout.write(line + '\n');
    continue;
  }
  if (ev.Action === 'output') process.stdout.write(ev.Output);
  if (!ev.Test) {
    if (ev.Action === 'output') loose.push(ev.Output.trimEnd());
    if (ev.Action === 'fail') packageFailed = true;
    continue;
  }
  const t = tests.get(ev.Test) ?? { output: [] };
  tests.set(ev.Test, t);
  if (ev.Action === 'output') t.output.push(ev.Output.trimEnd());
  if (ev.Action === 'pass' || ev.Action === 'fail' || ev.Action === 'skip') t.action = ev.Action;
}
const names = [...tests.keys()];
const leaves = names.filter((n) => !names.some((m) => m.startsWith(n + '/')));
let passed = 0;
let failed = 0;
let skipped = 0;
console.log('');
for (const name of leaves) {
  const t = tests.get(name);
  if (!t) continue;
  if (t.action === 'pass') passed++;
  else if (t.action === 'skip') {
    skipped++;
    const why = t.output.filter((l) => !/^(=== |--- |\s*$)/.test(l));
    console.log(`skip  ${name}`);
    for (const l of why) console.log(`      ${l.trim()}`);
  } else {
    failed++;
    console.log(`FAIL  ${name}${t.action ? '' : ' (did not finish)'}`);
    for (const l of t.output.filter((l) => !/^(=== |--- )/.test(l.trim()))) console.log(`      ${l.trim()}`);
  }
}
if (leaves.length === 0 || (packageFailed && failed === 0)) {
  failed++;
  console.log('FAIL  go test (no test result)');
  for (const l of loose.slice(-30)) console.log(`      ${l}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
