// `npm run build`: the Local Offer components into dist/embed (the CDK app and `npm start` build
// them too, so this is for looking at the output or serving it elsewhere).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildEmbed } from '../embed/build';

const build = buildEmbed(resolve(process.argv[2] ?? 'dist/embed'));
for (const [stable, hashed] of Object.entries(build.manifest)) {
  const bytes = readFileSync(join(build.outdir, hashed));
  console.log(
    `${stable} -> ${hashed}: ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipSync(bytes).length / 1024).toFixed(1)} KB gzipped`,
  );
}
console.log(`written to ${build.outdir}`);
