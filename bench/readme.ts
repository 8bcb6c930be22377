/**
 * `npm run bench:readme`: rewrites the README's speed tables from bench/results/latest.json, the
 * last full `npm run bench` (which does this itself unless given --no-readme).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchResults, renderMarkdown, replaceSection } from './report';

const latest = fileURLToPath(new URL('./results/latest.json', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const results = JSON.parse(readFileSync(latest, 'utf8')) as BenchResults;
writeFileSync(readme, replaceSection(readFileSync(readme, 'utf8'), renderMarkdown(results)));
console.log(`README.md speed tables rewritten from the run of ${results.date}`);
