/**
 * A minimal INI writer for grafana.ini (Grafana reads it with go-ini). Pure.
 * Values that go-ini would cut at an inline comment (`#`, `;`) or unquote
 * (a leading quote) are wrapped in triple quotes, which go-ini strips.
 */

export type IniValue = string | number | boolean;
/** Section name -> key -> value, in insertion order. The "" section holds top-level keys. */
export type IniDocument = ReadonlyArray<readonly [section: string, entries: ReadonlyArray<readonly [key: string, value: IniValue]>]>;

export function iniValue(value: IniValue): string {
  const text = String(value);
  if (text.includes('"""')) throw new Error(`INI value cannot contain triple quotes: ${text}`);
  if (/[\r\n]/.test(text)) throw new Error(`INI value must be one line: ${JSON.stringify(text)}`);
  return /[#;]/.test(text) || /^["'`]/.test(text) ? `"""${text}"""` : text;
}

export function renderIni(doc: IniDocument, header = ""): string {
  const lines: string[] = header ? header.split("\n").map((l) => `# ${l}`.trimEnd()) : [];
  for (const [section, entries] of doc) {
    if (lines.length > 0) lines.push("");
    if (section) lines.push(`[${section}]`);
    for (const [key, value] of entries) lines.push(`${key} = ${iniValue(value)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Parses what renderIni writes (and simple hand-written INI): section -> key -> value, triple quotes stripped. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = { "": {} };
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = section[1];
      result[current] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) throw new Error(`not an INI line: ${line}`);
    let value = line.slice(eq + 1).trim();
    if (value.startsWith('"""') && value.endsWith('"""') && value.length >= 6) value = value.slice(3, -3);
    result[current][line.slice(0, eq).trim()] = value;
  }
  return result;
}
