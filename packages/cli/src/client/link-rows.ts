import { parseCsv } from './csv.js';

/** One link as the api's create takes it. */
export interface LinkInput {
  url: string;
  slug?: string;
  utm?: Record<string, string>;
  tags?: string[];
  expires_at?: string;
  max_human_clicks?: number;
  redirect_status?: number;
}

export interface ReadRow {
  /** The line in the file (1-based, the header is line 1). */
  line: number;
  link?: LinkInput;
  error?: string;
}

/**
 * Header names, compared without case, spaces, "_" or "-". linktrack's own
 * columns, and those of Bitly's export (long_url, link / Bitlink, custom
 * back-half, tags) and Shlink's (Long URL, Short code, Tags).
 */
const COLUMNS: Record<string, keyof LinkInput | `utm.${string}` | 'short_url'> = {
  url: 'url',
  longurl: 'url',
  originalurl: 'url',
  destination: 'url',
  slug: 'slug',
  shortcode: 'slug',
  custombackhalf: 'slug',
  backhalf: 'slug',
  keyword: 'slug',
  shorturl: 'short_url',
  shortlink: 'short_url',
  bitlink: 'short_url',
  link: 'short_url',
  tags: 'tags',
  expiresat: 'expires_at',
  maxhumanclicks: 'max_human_clicks',
  redirectstatus: 'redirect_status',
  utmsource: 'utm.source',
  utmmedium: 'utm.medium',
  utmcampaign: 'utm.campaign',
  utmterm: 'utm.term',
  utmcontent: 'utm.content',
};

const norm = (h: string) => h.toLowerCase().replace(/[\s_-]+/g, '');

/** Reads a CSV of links; a row that cannot become a link says why, with its line. */
export function readLinkRows(text: string): { rows: ReadRow[]; columns: string[] } {
  const [header, ...data] = parseCsv(text);
  if (!header) throw new Error('the file is empty');
  const mapped = header.map((h) => COLUMNS[norm(h)] ?? null);
  if (!mapped.includes('url')) {
    throw new Error(
      `no URL column: expected one of url, long_url, "Long URL", destination (found ${header.join(', ')})`,
    );
  }
  const rows = data.map((fields, i): ReadRow => {
    const line = i + 2;
    const link: LinkInput = { url: '' };
    let shortUrl = '';
    try {
      mapped.forEach((column, c) => {
        const value = (fields[c] ?? '').trim();
        if (!column || value === '') return;
        if (column === 'short_url') shortUrl = value;
        else if (column.startsWith('utm.')) link.utm = { ...link.utm, [column.slice(4)]: value };
        else if (column === 'tags')
          link.tags = [
            ...new Set(
              value
                .split(/[,;|]/)
                .map((t) => t.trim())
                .filter(Boolean),
            ),
          ];
        else if (column === 'max_human_clicks' || column === 'redirect_status') {
          const n = Number(value);
          if (!Number.isInteger(n)) throw new Error(`${column}: "${value}" is not a whole number`);
          link[column] = n;
        } else (link as unknown as Record<string, string>)[column] = value;
      });
    } catch (err) {
      return { line, error: (err as Error).message };
    }
    // An export's short link names the slug when no slug column does: bit.ly/abc → abc.
    if (!link.slug && shortUrl) {
      const last = shortUrl
        .replace(/[?#].*$/, '')
        .replace(/\/+$/, '')
        .split('/')
        .pop();
      if (last) link.slug = last;
    }
    if (!link.url) return { line, error: 'url: is empty' };
    return { line, link };
  });
  return { rows, columns: header };
}
