/**
 * Slack mrkdwn helpers. Values from the lake (names of people, skills, servers, models) are
 * escaped so that they can neither format nor link nor mention: `&`, `<`, `>` become entities,
 * as Slack's formatting reference asks; inside code blocks, backticks are replaced.
 *
 *   escapeMrkdwn('a<b>&c') -> 'a&lt;b&gt;&amp;c'
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A value for a monospace cell: escaped, no backticks, no line breaks. */
export function codeCell(text: string): string {
  return escapeMrkdwn(text)
    .replaceAll('`', "'")
    .replace(/[\r\n\t]+/g, ' ');
}

/** Text written elsewhere (insights): special mentions neutralized so a digest never pings a channel. */
export function neutralizeMentions(text: string): string {
  return text.replace(/<!(channel|here|everyone|subteam\^[^>]*)(\|[^>]*)?>/g, '@$1');
}
