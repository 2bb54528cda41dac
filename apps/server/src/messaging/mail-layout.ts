/**
 * The one layout every mail uses: an HTML part built the way mail clients render reliably
 * (nested tables, inline styles, no external CSS, images or scripts, a 600 px column that
 * shrinks on phones) and a plain-text part that says the same. Templates describe a message
 * as blocks; this module alone knows how blocks look.
 */

/** Who is speaking and where they live: PRODUCT_NAME and PUBLIC_URL. */
export interface MailBrand {
  readonly productName: string;
  readonly publicUrl: string;
}

export const DEFAULT_BRAND: MailBrand = { productName: 'userhub', publicUrl: 'http://127.0.0.1:3000' };

export type MailBlock =
  | { readonly kind: 'paragraph'; readonly text: string }
  /** A one-time code, set large and spaced so it is easy to read and copy. */
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'button'; readonly label: string; readonly href: string }
  /** Small print below a rule: why the mail came, what to do if it was not you. */
  | { readonly kind: 'note'; readonly text: string };

export interface RenderedMail {
  readonly html: string;
  readonly text: string;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "1 December 2026, 10:30 UTC": unambiguous in every locale, and the same for every reader. */
export function formatDateForPeople(at: Date): string {
  const hours = String(at.getUTCHours()).padStart(2, '0');
  const minutes = String(at.getUTCMinutes()).padStart(2, '0');
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}, ${hours}:${minutes} UTC`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const INK = '#1f2933';
const MUTED = '#52606d';
const ACCENT = '#3451b2';

function blockHtml(block: MailBlock): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px 0;font-family:${FONT};font-size:16px;line-height:24px;color:${INK};">${escapeHtml(block.text)}</p>`;
    case 'code':
      return (
        `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px 0;"><tr>` +
        `<td style="background-color:#f0f4f8;border:1px solid #d9e2ec;border-radius:6px;padding:14px 24px;` +
        `font-family:'SFMono-Regular',Consolas,'Liberation Mono',Menlo,monospace;font-size:30px;line-height:36px;` +
        `font-weight:bold;letter-spacing:6px;color:${INK};">${escapeHtml(block.code)}</td></tr></table>`
      );
    case 'button':
      return (
        `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px 0;"><tr>` +
        `<td style="background-color:${ACCENT};border-radius:6px;">` +
        `<a href="${escapeHtml(block.href)}" style="display:inline-block;padding:12px 24px;font-family:${FONT};` +
        `font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;">${escapeHtml(block.label)}</a>` +
        `</td></tr></table>`
      );
    case 'note':
      return `<p style="margin:0 0 12px 0;font-family:${FONT};font-size:13px;line-height:20px;color:${MUTED};">${escapeHtml(block.text)}</p>`;
  }
}

function blockText(block: MailBlock): string {
  switch (block.kind) {
    case 'paragraph':
    case 'note':
      return block.text;
    case 'code':
      return `    ${block.code}`;
    case 'button':
      return `${block.label}: ${block.href}`;
  }
}

export function renderMail({
  brand,
  title,
  preheader,
  blocks,
}: {
  brand: MailBrand;
  /** The subject; also the document title. */
  title: string;
  /** The line inbox lists show beside the subject. */
  preheader: string;
  blocks: readonly MailBlock[];
}): RenderedMail {
  const main = blocks.filter((block) => block.kind !== 'note');
  const notes = blocks.filter((block) => block.kind === 'note');
  const footer = `You receive this email because of your ${brand.productName} account at ${brand.publicUrl}.`;

  const text = `${[...main.map(blockText), ...(notes.length > 0 ? ['--', ...notes.map(blockText)] : []), footer].join('\n\n')}\n`;

  const product = escapeHtml(brand.productName);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(title)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f5f7fa;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${escapeHtml(preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f5f7fa;">
<tr><td align="center" style="padding:32px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border:1px solid #e4e7eb;border-radius:8px;">
<tr><td style="padding:24px 32px;border-bottom:1px solid #e4e7eb;font-family:${FONT};font-size:20px;font-weight:bold;color:${ACCENT};">
<a href="${escapeHtml(brand.publicUrl)}" style="color:${ACCENT};text-decoration:none;">${product}</a>
</td></tr>
<tr><td style="padding:32px 32px 16px 32px;">
<h1 style="margin:0 0 20px 0;font-family:${FONT};font-size:22px;line-height:30px;color:${INK};">${escapeHtml(title)}</h1>
${main.map(blockHtml).join('\n')}
</td></tr>
${
  notes.length === 0
    ? ''
    : `<tr><td style="padding:16px 32px 8px 32px;border-top:1px solid #e4e7eb;">\n${notes.map(blockHtml).join('\n')}\n</td></tr>\n`
}<tr><td style="padding:16px 32px 24px 32px;font-family:${FONT};font-size:12px;line-height:18px;color:#7b8794;">
${escapeHtml(footer)}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  return { html, text };
}
