/**
 * `npm run bench:readme`: rewrites the speed tables of docs/developers.md from
 * bench/results/latest.json, the last full `npm run bench` (which does this itself unless given
 * --no-readme).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchResults, renderMarkdown, rewriteTables, TABLES_DOCUMENT } from './report';

const latest = fileURLToPath(new URL('./results/latest.json', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const results = JSON.parse(readFileSync(latest, 'utf8')) as BenchResults;
rewriteTables(root, renderMarkdown(results));
console.log(`${TABLES_DOCUMENT} speed tables rewritten from the run of ${results.date}`);
