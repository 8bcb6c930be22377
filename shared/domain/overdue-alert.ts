import { stageName } from './complaint-procedure';
import { londonDateOf } from './london-time';
import type { DueAlert, OpenItem } from './overdue';

/**
 * The words of an overdue alert. Built only from the fields named here, all of them the service's
 * own (reference, project, kind, dates): never from a family's message, name, email or phone, which
 * the sweep does not even read (GSI1 does not project them). An inbox is not the place for them.
 */
export interface AlertMessage {
  subject: string;
  /** What a person reads. */
  email: string;
  /** What a queue or ticketing integration reads. */
  document: AlertDocument;
  /** SNS message attributes: subscriptions filter on them, consumers deduplicate on alertId. */
  attributes: {
    team: string;
    projectId: string;
    kind: string;
    stage: string;
    escalation: 'true' | 'false';
    alertId: string;
    /** Complaints: the stage, as text ("1", "2", "3"), so a subscription can route stage 2 apart. */
    complaintStage?: string;
  };
}

export interface AlertDocument {
  alertId: string;
  type: DueAlert['type'];
  escalation: boolean;
  sequence: number;
  stage: DueAlert['stage'];
  /** Complaints: the procedure and stage the deadline belongs to. */
  complaintProcedure?: string;
  complaintStage?: number;
  entity: 'feedback' | 'event';
  id: string;
  reference: string;
  kind: string;
  projectId: string;
  projectTitle: string;
  team: string;
  receivedOn?: string;
  heldOn?: string;
  dueBy: string;
  workingDaysOverdue: number;
  link: string;
}

export interface AlertProject {
  id: string;
  title: string;
  alertTeam: string;
}

const STAGE_WORDS = {
  acknowledge: 'acknowledgement',
  respond: 'answer',
  report_back: 'report-back',
} as const;

/**
 * What is due, in words: for a complaint, its stage's ("stage 2 answer"), and at a Children Act
 * review panel stage the panel until its date is recorded, then the council's response.
 */
function dueWords(item: OpenItem, alert: DueAlert): string {
  if (item.entity !== 'FEEDBACK' || !item.complaintStage) return STAGE_WORDS[alert.stage];
  const panelStage = item.complaintProcedure === 'childrens' && item.complaintStage === 3;
  const what =
    panelStage && alert.stage === 'respond'
      ? item.reviewPanelOn
        ? 'response to the review panel'
        : 'review panel'
      : STAGE_WORDS[alert.stage];
  return `stage ${item.complaintStage} ${what}`;
}

/** An event's id as people read references: `K7QM-92PD`. */
function referenceOf(item: OpenItem): string {
  if (item.entity === 'FEEDBACK') return item.reference;
  return item.id.length === 8 ? `${item.id.slice(0, 4)}-${item.id.slice(4)}` : item.id;
}

function ago(days: number): string {
  if (days === 0) return 'due by the end of the last working day';
  return `due ${days} working day${days === 1 ? '' : 's'} ago`;
}

/** SNS refuses subjects of 100 characters or more. */
export const MAX_SUBJECT = 99;

export function alertMessage(
  item: OpenItem,
  alert: DueAlert,
  project: AlertProject,
  officerAppUrl: string,
): AlertMessage {
  const reference = referenceOf(item);
  const kind = item.entity === 'FEEDBACK' ? item.kind : 'event';
  const entity = item.entity === 'FEEDBACK' ? 'feedback' : 'event';
  const link = `${officerAppUrl.replace(/\/+$/, '')}/${entity === 'feedback' ? 'feedback' : 'events'}/${item.id}`;
  const prefix = alert.escalation ? 'Escalation' : alert.type === 'reminder' ? 'Reminder' : 'Overdue';
  const what = item.entity === 'FEEDBACK' ? `${item.kind} ${reference}` : `event ${reference}`;
  const due = dueWords(item, alert);
  const complaint =
    item.entity === 'FEEDBACK' && item.complaintStage
      ? { procedure: item.complaintProcedure ?? 'corporate', stage: item.complaintStage }
      : undefined;
  const subject = `${prefix}: ${what}, ${due} ${ago(alert.workingDaysOverdue)}`.slice(0, MAX_SUBJECT);
  const document: AlertDocument = {
    alertId: alert.alertId,
    type: alert.type,
    escalation: alert.escalation,
    sequence: alert.sequence,
    stage: alert.stage,
    ...(complaint ? { complaintProcedure: complaint.procedure, complaintStage: complaint.stage } : {}),
    entity,
    id: item.id,
    reference,
    kind,
    projectId: project.id,
    projectTitle: project.title,
    team: project.alertTeam,
    ...(item.entity === 'FEEDBACK'
      ? { receivedOn: londonDateOf(new Date(item.receivedAt)) }
      : { heldOn: item.heldOn }),
    dueBy: alert.dueBy,
    workingDaysOverdue: alert.workingDaysOverdue,
    link,
  };
  const kindLine =
    alert.type === 'first'
      ? 'First alert'
      : `Reminder ${alert.sequence}${alert.escalation ? ' (escalation)' : ''}`;
  const email = [
    `${item.entity === 'FEEDBACK' ? `This ${item.kind}` : 'This co-production event'} is overdue: its ${due} was due by ${alert.dueBy}.`,
    '',
    `Reference:            ${reference}`,
    ...(item.entity === 'EVENT' ? [`Event:                ${item.title}`] : []),
    `Project:              ${project.title} (${project.id})`,
    `Kind:                 ${kind}`,
    `Stage:                ${STAGE_WORDS[alert.stage]}`,
    ...(complaint
      ? [
          `Complaint stage:      ${stageName(complaint.procedure, complaint.stage)} (${complaint.procedure === 'childrens' ? 'Children Act 1989 procedure' : 'corporate procedure'})`,
        ]
      : []),
    item.entity === 'FEEDBACK'
      ? `Received:             ${document.receivedOn}`
      : `Held on:              ${item.heldOn}`,
    `Due by:               ${alert.dueBy}`,
    `Working days overdue: ${alert.workingDaysOverdue}`,
    `Alert:                ${kindLine}`,
    `Escalation:           ${alert.escalation ? 'yes' : 'no'}`,
    '',
    `Open it: ${link}`,
    '',
    `Team: ${project.alertTeam}. Alert id: ${alert.alertId}.`,
    'This message holds no family details: read them in the officer app.',
  ].join('\n');
  return {
    subject,
    email,
    document,
    attributes: {
      team: project.alertTeam,
      projectId: project.id,
      kind,
      stage: alert.stage,
      escalation: alert.escalation ? 'true' : 'false',
      alertId: alert.alertId,
      ...(complaint ? { complaintStage: String(complaint.stage) } : {}),
    },
  };
}
