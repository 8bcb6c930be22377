import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import {
  type AlertSender,
  type SweepDeps,
  type SweepReport,
  sweepOverdue,
} from '../../shared/domain/sweep-overdue';
import { outboxAlertSender } from '../../shared/notify/outbox-sender';
import { createSweepStore } from '../../shared/storage/alert-repository';
import { createProjectRepository } from '../../shared/storage/project-repository';
import { TEST_NOW } from './clock';
import type { TestTable } from './dynamo';

/**
 * The instant a test starts from: TEST_NOW when the run sets one, otherwise the real one. Every
 * date a test uses is computed from it, so no test depends on today's date.
 */
/** The run's test instant (test/support/clock.ts): TEST_NOW, or the real time read once. */
export const BASE_NOW = TEST_NOW;

export const OFFICER_APP_URL = 'https://officers.example.gov.uk/app';

/** A local outbox in a fresh temporary directory, and a reader for what it holds. */
export function testOutbox() {
  const path = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.jsonl');
  const printed: string[] = [];
  return {
    path,
    printed,
    sender: outboxAlertSender(path, (line) => printed.push(line)),
    lines(): PublishCommandInput[] {
      try {
        return readFileSync(path, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as PublishCommandInput);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
  };
}

/** One sweep on a test table as of `now`, with the real store and projects. */
export function sweepAt(
  table: TestTable,
  now: Date,
  sender: AlertSender,
  overrides: Partial<SweepDeps> = {},
): Promise<SweepReport> {
  return sweepOverdue({
    store: createSweepStore(table.db, table.name),
    projects: createProjectRepository(table.db, table.name, { cacheTtlMs: 0 }),
    sender,
    now: () => now,
    officerAppUrl: OFFICER_APP_URL,
    ...overrides,
  });
}

export const addMs = (date: Date, ms: number) => new Date(date.getTime() + ms);
export const DAY_MS = 86_400_000;
