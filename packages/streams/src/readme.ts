import { isStream, type TopicContract } from './contract.js';
import { TOPIC_CONTRACTS } from './streams.js';

/** The README's Kafka topic table, rendered from the contracts; a test keeps the README equal to it. */
export function topicTable(
  prefix = 'linktrack.',
  topics: readonly TopicContract[] = TOPIC_CONTRACTS,
): string {
  const rows = topics.map((t) => {
    const stream = isStream(t) ? t : null;
    const record = stream ? `\`${stream.schema.name}\` ` : '';
    const compacted = t.compacted ? '; compacted, one partition' : '';
    const readers = t.readers.map((r) => (r.perInstance ? `\`${r.group}-*\`` : `\`${r.group}\``)).join(', ');
    const table = stream?.table ? `\`${stream.table.name}\`` : '—';
    return `| \`${prefix}${t.topic}\` | ${t.key} | ${record}${t.carries}${compacted} | ${readers} | ${table} |`;
  });
  return [
    '| topic | key | what it carries | consumer groups | table |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
