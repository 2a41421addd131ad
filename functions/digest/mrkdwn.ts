/**
 * Slack mrkdwn helpers. Values from the lake (names of people, skills, servers, models) must
 * neither format, nor link, nor mention, wherever they stand: in plain text, inside `*bold*`
 * and inside `code` spans. Slack's formatting reference asks for `&`, `<`, `>` as entities and
 * offers no escape for the formatting characters, so those are replaced by look-alikes that
 * Slack does not read as markup:
 *
 *   escapeMrkdwn('a<b>&c')    -> 'a&lt;b&gt;&amp;c'
 *   escapeMrkdwn('*x* _y_')   -> '∗x∗ ˍyˍ'      (so `*${name}*` stays one bold name)
 *   escapeMrkdwn('ana_lopez') -> 'ana_lopez'    (an underscore inside a word never formats)
 *   codeCell('a`b')           -> "a'b"          (a backtick would end the code span)
 */
const FORMATTING: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ asterisk operator
  '~': '\u223c', // ∼ tilde operator
  '`': '\u02cb', // ˋ modifier letter grave accent
  _: '\u02cd', // ˍ modifier letter low macron
};

const entities = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A value for running text or a bold span: entities, no formatting characters, one line. */
export function escapeMrkdwn(text: string): string {
  return entities(text)
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[*~`]/g, (c) => FORMATTING[c]!)
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, FORMATTING._!);
}

/** A value for a monospace cell: entities, no backticks, no line breaks. */
export function codeCell(text: string): string {
  return entities(text)
    .replaceAll('`', "'")
    .replace(/[\r\n\t]+/g, ' ');
}

/** Text written elsewhere (insights): special mentions neutralized so a digest never pings a channel. */
export function neutralizeMentions(text: string): string {
  return text.replace(/<!(channel|here|everyone|subteam\^[^>]*)(\|[^>]*)?>/g, '@$1');
}
