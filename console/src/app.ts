import type { ConsoleConfig } from '../security-headers';
import { ConflictError, ProblemError, SessionEndedError } from './api';
import type { Session } from './auth';
import type { Child } from './dom';
import { clearDraft } from './drafts';
import { clearErrors, showErrors } from './govuk';
import { formErrorsOf } from './problems';
import type { Route } from './routes';

/** What a screen draws: its title (the page's <title>) and its content. */
export interface Screen {
  title: string;
  content: Child;
}

/** What every screen is given. */
export interface Context {
  config: ConsoleConfig;
  route: Route;
  session: Session;
  main: HTMLElement;
  /** Goes to a console address (history API), with a success message to show there. */
  navigate(path: string, flash?: string): void;
  /** Draws this screen again from fresh data, keeping what was typed. */
  reload(flash?: string): void;
  /** The page's session ended (401 or expiry): says so, and offers to sign in again. */
  sessionEnded(): void;
  /** 412: says someone else changed it first, with a Reload that keeps what was typed. */
  conflict(what: string): void;
  /** Polite announcement for screen readers (the aria-live region). */
  announce(message: string): void;
}

export type ScreenFunction = (context: Context) => Promise<Screen>;

/** The names of the fields a form shows (each group's `data-field`), for mapping API errors. */
export const fieldsOf = (form: HTMLFormElement) =>
  [...form.querySelectorAll<HTMLElement>('[data-field]')].map((element) => element.dataset.field ?? '');

/**
 * Runs what a form's submit asks for, once at a time: on success forgets the draft and goes
 * where the action says; a problem is shown on the form (summary and beside each field), a 412
 * as a conflict, a 401 as the end of the session (the draft is kept for after signing in again).
 */
export function onSubmit(
  context: Context,
  form: HTMLFormElement,
  draftKey: string | undefined,
  what: string,
  action: (data: FormData, submitter: HTMLElement | null) => Promise<{ go?: string; flash: string }>,
): void {
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const submitter = (event as SubmitEvent).submitter;
    const buttons = [...form.querySelectorAll<HTMLButtonElement>('button')];
    for (const button of buttons) button.setAttribute('aria-disabled', 'true');
    clearErrors(context.main);
    void action(new FormData(form), submitter)
      .then((result) => {
        if (draftKey) clearDraft(draftKey);
        if (result.go) context.navigate(result.go, result.flash);
        else context.reload(result.flash);
      })
      .catch((error: unknown) => {
        if (error instanceof SessionEndedError) return context.sessionEnded();
        if (error instanceof ConflictError) return context.conflict(what);
        const problem =
          error instanceof ProblemError
            ? error.problem
            : { detail: 'Something went wrong. Try again; if it keeps happening, tell the service desk.' };
        showErrors(context.main, form, formErrorsOf(problem, fieldsOf(form)));
      })
      .finally(() => {
        busy = false;
        for (const button of buttons) button.removeAttribute('aria-disabled');
      });
  });
}

/** A form value as a trimmed string. */
export const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** A whole number as typed, or the text itself for the API to refuse with its own message. */
export function count(data: FormData, name: string): number | string {
  const value = text(data, name);
  return /^\d{1,9}$/.test(value) ? Number(value) : value;
}
