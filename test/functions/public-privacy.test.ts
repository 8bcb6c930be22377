import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as annualReportHandler } from '../../functions/annual-report/handler';
import { makeHandler as createHandler } from '../../functions/create-update/handler';
import { makeHandler as feedHandler } from '../../functions/get-feed/handler';
import { makeHandler as rssHandler } from '../../functions/get-feed-rss/handler';
import { makeHandler as publishHandler } from '../../functions/publish-update/handler';
import { feedConfigFromEnv } from '../../shared/domain/feed-formats';
import { createEventRepository } from '../../shared/storage/event-repository';
import { createScorecardRepository } from '../../shared/storage/scorecard-repository';
import { createUpdateRepository } from '../../shared/storage/update-repository';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import { cleanText, detailOf, type GeneratedPerson, leaksOf, person } from '../support/privacy-arbitraries';
import { BASE_NOW, invokeRaw, seedFeedback, steppingClock, updateDeps } from '../support/you-said-we-did';

/**
 * The same property as test/unit/public-output-privacy.test.ts (1,000 runs over the pure
 * builders), here through the real handlers on DynamoDB Local: fewer runs, since each stores
 * feedback, creates and publishes an update, and reads both feeds and the annual report.
 */
let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const officer = officerClaims('officer');
const reserved = new Set(
  'you said we did general feedback about send services what children young people and families told us services or will do in response fewer than done planned progress possible not why update project total'.split(
    ' ',
  ),
);

describe('public responses identify no one (property, on DynamoDB Local)', () => {
  it('never carry a linked family’s name, email, phone, reference, id or message', async () => {
    const clock = steppingClock();
    const deps = updateDeps(table, clock);
    const feed = { feed: createUpdateRepository(table.db, table.name), config: feedConfigFromEnv({}) };
    const report = annualReportHandler({
      feed: createUpdateRepository(table.db, table.name),
      reports: createUpdateRepository(table.db, table.name),
      events: createEventRepository(table.db, table.name),
      scorecard: createScorecardRepository(table.db, table.name),
      projects: deps.projects,
      smallCountThreshold: 5,
    });
    const everyone: GeneratedPerson[] = [];
    const everyId: string[] = [];
    const scenario = fc.array(person(reserved), { minLength: 1, maxLength: 2 }).chain((people) =>
      fc.record({
        people: fc.constant(people),
        youSaid: fc.tuple(cleanText, fc.option(fc.constantFrom(...people).chain(detailOf)), cleanText),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ people, youSaid }) => {
        clock.advance(1);
        const stored = [];
        for (const p of people) {
          const feedback = await seedFeedback(table, {
            submitterRole: p.role,
            message: p.message,
            contact: { name: `${p.first} ${p.last}`, email: p.email, phone: p.phone },
            receivedAt: clock(),
          });
          stored.push(feedback);
          everyone.push({ ...p, reference: feedback.reference });
          everyId.push(feedback.id);
        }
        const [before, detail, after] = youSaid;
        const made = await invoke(createHandler(deps), {
          method: 'POST',
          path: '/officer/updates',
          body: {
            projectId: 'general',
            title: 'Transport',
            youSaid: detail === null ? `${before} ${after}` : `${before} ${detail} ${after}`,
            weDid: 'We changed the contract.',
            status: 'done',
            feedbackIds: stored.map((f) => f.id),
          },
          claims: officer,
        });
        expect(made.status).toBe(201);
        const id = String(made.body.id);
        const published = await invoke(publishHandler(deps), {
          method: 'POST',
          path: `/officer/updates/${id}/publish`,
          pathParameters: { id },
          headers: { 'if-match': '"1"' },
          claims: officer,
        });
        // A reference is generated from the real alphabet: the one it was given may differ from the stored one.
        if (detail !== null && !/^[2-9A-Z]{4}-?[2-9A-Z]{4}$/i.test(detail))
          expect(published.status).toBe(422);
        const outputs = [
          (await invokeRaw(feedHandler(feed), { path: '/feed', query: { limit: '100' } })).text,
          (await invokeRaw(rssHandler(feed), { path: '/feed.xml', query: { limit: '100' } })).text,
          (
            await invokeRaw(report, {
              path: '/officer/reports/annual',
              query: { year: String(BASE_NOW.getUTCFullYear()) },
              claims: officer,
            })
          ).text,
          (
            await invokeRaw(report, {
              path: '/officer/reports/annual',
              query: { year: String(BASE_NOW.getUTCFullYear()), format: 'csv' },
              claims: officer,
            })
          ).text,
        ];
        for (const output of outputs)
          expect(leaksOf(output, everyone, [...everyId, 'Sam Officer'])).toEqual([]);
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
