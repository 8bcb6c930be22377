import type { Timeframe } from './project';

/**
 * The complaint procedures a council follows, as data: one table per procedure, each stage's
 * timescales in working days (England and Wales bank holidays excluded, shared/domain/working-days.ts),
 * with the source of each number. The rules that move a complaint between stages are in
 * shared/domain/complaint-stages.ts; nothing here knows about storage or HTTP.
 *
 * Every deadline is counted from the stage's start (the day of receipt, or the day the family
 * asked for the stage), that day itself not counted, so a stage's dates are known the moment it
 * begins and never move unless an officer extends them (or, at the Children Act review panel,
 * records the panel's date). The Code's "within 10 working days of the acknowledgement" is written
 * here as acknowledge (5) + answer (10) = 15 from receipt, which is what `timeframes.complaint`
 * already meant before stages existed.
 */
export const COMPLAINT_PROCEDURES = ['corporate', 'childrens'] as const;
export type ComplaintProcedureName = (typeof COMPLAINT_PROCEDURES)[number];

/** Where the family goes when the council's last stage has not put things right. */
export interface OmbudsmanRoute {
  name: string;
  url: string;
  /** What the family is told about when they must go to the Ombudsman. */
  timeLimit: string;
}

/**
 * The Local Government and Social Care Ombudsman: the route after either procedure. Its time limit
 * is section 26B of the Local Government Act 1974: a complaint within 12 months of the day the
 * person first had notice of the matter (the Ombudsman may use discretion beyond it).
 */
export const LGSCO: OmbudsmanRoute = {
  name: 'Local Government and Social Care Ombudsman',
  url: 'https://www.lgo.org.uk',
  timeLimit:
    'Normally within 12 months of when you first knew about the problem. The Ombudsman usually expects the council’s complaints procedure to have finished first.',
};

/** One stage's timescales, in working days from the stage's start, as kept on each complaint. */
export interface StageTimescales {
  /** By when the family is told the stage has started and who is dealing with it. */
  acknowledgeWorkingDays: number;
  /** By when the family gets the stage's answer. At a review panel stage: by when the panel meets. */
  answerWorkingDays: number;
  /** The most an officer may add to the answer deadline, with a reason given to the family (0: none). */
  maxExtensionWorkingDays: number;
  /** Working days after this stage's answer within which the family may ask for the next; absent at the last stage. */
  askNextWithinWorkingDays?: number;
  /**
   * Children Act stage 3 (regulations 19 to 21): the panel meets within `answerWorkingDays` of the
   * request; its report follows within `reportWorkingDays` of the meeting, the council's response
   * within `responseWorkingDays` of the report. Recording the panel's date sets the response deadline.
   */
  reviewPanel?: { reportWorkingDays: number; responseWorkingDays: number };
}

/** What officers and families are told about a stage. */
export interface StageDefinition {
  name: string;
  /** Where each of the stage's numbers comes from. */
  sources: string[];
}

export interface ProcedureDefinition {
  name: ComplaintProcedureName;
  title: string;
  stages: StageDefinition[];
  ombudsman: OmbudsmanRoute;
}

const CODE = 'LGSCO Complaint Handling Code (2024), section 6';
const REGULATIONS =
  'The Children Act 1989 Representations Procedure (England) Regulations 2006 (SI 2006/1738)';

export const PROCEDURES: Record<ComplaintProcedureName, ProcedureDefinition> = {
  corporate: {
    name: 'corporate',
    title: 'The council’s corporate complaints procedure (two stages)',
    ombudsman: LGSCO,
    stages: [
      {
        name: 'Stage 1',
        sources: [
          `${CODE}: acknowledged within 5 working days of receipt (6.2), answered within 10 working days of the acknowledgement (6.3), so 15 from receipt; an extension of no more than 10 working days, with the reasons explained (6.4)`,
          'Acknowledge and answer days are the project’s timeframes.complaint (default 5 and 15)',
          'The family’s time to ask for stage 2 is the council’s own rule (the Code fixes none): default 20 working days, set per project',
        ],
      },
      {
        name: 'Stage 2',
        sources: [
          `${CODE}: acknowledged within 5 working days of the request to escalate, answered within 20 working days of the acknowledgement (so 25 from the request); an extension of no more than 20 working days, with the reasons explained`,
        ],
      },
    ],
  },
  childrens: {
    name: 'childrens',
    title: 'The Children Act 1989 representations procedure (three stages)',
    ombudsman: LGSCO,
    stages: [
      {
        name: 'Stage 1: local resolution',
        sources: [
          `${REGULATIONS}, regulation 14: considered within 10 working days of receipt, extendable to 20`,
          `${REGULATIONS}, regulation 15: the family may ask for stage 2 within 20 working days of the stage 1 answer`,
          'Acknowledgement: the Regulations set none; the project’s timeframes.complaint acknowledge days apply',
        ],
      },
      {
        name: 'Stage 2: investigation',
        sources: [
          `${REGULATIONS}, regulation 17: a response within 25 working days of the start, extendable to 65 (counted here from the family’s request)`,
          `${REGULATIONS}, regulation 18: the family may ask for a review panel within 20 working days of the stage 2 response`,
          'Getting the Best from Complaints (DfES, 2006): the statutory guidance on the procedure',
        ],
      },
      {
        name: 'Stage 3: review panel',
        sources: [
          `${REGULATIONS}, regulation 19: the panel meets within 30 working days of the request`,
          `${REGULATIONS}, regulation 20: the panel's report within 5 working days of the meeting`,
          `${REGULATIONS}, regulation 21: the council's response within 15 working days of receiving the report`,
        ],
      },
    ],
  },
};

