/**
 * What the officer has typed, kept in this page's memory (never in storage: an officer's reply
 * may quote the family). A form bound to a key gets its fields back whenever it is drawn again:
 * after "Reload" on a 412, after signing in again when the session ended, after an error. A
 * successful send clears it. A reload of the browser tab loses it, as it loses the token.
 */
type Values = Record<string, string[]>;
const saved = new Map<string, Values>();

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
const controlsOf = (form: HTMLFormElement) =>
  [...form.elements].filter(
    (element): element is Control =>
      (element instanceof HTMLInputElement ||
        element instanceof HTMLTextAreaElement ||
        element instanceof HTMLSelectElement) &&
      element.name !== '' &&
      element.type !== 'hidden',
  );

function valuesOf(form: HTMLFormElement): Values {
  const values: Values = {};
  for (const control of controlsOf(form)) {
    values[control.name] ??= [];
    const list = values[control.name] as string[];
    if (control instanceof HTMLInputElement && (control.type === 'radio' || control.type === 'checkbox')) {
      if (control.checked) list.push(control.value);
    } else list.push(control.value);
  }
  return values;
}

function restore(form: HTMLFormElement, values: Values): void {
  for (const control of controlsOf(form)) {
    const value = values[control.name];
    if (!value) continue;
    if (control instanceof HTMLInputElement && (control.type === 'radio' || control.type === 'checkbox')) {
      control.checked = value.includes(control.value);
    } else control.value = value[0] ?? '';
  }
}

/** Puts back what was typed into this form before, and keeps what is typed from now on. */
export function keepDrafts(form: HTMLFormElement, key: string): void {
  const values = saved.get(key);
  if (values) restore(form, values);
  const save = () => saved.set(key, valuesOf(form));
  form.addEventListener('input', save);
  form.addEventListener('change', save);
}

export function clearDraft(key: string): void {
  saved.delete(key);
}

export const hasDraft = (key: string) => saved.has(key);
