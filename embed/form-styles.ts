/** The form's default look: GOV.UK Design System form patterns, themable through --yswd-* properties. */
export const FORM_CSS = `
:where(.yswd-form-group) { margin: 0 0 calc(var(--yswd-space) * 1.5); }
:where(.yswd-form-group .yswd-form-group:last-of-type) { margin-bottom: 0; }
:where(.yswd-form-group--error) { padding-left: 15px; border-left: 5px solid var(--yswd-error); }
:where(.yswd-fieldset) { margin: 0; padding: 0; border: 0; min-width: 0; }
:where(.yswd-fieldset__legend) { font-weight: 700; font-size: 1.5rem; margin: 0 0 15px; padding: 0; max-width: 100%; white-space: normal; }
:where(.yswd-label) { display: block; margin: 0 0 5px; }
:where(.yswd-label--bold) { font-weight: 700; font-size: 1.5rem; margin-bottom: 15px; }
:where(.yswd-error-message) { display: block; color: var(--yswd-error); font-weight: 700; margin: 0 0 15px; }
:where(.yswd-input, .yswd-textarea, .yswd-select) {
  font: inherit; color: var(--yswd-text); background: var(--yswd-background); width: 100%; max-width: 100%;
  border: 2px solid var(--yswd-input-border); border-radius: 0; padding: 5px; min-height: 40px;
}
:where(.yswd-textarea) { display: block; resize: vertical; margin-bottom: 5px; }
:where(.yswd-select) { width: auto; max-width: 100%; }
:where(.yswd-input, .yswd-textarea, .yswd-select):focus-visible { outline: 3px solid var(--yswd-focus); outline-offset: 0; box-shadow: inset 0 0 0 2px; }
:where(.yswd-form-group--error) :where(.yswd-input, .yswd-textarea, .yswd-select), :where(.yswd-textarea--error) { border-color: var(--yswd-error); }
:where(.yswd-radios__item, .yswd-checkboxes__item) { display: flex; flex-wrap: wrap; position: relative; margin: 0 0 10px; min-height: 40px; }
:where(.yswd-radios__input, .yswd-checkboxes__input) { width: 40px; height: 40px; margin: 0; flex: 0 0 40px; accent-color: var(--yswd-text); cursor: pointer; }
:where(.yswd-radios__input, .yswd-checkboxes__input):focus-visible { outline: 3px solid var(--yswd-focus); outline-offset: 1px; box-shadow: 0 0 0 5px var(--yswd-focus-text); }
:where(.yswd-radios__label, .yswd-checkboxes__label) { flex: 1 1 0; min-width: 0; margin: 0; padding: 8px 15px 5px; cursor: pointer; touch-action: manipulation; }
:where(.yswd-radios__hint, .yswd-checkboxes__hint) { flex: 0 0 100%; padding-left: 55px; margin-bottom: 0; }
:where(.yswd-emoji) { margin-right: .4em; }
:where(.yswd-character-count__message) { margin-top: 0; }
:where(.yswd-honeypot) { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
:where(.yswd-error-summary) { color: var(--yswd-text); padding: 15px; margin: 0 0 calc(var(--yswd-space) * 1.5); border: 5px solid var(--yswd-error); }
:where(.yswd-error-summary):focus { outline: 3px solid var(--yswd-focus); outline-offset: 0; }
:where(.yswd-error-summary__title) { margin: 0 0 15px; font-size: 1.5rem; }
:where(.yswd-error-summary__list) { margin: 0; padding: 0; list-style: none; }
:where(.yswd-error-summary__list li) { margin-bottom: 5px; }
/* Class-level specificity on purpose: a site's plain \`a\` colour must not turn these links blue. */
.yswd-error-summary__list a, .yswd-error-summary__list a:visited { font-weight: 700; color: var(--yswd-error); }
:where(.yswd-panel) { color: #ffffff; background: var(--yswd-success); text-align: center; padding: 25px; margin: 0 0 var(--yswd-space); border: 5px solid transparent; overflow-wrap: break-word; }
:where(.yswd-panel):focus { outline: 3px solid var(--yswd-focus); outline-offset: 0; }
:where(.yswd-panel__title) { margin: 0 0 20px; font-size: 2rem; }
:where(.yswd-panel__body) { font-size: 1.5rem; }
:where(.yswd-reference) { display: inline-block; font-size: 1.75rem; letter-spacing: .05em; }
`;
