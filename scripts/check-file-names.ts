/**
 * One file-naming convention, checked in CI (`npm run check:names`): module files are kebab-case
 * (`market-api.ts`, `offers.service.ts` — dots separate a file's role), Preact component files (.tsx)
 * are PascalCase (`LotView.tsx`) or kebab-case for non-component helpers (`bits.tsx`); locale files keep
 * their BCP 47 tag (`market.zh-CN.ts`).
 */
import { execFileSync } from 'node:child_process';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const CHECKED = /^(server|shared|client\/src|tests|scripts|bench)\/.*\.(ts|tsx|mts|cts|mjs|cjs|js|css)$/;

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => CHECKED.test(file));
const wrong = files.filter((file) => {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const stem = name
    .replace(/\.(ts|tsx|mts|cts|mjs|cjs|js|css)$/, '')
    .replace(/\.(test|e2e\.test|d)$/, '')
    // Locale files keep their BCP 47 tag: zh-CN.ts, market.zh-CN.ts.
    .replace(/(^|\.)[a-z]{2}-[A-Z]{2}$/, '$1locale');
  if (name.endsWith('.tsx')) return !PASCAL.test(stem) && !KEBAB.test(stem);
  return !KEBAB.test(stem);
});
if (wrong.length > 0) {
  process.stderr.write(
    `File names must be kebab-case (PascalCase for .tsx components):\n${wrong.map((f) => `  ${f}`).join('\n')}\n`,
  );
  process.exit(1);
}
process.stdout.write(`file names: ${files.length} checked\n`);
