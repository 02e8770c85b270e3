/** A small INI reader for grafana.ini: [section] headers, key = value, ; and # comments. */
export type Ini = Record<string, Record<string, string>>;

export function parseIni(text: string): Ini {
  const ini: Ini = { "": {} };
  let section = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1].trim().toLowerCase();
      ini[section] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    let value = line.slice(eq + 1).trim();
    if (/^".*"$/.test(value) || /^'.*'$/.test(value)) value = value.slice(1, -1);
    ini[section][line.slice(0, eq).trim().toLowerCase()] = value;
  }
  return ini;
}

export function iniValue(ini: Ini, section: string, key: string): string | undefined {
  return ini[section.toLowerCase()]?.[key.toLowerCase()];
}
