import * as z from 'zod/mini';
import './zod-messages';
import { FEEDBACK_KINDS, PROJECT_ID_PATTERN } from './project';

/**
 * Fields public and officer requests share. Each request has its own module (and officers' shared
 * rules are in officer-fields.ts), so a function's bundle builds only the schemas its route uses.
 */

export const FeedbackKind = z.enum(FEEDBACK_KINDS, { error: 'Choose feedback, compliment or complaint' });

export const ProjectId = z
  .string('Give a project id')
  .check(
    z.regex(
      PROJECT_ID_PATTERN,
      'Use 1-63 lower-case letters, digits and hyphens, starting with a letter or digit',
    ),
  );
