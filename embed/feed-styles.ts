/** The feed's default look: GOV.UK summary, tag and details patterns, themable through --yswd-* properties. */
export const FEED_CSS = `
:where(.yswd-feed__list) { list-style: none; margin: 0 0 var(--yswd-space); padding: 0; }
:where(.yswd-feed__item) { border-top: 1px solid var(--yswd-border); padding-top: 15px; margin-bottom: calc(var(--yswd-space) * 1.5); }
:where(.yswd-update__title) { font-size: 1.5rem; margin: 0 0 10px; }
:where(.yswd-update__heading) { font-size: 1.1875rem; margin: 15px 0 5px; }
:where(.yswd-update__meta) { margin: 0 0 10px; display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
:where(.yswd-update__project) { color: var(--yswd-secondary-text); }
:where(.yswd-tag) { display: inline-block; padding: 2px 8px 3px; font-weight: 400; max-width: 100%; color: #0c2d4a; background: #bbd4ea; }
:where(.yswd-tag--done) { color: #005a30; background: #cce2d8; }
:where(.yswd-tag--in-progress) { color: #0c2d4a; background: #bbd4ea; }
:where(.yswd-tag--planned) { color: #3d2375; background: #dbd5e9; }
:where(.yswd-tag--not-possible) { color: #2a0b06; background: #f4cdc6; }
:where(.yswd-details) { margin: 0 0 var(--yswd-space); }
:where(.yswd-details__summary) { display: inline-block; cursor: pointer; color: var(--yswd-link); text-decoration: underline; padding-left: 25px; position: relative; }
:where(.yswd-details__summary)::-webkit-details-marker { display: none; }
:where(.yswd-details__summary)::before { content: ""; position: absolute; left: 0; top: .3em; border-style: solid; border-width: 7px 0 7px 12px; border-color: transparent; border-left-color: currentColor; }
:where(.yswd-details[open] > .yswd-details__summary)::before { border-width: 12px 7px 0 7px; border-color: currentColor transparent transparent; }
:where(.yswd-details__summary):focus-visible { background: var(--yswd-focus); color: var(--yswd-focus-text); text-decoration: none; outline: 3px solid transparent; box-shadow: 0 -2px var(--yswd-focus), 0 4px var(--yswd-focus-text); }
:where(.yswd-details__text) { padding: 15px 15px 15px 20px; border-left: 5px solid var(--yswd-border); margin-top: 10px; white-space: pre-line; }
:where(.yswd-feed__error) { font-weight: 700; border-left: 5px solid var(--yswd-error); padding-left: 15px; }
:where(.yswd-update__title):focus { outline: 3px solid var(--yswd-focus); outline-offset: 2px; }
`;