/**
 * Where a council's corporate procedure differs from the Code's defaults (a project setting). Stage
 * 1's acknowledge and answer days are the project's `timeframes.complaint`, as before stages existed.
 * The Children Act timescales are statutory and have no settings.
 */
export interface CorporateComplaintSettings {
  /** Working days after the stage 1 answer within which the family may ask for stage 2 (default 20). */
  askForStage2WithinWorkingDays?: number;
  /** The most a stage 1 answer may be extended by (default 10, the Code's limit). */
  stage1MaxExtensionWorkingDays?: number;
  /** Working days from the family's request to the stage 2 acknowledgement (default 5). */
  stage2AcknowledgeWorkingDays?: number;
  /** Working days from the family's request to the stage 2 answer (default 25: 5 + the Code's 20). */
  stage2RespondWorkingDays?: number;
  /** The most a stage 2 answer may be extended by (default 20, the Code's limit). */
  stage2MaxExtensionWorkingDays?: number;
}

export const CORPORATE_DEFAULTS: Required<CorporateComplaintSettings> = {
  askForStage2WithinWorkingDays: 20,
  stage1MaxExtensionWorkingDays: 10,
  stage2AcknowledgeWorkingDays: 5,
  stage2RespondWorkingDays: 25,
  stage2MaxExtensionWorkingDays: 20,
};

/** The statutory Children Act numbers (regulations 14, 15, 17, 18, 19, 20, 21). */
export const CHILDRENS_TIMESCALES = {
  stage1: { answer: 10, extendTo: 20, askNextWithin: 20 },
  stage2: { answer: 25, extendTo: 65, askNextWithin: 20 },
  stage3: { panelWithin: 30, reportWithin: 5, responseWithin: 15 },
} as const;

/** What a project says about complaints: the stage 1 timeframe, its default procedure and corporate settings. */
export interface ComplaintSettings {
  timeframe: Timeframe;
  corporateComplaints?: CorporateComplaintSettings | undefined;
}

/**
 * The timescales of every stage of a procedure, with the project's settings applied: what a
 * complaint keeps from the day it starts (`complaintTimescales`), so later changes to the project
 * do not move its dates, as `timeframe` already works for every kind.
 */
export function timescalesFor(
  procedure: ComplaintProcedureName,
  settings: ComplaintSettings,
): StageTimescales[] {
  const acknowledge = settings.timeframe.acknowledgeWorkingDays;
  if (procedure === 'corporate') {
    const corporate = { ...CORPORATE_DEFAULTS, ...definedOnly(settings.corporateComplaints) };
    return [
      {
        acknowledgeWorkingDays: acknowledge,
        answerWorkingDays: settings.timeframe.respondWorkingDays,
        maxExtensionWorkingDays: corporate.stage1MaxExtensionWorkingDays,
        askNextWithinWorkingDays: corporate.askForStage2WithinWorkingDays,
      },
      {
        acknowledgeWorkingDays: Math.min(
          corporate.stage2AcknowledgeWorkingDays,
          corporate.stage2RespondWorkingDays,
        ),
        answerWorkingDays: corporate.stage2RespondWorkingDays,
        maxExtensionWorkingDays: corporate.stage2MaxExtensionWorkingDays,
      },
    ];
  }
  const { stage1, stage2, stage3 } = CHILDRENS_TIMESCALES;
  return [
    {
      acknowledgeWorkingDays: Math.min(acknowledge, stage1.answer),
      answerWorkingDays: stage1.answer,
      maxExtensionWorkingDays: stage1.extendTo - stage1.answer,
      askNextWithinWorkingDays: stage1.askNextWithin,
    },
    {
      acknowledgeWorkingDays: Math.min(acknowledge, stage2.answer),
      answerWorkingDays: stage2.answer,
      maxExtensionWorkingDays: stage2.extendTo - stage2.answer,
      askNextWithinWorkingDays: stage2.askNextWithin,
    },
    {
      acknowledgeWorkingDays: Math.min(acknowledge, stage3.panelWithin),
      answerWorkingDays: stage3.panelWithin,
      maxExtensionWorkingDays: 0,
      reviewPanel: { reportWorkingDays: stage3.reportWithin, responseWorkingDays: stage3.responseWithin },
    },
  ];
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The name a stage is known by ("Stage 2: investigation"). */
export function stageName(procedure: ComplaintProcedureName, stage: number): string {
  return PROCEDURES[procedure].stages[stage - 1]?.name ?? `Stage ${stage}`;
}

export const stageCount = (procedure: ComplaintProcedureName) => PROCEDURES[procedure].stages.length;
