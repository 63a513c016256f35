// The one module that talks to Trainyard's API: the key from sessionStorage in X-API-Key,
// problem details turned into ApiError, Server-Sent Events read from a streaming fetch
// (EventSource cannot send the key header), uploads with progress.

const KEY = 'trainyard.apiKey';
const BASE = '/api/v1';

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function setApiKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function clearApiKey() {
  sessionStorage.removeItem(KEY);
}

/** An answer other than 2xx, carrying the server's problem details (RFC 9457). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(describeProblem(problem, status));
    this.status = status;
    this.problem = problem;
  }
}

/** One readable sentence from a problem: title, detail and each field error at its pointer. */
export function describeProblem(problem, status) {
  if (!problem || typeof problem !== 'object') {
    return `The server answered ${status}.`;
  }
  const parts = [];
  const title = problem.title || `Error ${status}`;
  parts.push(problem.detail ? `${title}: ${problem.detail}` : title);
  if (problem.pointer) {
    parts.push(`at ${problem.pointer}`);
  }
  for (const error of problem.errors || []) {
    parts.push(`${error.pointer || '#'}: ${error.detail}`);
  }
  return parts.join(' — ');
}

/** The field errors of a problem as [{pointer, detail}], including a single top-level pointer. */
export function problemErrors(problem) {
  if (!problem) return [];
  const errors = [...(problem.errors || [])];
  if (problem.pointer && errors.length === 0) {
    errors.push({pointer: problem.pointer, detail: problem.detail || problem.title});
  }
  return errors;
}

function url(path, query) {
  const u = new URL(BASE + path, location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') {
      u.searchParams.set(name, value);
    }
  }
  return u.pathname + u.search;
}

function headers(extra, keyOverride) {
  const h = {Accept: 'application/json, application/problem+json', ...extra};
  const key = keyOverride ?? apiKey();
  if (key) h['X-API-Key'] = key;
  return h;
}

async function failure(response, quiet) {
  let problem = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }
  }
  if (response.status === 401 && !quiet) {
    window.dispatchEvent(new CustomEvent('trainyard:unauthorized', {detail: problem}));
  }
  return new ApiError(response.status, problem);
}

// options.key: a key to try instead of the stored one (signing in); its 401 signs nobody out
async function request(method, path, {query, body, signal, accept, key} = {}) {
  const init = {method, headers: headers({}, key), signal};
  if (accept) init.headers.Accept = accept;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url(path, query), init);
  if (!response.ok) throw await failure(response, key !== undefined);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const api = {
  get: (path, query, options = {}) => request('GET', path, {...options, query}),
  post: (path, body, options = {}) => request('POST', path, {...options, body}),
  put: (path, body, options = {}) => request('PUT', path, {...options, body}),
  delete: (path, options = {}) => request('DELETE', path, options),

  /** The raw response (for headers such as X-Downsampled, or binary downloads). */
  async fetch(path, query, options = {}) {
    const response = await fetch(url(path, query), {headers: headers(options.headers), signal: options.signal});
    if (!response.ok) throw await failure(response);
    return response;
  },

  /** Downloads a binary answer (model exports) as a file named by the server. */
  async download(path, query, fallbackName) {
    const response = await this.fetch(path, query, {headers: {Accept: '*/*'}});
    const disposition = response.headers.get('Content-Disposition') || '';
    const match = /filename="?([^";]+)"?/.exec(disposition);
    const blob = await response.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = match ? match[1] : fallbackName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  },

  /**
   * A multipart upload with progress (fetch cannot report upload progress, XMLHttpRequest
   * can). Resolves with the parsed answer, rejects with ApiError.
   */
  upload(path, formData, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url(path));
      const key = apiKey();
      if (key) xhr.setRequestHeader('X-API-Key', key);
      xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
      };
      xhr.onerror = () => reject(new ApiError(0, {title: 'Network error', detail: 'the upload did not reach the server'}));
      xhr.onload = () => {
        let payload = null;
        try {
          payload = JSON.parse(xhr.responseText);
        } catch {
          payload = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(payload);
        } else {
          if (xhr.status === 401) window.dispatchEvent(new CustomEvent('trainyard:unauthorized', {detail: payload}));
          reject(new ApiError(xhr.status, payload));
        }
      };
      xhr.send(formData);
    });
  },

  /**
   * Reads a Server-Sent Events stream with fetch, calling onEvent({type, id, data}) with
   * data parsed as JSON. Reconnects with Last-Event-ID after a dropped connection until
   * the signal aborts or the server ends the stream after a `completed` event.
   */
  async stream(path, onEvent, signal) {
    let lastId = null;
    let done = false;
    let failures = 0;
    while (!done && !signal.aborted) {
      try {
        const h = headers({Accept: 'text/event-stream'});
        if (lastId !== null) h['Last-Event-ID'] = lastId;
        const response = await fetch(url(path), {headers: h, signal});
        if (!response.ok) throw await failure(response);
        failures = 0;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const {value, done: ended} = await reader.read();
          if (ended) break;
          buffer += value.replace(/\r\n?/g, '\n');
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = parseEvent(block);
            if (!event) continue;
            if (event.id !== null) lastId = event.id;
            onEvent(event);
            if (event.type === 'completed') done = true;
          }
        }
        if (!done) await pause(1000, signal);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) throw error;
        failures++;
        await pause(Math.min(10_000, 500 * 2 ** failures), signal);
      }
    }
  },
};

function parseEvent(block) {
  let type = 'message';
  let id = null;
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (data.length === 0) return null;
  const text = data.join('\n');
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return {type, id, data: parsed};
}

function pause(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, {once: true});
  });
}
