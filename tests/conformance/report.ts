// Text report: one line per file, failure reasons under it, tallies, and the closing line.
import type { FileReport, TestStatus } from './unified/types';

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

function count(report: FileReport, status: TestStatus['status']): number {
  return report.tests.filter((t) => t.result.status === status).length;
}

export function fileLines(report: FileReport, verbose: boolean): string[] {
  const [p, f, s] = [count(report, 'pass'), count(report, 'fail'), count(report, 'skip')];
  const lines = [`${f > 0 ? 'FAIL' : 'PASS'} ${report.file}  ${p} passed, ${f} failed, ${s} skipped`];
  for (const test of report.tests) {
    const r = test.result;
    if (r.status === 'fail') {
      lines.push(`    ✗ ${test.description}: ${oneLine(r.reason, verbose ? 10_000 : 240)}`);
      if (verbose) for (const d of r.details) lines.push(indent(d, 8));
    } else if (verbose) {
      lines.push(
        `    ${r.status === 'pass' ? '✓' : '-'} ${test.description}${r.status === 'skip' ? ` (skipped: ${r.reason})` : ''}`,
      );
    }
  }
  return lines;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

export function totals(reports: FileReport[]): Totals {
  return reports.reduce(
    (t, r) => ({
      passed: t.passed + count(r, 'pass'),
      failed: t.failed + count(r, 'fail'),
      skipped: t.skipped + count(r, 'skip'),
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
}

/** "reason → count", most frequent first. */
export function tally(reports: FileReport[], key: (r: TestStatus) => string | undefined): [string, number][] {
  const counts = new Map<string, number>();
  for (const report of reports) {
    for (const test of report.tests) {
      const k = key(test.result);
      if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export const skipReason = (r: TestStatus): string | undefined => (r.status === 'skip' ? r.reason : undefined);
export const failureCause = (r: TestStatus): string | undefined => (r.status === 'fail' ? r.cause : undefined);

export function tallyLines(title: string, rows: [string, number][]): string[] {
  if (rows.length === 0) return [];
  return [title, ...rows.map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`)];
}

export function closingLine(t: Totals): string {
  return `conformance: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}
