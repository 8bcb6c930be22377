/** The scorecard's default look: GOV.UK table and summary patterns, themable through --yswd-* properties. */
export const SCORECARD_CSS = `
:where(you-said-we-did-scorecard, yswd-scorecard) { max-width: 60em; }
:where(.yswd-scorecard__heading) { font-size: 1.5rem; margin: 0 0 15px; }
:where(.yswd-scorecard__summary) { margin: 0 0 var(--yswd-space); }
:where(.yswd-scorecard__summary li) { margin-bottom: 5px; }
/* position: relative makes the region the containing block of the visually hidden words in its cells, which would otherwise widen the page. */
:where(.yswd-scorecard__scroll) { position: relative; overflow-x: auto; margin: 0 0 var(--yswd-space); container-type: inline-size; }
/* The caption stays in view and wraps to the region's width while a wide table scrolls under it. */
:where(.yswd-table__caption-text) { display: inline-block; position: sticky; left: 0; max-width: 100cqw; }
:where(.yswd-scorecard__scroll):focus-visible { outline: 3px solid var(--yswd-focus); outline-offset: 2px; }
:where(.yswd-table) { border-collapse: collapse; border-spacing: 0; width: 100%; font-size: 1rem; }
:where(.yswd-table caption) { text-align: left; font-weight: 700; font-size: 1.1875rem; margin-bottom: 10px; }
:where(.yswd-table th, .yswd-table td) { padding: 10px 20px 10px 0; border-bottom: 1px solid var(--yswd-border); text-align: left; vertical-align: top; }
:where(.yswd-table thead th) { font-weight: 700; vertical-align: bottom; }
:where(.yswd-table tbody th) { font-weight: 400; }
:where(.yswd-table .yswd-table__number) { text-align: right; }
:where(.yswd-table td.yswd-table__number) { white-space: nowrap; }
:where(.yswd-table th:last-child, .yswd-table td:last-child) { padding-right: 0; }
:where(.yswd-scorecard__error) { font-weight: 700; border-left: 5px solid var(--yswd-error); padding-left: 15px; }
:where(.yswd-scorecard__note) { color: var(--yswd-secondary-text); font-size: 1rem; }
`;
