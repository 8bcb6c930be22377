import type { HistoryEntry } from '../../../shared/domain/history';
import type { SentAlert } from '../../../shared/domain/overdue';
import { h } from '../dom';
import { dateTime, words } from '../format';
import { paragraph, table } from '../govuk';

/** A changed value as text; long text is cut short here (the record itself shows it in full). */
function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'nothing';
  // Who did something is shown by name (history records the officer as {sub, name}).
  const name = typeof value === 'object' && 'name' in value ? (value as { name: unknown }).name : undefined;
  const text = typeof value === 'string' ? value : typeof name === 'string' ? name : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** Fields whose records the screen shows in full elsewhere (a complaint's stages): named, not dumped. */
const SHOWN_ELSEWHERE: Record<string, string> = {
  complaintStages: 'Complaint stages: see each stage above',
  complaintTimescales: 'Stage timescales: set for the procedure',
};

/** Who changed what, when: every entry of the record's history, newest first. */
export function historyTable(history: HistoryEntry[]) {
  if (!history.length)
    return [h('h2', { class: 'govuk-heading-m' }, 'History'), paragraph('No changes yet.')];
  const rows = [...history].reverse().map((entry) => [
    dateTime(entry.at),
    entry.actor.name,
    words(entry.action),
    h(
      'ul',
      { class: 'govuk-list' },
      Object.entries(entry.changes).map(([field, change]) =>
        h(
          'li',
          {},
          Object.hasOwn(SHOWN_ELSEWHERE, field)
            ? SHOWN_ELSEWHERE[field]
            : `${words(field)}: ${shown(change.from)} → ${shown(change.to)}`,
        ),
      ),
      entry.reason ? h('li', { class: 'app-pre-wrap' }, `Why: ${entry.reason}`) : null,
    ),
  ]);
  return table('History', ['When', 'Who', 'What', 'Changes'], rows);
}

export function alertsTable(alerts: SentAlert[]) {
  if (!alerts.length)
    return [
      h('h2', { class: 'govuk-heading-m' }, 'Overdue alerts'),
      paragraph('No overdue alerts have been sent.'),
    ];
  return table(
    'Overdue alerts sent',
    ['Sent', 'Stage', 'Alert', 'Team', 'Working days overdue'],
    alerts.map((alert) => [
      dateTime(alert.sentAt),
      words(alert.stage),
      `${alert.sequence === 0 ? 'First alert' : `Reminder ${alert.sequence}`}${alert.escalation ? ' (escalation)' : ''}`,
      alert.team,
      String(alert.workingDaysOverdue),
    ]),
  );
}
