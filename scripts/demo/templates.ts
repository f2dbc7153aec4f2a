/**
 * The demo world's files are shipped with their instants written relative to "now", so the world
 * always looks current. A placeholder names an offset from the base instant (`now-2h13m`,
 * `now+3d5h`) and a form:
 *   {{iso:now-35m}}        2026-12-02T06:01:27.417Z           (Codex log lines)
 *   {{iso6:now+2h}}        2026-12-02T08:36:27.417000+00:00   (Claude's microsecond timestamps)
 *   "{{epoch:now+2h41m}}"  1796204187                          (a JSON number of seconds; the quotes go)
 *   "{{epoch-ms:now+7h}}"  1796218587417                       (a JSON number of milliseconds)
 * Keeping the number forms quoted lets every shipped file stay valid JSON.
 */

const OFFSET = /^now(?:([+-])(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?)?$/;
const UNIT_MS = [86_400_000, 3_600_000, 60_000, 1000];

/** `now-2h13m` → base minus 2 h 13 min. */
function instantOf(offset: string, base: number): number {
  const match = OFFSET.exec(offset.trim());
  if (!match || (match[1] && match.slice(2).every((part) => part === undefined))) {
    throw new Error(`bad time offset "${offset}" in a demo template`);
  }
  const magnitude = match
    .slice(2)
    .reduce((sum, part, index) => sum + (part === undefined ? 0 : Number(part) * UNIT_MS[index]), 0);
  return match[1] === "-" ? base - magnitude : base + magnitude;
}

function iso6(instant: number): string {
  return new Date(instant).toISOString().replace(/Z$/, "000+00:00");
}

/** The template with every placeholder replaced; throws on one it does not know. */
export function renderTemplate(text: string, base: number): string {
  const rendered = text
    .replace(/"\{\{epoch:([^}]+)\}\}"/g, (_all, offset: string) => String(Math.floor(instantOf(offset, base) / 1000)))
    .replace(/"\{\{epoch-ms:([^}]+)\}\}"/g, (_all, offset: string) => String(instantOf(offset, base)))
    .replace(/\{\{iso:([^}]+)\}\}/g, (_all, offset: string) => new Date(instantOf(offset, base)).toISOString())
    .replace(/\{\{iso6:([^}]+)\}\}/g, (_all, offset: string) => iso6(instantOf(offset, base)));
  const unknown = /\{\{[^}]*\}\}/.exec(rendered);
  if (unknown) throw new Error(`unknown placeholder ${unknown[0]} in a demo template`);
  return rendered;
}
