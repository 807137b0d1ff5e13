// The CSV that the classify command and the page write (path, labels...,
// decision, in_domain, note, error), and a reader for it: fields with
// commas, quotes or line breaks are quoted, quotes doubled.
export function csvField(value) {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Rows of fields; a line break inside a quoted field is not expected (errors are one line).
export function csvRows(text) {
  return text.trim().split('\n').map((line) => {
    const fields = [];
    let field = '', quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) { fields.push(field); field = ''; }
      else field += c;
    }
    fields.push(field);
    return fields;
  });
}
