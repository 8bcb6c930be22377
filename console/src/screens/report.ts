import { download } from '../api';
import { type Context, onSubmit, type Screen, text } from '../app';
import { h } from '../dom';
import { button, heading, paragraph, radios, textInput } from '../govuk';

const YEAR = new Intl.DateTimeFormat('en-GB', { year: 'numeric', timeZone: 'Europe/London' });

/** The annual report: fetched with the Authorization header and saved from a Blob, so no token in a link. */
export async function reportScreen(context: Context): Promise<Screen> {
  const form = h(
    'form',
    { novalidate: true },
    textInput({
      name: 'year',
      label: 'Year',
      hint: 'A calendar year, for example 2026',
      width: '4',
      inputmode: 'numeric',
      value: YEAR.format(new Date()),
    }),
    radios({
      name: 'format',
      label: 'Format',
      value: 'csv',
      items: [
        { value: 'csv', text: 'CSV (for a spreadsheet)' },
        { value: 'json', text: 'JSON' },
      ],
    }),
    button('Download report'),
  );
  onSubmit(context, form, undefined, 'the report', async (data) => {
    const year = text(data, 'year');
    const format = text(data, 'format') || 'csv';
    const blob = await download('/officer/reports/annual', { year, format });
    const name = `you-said-we-did-${year}.${format}`;
    const url = URL.createObjectURL(blob);
    const anchor = h('a', { href: url, download: name, hidden: true });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    context.announce(`Downloaded ${name}`);
    return { flash: `Downloaded ${name}` };
  });
  return {
    title: 'Annual report',
    content: [
      heading('Annual report'),
      paragraph(
        'What families said and what the council did, for a year, identifying no one (SEND Regulations 2014, regulation 56). Counts from 1 to 4 are shown as “fewer than 5”.',
      ),
      form,
    ],
  };
}
