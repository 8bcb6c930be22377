import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annualReport, annualReportCsv } from '../../shared/domain/annual-report';
import { feedConfigFromEnv, jsonFeed, rssFeed } from '../../shared/domain/feed-formats';
import { countVoices } from '../../shared/domain/public-counts';
import { personalDataErrors } from '../../shared/domain/redaction';
import { PUBLIC_TEXT_FIELDS, type PublicView, publicViewOf, type Update } from '../../shared/domain/update';
import { cleanText, detailOf, type GeneratedPerson, leaksOf, person } from '../support/privacy-arbitraries';
import { BASE_NOW } from '../support/you-said-we-did';

const config = feedConfigFromEnv({});
const year = BASE_NOW.getUTCFullYear();
const at = BASE_NOW.toISOString();
const officer = { sub: 'sub-sam', name: 'Sam Officer' };

function updateOf(
  fields: Record<(typeof PUBLIC_TEXT_FIELDS)[number], string>,
  people: GeneratedPerson[],
): Update {
  return {
    id: 'abcdefghjkmn',
    projectId: 'general',
    projectTitle: 'General feedback about SEND services',
    ...fields,
    status: 'not_possible',
    feedbackIds: people.map((p) => p.reference.replace('-', '')),
    eventIds: [],
    voices: countVoices(
      people.map((p) => ({ submitterRole: p.role })),
      [],
    ),
    published: true,
    publishedAt: at,
    publishedBy: officer,
    modifiedAt: at,
    createdAt: at,
    createdBy: officer,
    updatedAt: at,
    updatedBy: officer,
    version: 2,
  };
}

async function publicOutputs(view: PublicView): Promise<string[]> {
  const report = await annualReport(
    {
      feed: { feedPage: async () => ({ items: [view] }) },
      reports: {
        feedbackReceived: async () => ({ feedback: 1, compliment: 3, complaint: 7 }),
        linkedEvents: async () => new Map(),
      },
      events: { list: async () => ({ items: [] }) },
      projects: { get: async () => undefined, list: async () => [] },
      scorecard: {
        months: async () => [
          {
            projectId: 'general',
            month: `${year}-03`,
            counts: { 'started:feedback': 3, 'satisfaction:4': 9 },
          },
        ],
      },
      smallCountThreshold: 5,
    },
    year,
  );
  return [
    JSON.stringify(jsonFeed(config, [view], {})),
    rssFeed(config, [view], {}),
    JSON.stringify(report),
    annualReportCsv(report),
  ];
}

// Words every public output uses anyway, so a generated name never collides with them.
const baseline = await publicOutputs(
  publicViewOf(updateOf({ title: 'x', youSaid: 'x', weDid: 'x', reason: 'x', easyRead: 'x' }, [])),
);
const reserved = new Set(
  baseline
    .join(' ')
    .toLowerCase()
    .match(/\p{L}+/gu) ?? [],
);

describe('public output identifies no one (property, 1,000 runs)', () => {
  it('refuses text carrying a linked family’s details, and what it accepts never carries any of them', async () => {
    const scenario = fc.array(person(reserved), { minLength: 1, maxLength: 3 }).chain((people) =>
      fc.record({
        people: fc.constant(people),
        texts: fc.tuple(
          ...PUBLIC_TEXT_FIELDS.map(() =>
            fc.tuple(
              cleanText,
              fc.option(fc.constantFrom(...people).chain(detailOf), { freq: 2 }),
              cleanText,
            ),
          ),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ people, texts }) => {
        const fields = Object.fromEntries(
          PUBLIC_TEXT_FIELDS.map((field, i) => {
            const [before, detail, after] = texts[i] as [string, string | null, string];
            return [field, detail === null ? `${before} ${after}` : `${before} ${detail} ${after}`];
          }),
        ) as Record<(typeof PUBLIC_TEXT_FIELDS)[number], string>;
        const inserted = texts.some(([, detail]) => detail !== null);
        const errors = personalDataErrors(
          fields,
          people.map((p) => ({
            name: `${p.first} ${p.last}`,
            email: p.email,
            phone: p.phone,
            reference: p.reference,
          })),
        );
        if (inserted) expect(errors.length).toBeGreaterThan(0);
        if (errors.length) return; // Refused: nothing becomes public.
        for (const output of await publicOutputs(publicViewOf(updateOf(fields, people)))) {
          expect(leaksOf(output, people, ['Sam Officer'])).toEqual([]);
        }
      }),
      { numRuns: 1_000 },
    );
  }, 180_000);
});
