// Regenerates docs/functions.md from the function registry (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { defaultRegistry, renderFunctionDocs } from '../dist/src/functions/index.js';

writeFileSync(new URL('../docs/functions.md', import.meta.url), renderFunctionDocs(defaultRegistry()));
console.log('docs/functions.md written');
