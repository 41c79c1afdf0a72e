// Paths of the repository, independent of the current directory.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder that holds compat-tests/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** compat-tests/ */
export const compatRoot = join(repoRoot, 'compat-tests');

/** shared/ beside the clone (../shared), where the Proton test cases live. */
export const sharedRoot = resolve(repoRoot, '..', 'shared');
