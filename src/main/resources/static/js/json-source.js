// Where each value of a JSON text sits, by JSON Pointer, so that an error the server reports at
// "#/model/layers/2/units" can be shown at its place in the editor.

/**
 * Parses `text` and returns a Map from JSON Pointer ("" for the root, "/model/layers/2") to
 * {start, end} character offsets of the value (for a member, from its key). Throws a
 * SyntaxError carrying `offset` where the text is not JSON.
 */
export function locate(text) {
  const places = new Map();
  let i = 0;

  const fail = (message) => {
    const error = new SyntaxError(`${message} at line ${lineOf(text, i)}`);
    error.offset = i;
    throw error;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = () => {
    if (text[i] !== '"') fail('expected a string');
    let out = '';
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          out += {n: '\n', t: '\t', r: '\r', b: '\b', f: '\f'}[next] ?? next;
          i += 2;
        }
      } else {
        out += text[i++];
      }
    }
    if (text[i] !== '"') fail('unterminated string');
    i++;
    return out;
  };
  const value = (pointer, from) => {
    space();
    const start = from ?? i;
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          space();
          const keyStart = i;
          const key = string();
          space();
          if (text[i] !== ':') fail('expected ":"');
          i++;
          value(`${pointer}/${escape(key)}`, keyStart);
          space();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          fail('expected "," or "}"');
        }
      }
    } else if (c === '[') {
      i++;
      space();
      if (text[i] === ']') i++;
      else {
        for (let index = 0; ; index++) {
          value(`${pointer}/${index}`);
          space();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            break;
          }
          fail('expected "," or "]"');
        }
      }
    } else if (c === '"') {
      string();
    } else {
      const match = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
      if (!match) fail('unexpected character');
      i += match[0].length;
    }
    places.set(pointer, {start, end: i});
  };

  value('');
  space();
  if (i < text.length) fail('unexpected text after the JSON value');
  return places;
}

function escape(key) {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The 1-based line of an offset. */
export function lineOf(text, offset) {
  let line = 1;
  for (let k = 0; k < offset && k < text.length; k++) if (text[k] === '\n') line++;
  return line;
}

/**
 * The place of a pointer the server reported ("#/a/0/b" or "/a/0/b"), or of its nearest
 * ancestor that the text has (a missing member is reported where it should be added).
 */
export function placeOf(places, pointer) {
  let p = String(pointer || '').replace(/^#/, '');
  for (;;) {
    if (places.has(p)) return places.get(p);
    if (p === '') return null;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
