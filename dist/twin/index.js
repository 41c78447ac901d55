import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 290:
/***/ ((__webpack_module__, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(919);
/* harmony import */ var _twin_worker_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(568);
/** Entry of the twin's worker bundle (dist/twin/index.js, started by parallel.ts). */


await (0,_twin_worker_js__WEBPACK_IMPORTED_MODULE_1__/* .runTwinWorker */ .M)(node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.workerData);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 568:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  M: () => (/* binding */ runTwinWorker)
});

// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __nccwpck_require__(919);
;// CONCATENATED MODULE: ./build/src/sql/complete.js
/**
 * sqlite3_complete() (SQLite's complete.c) as one forward pass over UTF-8 bytes: where the statement that
 * starts at `start` ends. Asking sqlite3_complete() about every prefix ending in `;` instead costs a pass
 * per `;`, which is quadratic when no prefix is complete (an unterminated CREATE TRIGGER ... BEGIN followed
 * by many statements: tens of seconds for a few hundred KB).
 *
 * complete.c reads a prefix as complete when its state machine ends in START right after a `;` token, and
 * a prefix that ends inside a string, a quoted name or a block comment is never complete. One pass that
 * stops at the first `;` token leaving the machine in START therefore finds the same end as asking about
 * each prefix in turn; a NUL byte ends the text for SQLite, so it ends the search here.
 */
// complete.c's token types; split.ts walks the same machine over the tokenizer's tokens.
const TK_SEMI = 0;
const TK_WS = 1;
const TK_OTHER = 2;
const TK_EXPLAIN = 3;
const TK_CREATE = 4;
const TK_TEMP = 5;
const TK_TRIGGER = 6;
const TK_END = 7;
const START = 1;
// complete.c's trans[][]: states 0 INVALID, 1 START, 2 NORMAL, 3 EXPLAIN, 4 CREATE, 5 TRIGGER, 6 SEMI, 7 END
// (columns: token types SEMI, WS, OTHER, EXPLAIN, CREATE, TEMP, TRIGGER, END).
const TRANS = [
    [1, 0, 2, 3, 4, 2, 2, 2],
    [1, 1, 2, 3, 4, 2, 2, 2],
    [1, 2, 2, 2, 2, 2, 2, 2],
    [1, 3, 3, 2, 4, 2, 2, 2],
    [1, 4, 2, 2, 2, 4, 5, 2],
    [6, 5, 5, 5, 5, 5, 5, 5],
    [6, 6, 5, 5, 5, 5, 5, 7],
    [1, 7, 5, 5, 5, 5, 5, 5],
];
/** Bytes looked at by completeEnd since the process started: lets tests check the work is linear. */
const completeWork = { bytes: 0 };
/** SQLite's IdChar: letters, digits, `_`, `$` and every byte >= 0x80. */
function isIdChar(c) {
    return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24 || c >= 0x80;
}
function keyword(b, start, length) {
    if (length !== 3 && length !== 4 && length !== 6 && length !== 7 && length !== 9)
        return TK_OTHER;
    let word = '';
    for (let k = 0; k < length; k++)
        word += String.fromCharCode(b[start + k] | 0x20);
    switch (word) {
        case 'create':
            return TK_CREATE;
        case 'trigger':
            return TK_TRIGGER;
        case 'temp':
        case 'temporary':
            return TK_TEMP;
        case 'end':
            return TK_END;
        case 'explain':
            return TK_EXPLAIN;
        default:
            return TK_OTHER;
    }
}
/**
 * Offset just after the `;` that completes the statement starting at `start` (as sqlite3_complete() would
 * judge each prefix), or `b.length` when no prefix is complete. Linear in the bytes it looks at.
 */
function completeEnd(b, start) {
    const n = b.length;
    let state = 0;
    let i = start;
    try {
        while (i < n) {
            const c = b[i];
            let token;
            switch (c) {
                case 0x00:
                    return n;
                case 0x3b: // ;
                    token = TK_SEMI;
                    break;
                case 0x20:
                case 0x0d:
                case 0x09:
                case 0x0a:
                case 0x0c:
                    token = TK_WS;
                    break;
                case 0x2f: // /* ... */
                    if (b[i + 1] !== 0x2a) {
                        token = TK_OTHER;
                        break;
                    }
                    i += 2;
                    while (i < n && b[i] !== 0 && !(b[i] === 0x2a && b[i + 1] === 0x2f))
                        i++;
                    if (i >= n || b[i] === 0)
                        return n;
                    i++;
                    token = TK_WS;
                    break;
                case 0x2d: // -- to the end of the line
                    if (b[i + 1] !== 0x2d) {
                        token = TK_OTHER;
                        break;
                    }
                    while (i < n && b[i] !== 0x0a && b[i] !== 0)
                        i++;
                    if (i >= n || b[i] === 0)
                        return n;
                    token = TK_WS;
                    break;
                case 0x5b: // [name]
                    i++;
                    while (i < n && b[i] !== 0x5d && b[i] !== 0)
                        i++;
                    if (i >= n || b[i] === 0)
                        return n;
                    token = TK_OTHER;
                    break;
                case 0x60: // `name`, "name", 'string'
                case 0x22:
                case 0x27:
                    i++;
                    while (i < n && b[i] !== c && b[i] !== 0)
                        i++;
                    if (i >= n || b[i] === 0)
                        return n;
                    token = TK_OTHER;
                    break;
                default:
                    if (isIdChar(c)) {
                        let len = 1;
                        while (i + len < n && isIdChar(b[i + len]))
                            len++;
                        token = keyword(b, i, len);
                        i += len - 1;
                    }
                    else
                        token = TK_OTHER;
            }
            state = TRANS[state][token];
            i++;
            if (token === TK_SEMI && state === START)
                return i;
        }
        return n;
    }
    finally {
        completeWork.bytes += Math.min(i, n) - start;
    }
}

;// CONCATENATED MODULE: ./build/src/sql/tokenize.js
// Character classes, indexed by char code < 128; everything >= 128 is an identifier character as in SQLite.
const ID_START = new Uint8Array(128);
const ID_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    const digit = c >= 48 && c <= 57;
    ID_START[c] = alpha ? 1 : 0;
    // SQLite's IdChar() also accepts '$' after the first character.
    ID_CHAR[c] = alpha || digit || c === 36 ? 1 : 0;
}
function tokenize_isIdChar(c) {
    return c >= 128 ? c !== 0xfeff : ID_CHAR[c] === 1;
}
function isIdStart(c) {
    return c >= 128 ? c !== 0xfeff : ID_START[c] === 1;
}
function isDigit(c) {
    return c >= 48 && c <= 57;
}
function isHex(c) {
    return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isSpace(c) {
    // SQLite's whitespace set (space, \t, \n, \f, \r) plus the BOM; \v is not whitespace in SQLite.
    return c === 32 || c === 9 || c === 10 || c === 12 || c === 13 || c === 0xfeff;
}
/** Unescape a quoted token: strip the delimiters and collapse doubled closing delimiters. */
function unquote(text, close, terminated) {
    const inner = text.slice(1, terminated ? -1 : undefined);
    if (close === ']')
        return inner;
    return inner.indexOf(close) === -1 ? inner : inner.split(close + close).join(close);
}
/**
 * The same words (keywords, column and table names) occur over and over in a set of migrations: sharing one
 * text and one upper-cased value string per distinct word keeps far fewer strings alive. Bounded, so a
 * long-lived process does not keep every word it ever saw.
 */
const WORD_CACHE_LIMIT = 20_000;
const wordCache = new Map();
function sharedWord(text) {
    let w = wordCache.get(text);
    if (w === undefined) {
        if (wordCache.size >= WORD_CACHE_LIMIT)
            wordCache.clear();
        const upper = text.toUpperCase();
        w = { text, value: upper === text ? text : upper };
        wordCache.set(text, w);
    }
    return w;
}
function tokenize(sql, options = {}) {
    const keepSpaces = options.spaces === true;
    const n = sql.length;
    const out = [];
    let i = 0;
    let line = 1;
    let lineStart = 0;
    const push = (kind, start, end, tokLine, tokCol, value) => {
        const text = sql.slice(start, end);
        out.push({ kind, text, value: value ?? text, start, end, line: tokLine, column: tokCol });
    };
    /** Advance line bookkeeping over [from, to) for tokens that may span lines. */
    const countLines = (from, to) => {
        for (let k = from; k < to; k++) {
            if (sql.charCodeAt(k) === 10) {
                line++;
                lineStart = k + 1;
            }
        }
    };
    while (i < n) {
        const start = i;
        const tokLine = line;
        const col = i - lineStart + 1;
        const c = sql.charCodeAt(i);
        if (isSpace(c)) {
            while (i < n && isSpace(sql.charCodeAt(i))) {
                if (sql.charCodeAt(i) === 10) {
                    line++;
                    lineStart = i + 1;
                }
                i++;
            }
            if (keepSpaces)
                push('space', start, i, tokLine, col);
            continue;
        }
        if (isIdStart(c)) {
            // x'ABCD' blob literal.
            if ((c === 120 || c === 88) && sql.charCodeAt(i + 1) === 39) {
                i += 2;
                while (i < n && sql.charCodeAt(i) !== 39)
                    i++;
                const terminated = i < n;
                if (terminated)
                    i++;
                countLines(start, i);
                push('blob', start, i, tokLine, col, sql.slice(start + 2, terminated ? i - 1 : i));
                continue;
            }
            i++;
            while (i < n && tokenize_isIdChar(sql.charCodeAt(i)))
                i++;
            const word = sharedWord(sql.slice(start, i));
            out.push({ kind: 'word', text: word.text, value: word.value, start, end: i, line: tokLine, column: col });
            continue;
        }
        if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
            i = scanNumber(sql, i);
            push('number', start, i, tokLine, col);
            continue;
        }
        switch (c) {
            case 39: // '
            case 34: // "
            case 96: {
                // `
                const delim = c;
                i++;
                let terminated = false;
                while (i < n) {
                    const d = sql.charCodeAt(i);
                    if (d === delim) {
                        if (sql.charCodeAt(i + 1) === delim) {
                            i += 2;
                            continue;
                        }
                        i++;
                        terminated = true;
                        break;
                    }
                    i++;
                }
                countLines(start, i);
                const kind = c === 39 ? 'string' : c === 34 ? 'dquoted' : 'backticked';
                const close = String.fromCharCode(delim);
                push(kind, start, i, tokLine, col, unquote(sql.slice(start, i), close, terminated));
                continue;
            }
            case 91: {
                // [bracketed identifier]: no escapes, ends at the first ']'.
                const close = sql.indexOf(']', i + 1);
                i = close === -1 ? n : close + 1;
                countLines(start, i);
                push('bracketed', start, i, tokLine, col, unquote(sql.slice(start, i), ']', close !== -1));
                continue;
            }
            case 45: // -
                if (sql.charCodeAt(i + 1) === 45) {
                    const nl = sql.indexOf('\n', i + 2);
                    i = nl === -1 ? n : nl;
                    push('comment', start, i, tokLine, col);
                    continue;
                }
                if (sql.charCodeAt(i + 1) === 62) {
                    i += sql.charCodeAt(i + 2) === 62 ? 3 : 2;
                }
                else
                    i++;
                push('punct', start, i, tokLine, col);
                continue;
            case 47: // /
                if (sql.charCodeAt(i + 1) === 42) {
                    const close = sql.indexOf('*/', i + 2);
                    i = close === -1 ? n : close + 2;
                    countLines(start, i);
                    push('comment', start, i, tokLine, col);
                    continue;
                }
                i++;
                push('punct', start, i, tokLine, col);
                continue;
            case 63: // ?NNN
                i++;
                while (i < n && isDigit(sql.charCodeAt(i)))
                    i++;
                push('param', start, i, tokLine, col);
                continue;
            case 58: // :
                // `::` is one token here (PostgreSQL cast); `:name` is a parameter like $name and @name.
                i = sql.charCodeAt(i + 1) === 58 ? i + 2 : scanVariable(sql, i);
                push(i - start > 1 && sql.charCodeAt(start + 1) !== 58 ? 'param' : 'punct', start, i, tokLine, col);
                continue;
            case 36: // $
            case 64: // @
            case 35: {
                // #
                i = scanVariable(sql, i);
                push(i - start > 1 ? 'param' : 'punct', start, i, tokLine, col);
                continue;
            }
            default:
                i += punctLength(sql, i, c);
                push('punct', start, i, tokLine, col);
        }
    }
    return out;
}
function scanNumber(sql, start) {
    const n = sql.length;
    let i = start;
    const c1 = sql.charCodeAt(i + 1);
    if (sql.charCodeAt(i) === 48 && (c1 === 120 || c1 === 88) && isHex(sql.charCodeAt(i + 2))) {
        i += 2;
        while (i < n && (isHex(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95))
            i++;
    }
    else {
        // Digits may contain '_' separators (SQLite 3.46+).
        while (i < n && (isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95))
            i++;
        if (sql.charCodeAt(i) === 46) {
            i++;
            while (i < n && (isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95))
                i++;
        }
        const e = sql.charCodeAt(i);
        if (e === 101 || e === 69) {
            const s = sql.charCodeAt(i + 1);
            if (isDigit(s) || ((s === 43 || s === 45) && isDigit(sql.charCodeAt(i + 2)))) {
                i += 2;
                while (i < n && isDigit(sql.charCodeAt(i)))
                    i++;
            }
        }
    }
    // SQLite folds trailing identifier characters into the (then illegal) number token: `12abc` is one token.
    while (i < n && tokenize_isIdChar(sql.charCodeAt(i)))
        i++;
    return i;
}
/** `$name`, `@name`, `:name`, `#name`, including Tcl-style `$a::b` and `$a(x)` as SQLite accepts them. */
function scanVariable(sql, start) {
    const n = sql.length;
    let i = start + 1;
    let ids = 0;
    while (i < n) {
        const c = sql.charCodeAt(i);
        if (tokenize_isIdChar(c)) {
            ids++;
            i++;
        }
        else if (c === 40 && ids > 0) {
            while (i < n && !isSpace(sql.charCodeAt(i)) && sql.charCodeAt(i) !== 41)
                i++;
            if (sql.charCodeAt(i) === 41)
                i++;
            break;
        }
        else if (c === 58 && sql.charCodeAt(i + 1) === 58 && ids > 0) {
            i += 2;
        }
        else
            break;
    }
    return i;
}
function punctLength(sql, i, c) {
    const d = sql.charCodeAt(i + 1);
    switch (c) {
        case 61: // = ==
            return d === 61 ? 2 : 1;
        case 60: // < <= <> <<
            return d === 61 || d === 62 || d === 60 ? 2 : 1;
        case 62: // > >= >>
            return d === 61 || d === 62 ? 2 : 1;
        case 33: // != (a lone ! is illegal in SQLite)
            return d === 61 ? 2 : 1;
        case 124: // || |
            return d === 124 ? 2 : 1;
        default: {
            // Keep surrogate pairs together so an illegal emoji stays one token.
            return c >= 0xd800 && c <= 0xdbff && i + 1 < sql.length ? 2 : 1;
        }
    }
}

;// CONCATENATED MODULE: ./build/src/sql/suppress.js
/**
 * Parsing of inline suppression comments:
 *   -- d1-migrate-ignore: rule-a, rule-b -- why
 *   -- d1-migrate-ignore-file: rule-a
 * Ids are comma separated; anything after the first id that is followed by other words (a reason) is ignored.
 */
const STATEMENT_MARK = /\bd1-migrate-ignore:/i;
const FILE_MARK = /\bd1-migrate-ignore-file:/i;
const RULE_ID = /^[a-z0-9][a-z0-9-]*$/i;
function parseIgnoreComment(comment, kind) {
    // Cheap pre-check: nearly every comment in real migrations is not a suppression.
    if (comment.indexOf('d1-migrate-ignore') === -1 && comment.indexOf('D1-MIGRATE-IGNORE') === -1)
        return [];
    const mark = kind === 'file' ? FILE_MARK : STATEMENT_MARK;
    const m = mark.exec(comment);
    if (!m)
        return [];
    let rest = comment.slice(m.index + m[0].length);
    const nl = rest.indexOf('\n');
    if (nl !== -1)
        rest = rest.slice(0, nl);
    rest = rest.replace(/\*\/.*$/, '');
    const reason = rest.indexOf('--');
    if (reason !== -1)
        rest = rest.slice(0, reason);
    const ids = [];
    for (const part of rest.split(',')) {
        const words = part.trim().split(/\s+/);
        const id = words[0] ?? '';
        if (!RULE_ID.test(id))
            break;
        ids.push(id.toLowerCase());
        if (words.length > 1)
            break;
    }
    return ids;
}

;// CONCATENATED MODULE: ./build/src/sql/split.js



/*
 * Statement boundaries follow sqlite3_complete() (SQLite's complete.c), which is also what workerd uses to
 * slice D1 requests (sqlite3_complete_length): a ';' ends a statement unless it is inside the body of a
 * CREATE [TEMP] TRIGGER, whose end is a ';' followed by END and another ';'. CASE ... END needs no special
 * handling: inside a trigger body only an END directly after a ';' counts.
 */
function tokenType(tok) {
    if (tok.kind === 'punct')
        return tok.text === ';' ? TK_SEMI : TK_OTHER;
    if (tok.kind !== 'word')
        return TK_OTHER;
    switch (tok.value) {
        case 'CREATE':
            return TK_CREATE;
        case 'TRIGGER':
            return TK_TRIGGER;
        case 'TEMP':
        case 'TEMPORARY':
            return TK_TEMP;
        case 'END':
            return TK_END;
        case 'EXPLAIN':
            return TK_EXPLAIN;
        default:
            return TK_OTHER;
    }
}
function lastLine(tok) {
    let line = tok.line;
    for (let k = tok.text.indexOf('\n'); k !== -1; k = tok.text.indexOf('\n', k + 1))
        line++;
    return line;
}
/** Rule ids named by the `-- d1-migrate-ignore:` comments in the block of comment lines right above `line`. */
function suppressionsAbove(pending, line) {
    const ids = new Set();
    let expected = line;
    for (let k = pending.length - 1; k >= 0; k--) {
        const c = pending[k];
        // Contiguous: the comment ends on the line above the one we reached (or shares it, `/* x */ DROP ...`).
        if (lastLine(c) < expected - 1)
            break;
        expected = c.line;
        for (const id of parseIgnoreComment(c.text, 'statement'))
            ids.add(id);
    }
    return ids;
}
function parseMigration(file) {
    const sql = file.sql;
    const tokens = tokenize(sql);
    const comments = [];
    const statements = [];
    const fileSuppressed = new Set();
    let state = START;
    let current = [];
    let pending = [];
    let suppressed = new Set();
    const finish = (terminator) => {
        const first = current[0];
        const last = current[current.length - 1];
        statements.push({
            text: sql.slice(first.start, last.end),
            start: first.start,
            end: last.end,
            line: first.line,
            column: first.column,
            endLine: terminator ? terminator.line : lastLine(last),
            tokens: current,
            suppressed,
        });
        current = [];
    };
    for (const tok of tokens) {
        if (tok.kind === 'comment') {
            comments.push(tok);
            pending.push(tok);
            for (const id of parseIgnoreComment(tok.text, 'file'))
                fileSuppressed.add(id);
            continue;
        }
        state = TRANS[state][tokenType(tok)];
        if (state === START) {
            // Only a ';' leads back to START: the statement (if any) is complete.
            if (current.length > 0)
                finish(tok);
            pending = [];
            continue;
        }
        if (current.length === 0) {
            suppressed = suppressionsAbove(pending, tok.line);
        }
        pending = [];
        current.push(tok);
    }
    // A last statement without ';' still runs (sqlite3_prepare takes it as it is).
    if (current.length > 0)
        finish(null);
    return { file, statements, comments, fileSuppressed, empty: statements.length === 0 };
}
/**
 * Drop findings the migrations suppress: by `-- d1-migrate-ignore-file: id` anywhere in the file, or by
 * `-- d1-migrate-ignore: id` right above the statement the finding's line falls in.
 */
function applySuppressions(findings, parsed) {
    const byFile = new Map();
    for (const p of parsed)
        byFile.set(p.file.relPath, { p });
    return findings.filter((f) => {
        if (f.file === undefined)
            return true;
        const entry = byFile.get(f.file);
        if (!entry)
            return true;
        if (entry.p.fileSuppressed.has(f.rule))
            return false;
        if (f.line === undefined)
            return true;
        // Indexed by line once per file: testing each finding against every statement was findings × statements.
        entry.lines ??= suppressedByLine(entry.p);
        return !entry.lines.get(f.line)?.has(f.rule);
    });
}
/** Rule ids suppressed on each line, from the statements that carry suppressions (linear in their lines). */
function suppressedByLine(p) {
    const lines = new Map();
    for (const s of p.statements) {
        if (s.suppressed.size === 0)
            continue;
        for (let line = s.line; line <= s.endLine; line++) {
            let ids = lines.get(line);
            if (!ids)
                lines.set(line, (ids = new Set()));
            for (const id of s.suppressed)
                ids.add(id);
        }
    }
    return lines;
}

;// CONCATENATED MODULE: ./build/src/replay/db/types.js
/**
 * Thrown by a node:sqlite connection for what only the WASM build can do exactly (error offsets, a
 * double-quoted literal it cannot place): the replay redoes the file on the WASM build (see replay.ts).
 */
class types_NeedsWasm extends Error {
    constructor(why) {
        super(`needs the WASM build: ${why}`);
        this.name = 'NeedsWasm';
    }
}

;// CONCATENATED MODULE: ./build/src/replay/db/node.js

/** A variable, so that neither TypeScript (whose Node 20 types lack it) nor the bundler resolves it. */
const SPECIFIER = 'node:sqlite';
/** The SQLite message for a double-quoted name that is not a column (when such strings are rejected). */
const DQS_MESSAGE = /^no such column: "((?:[^"]|"")*)" - should this be a string literal/;
/** Literals rewritten in one statement before giving up. */
const MAX_LITERALS = 200;
/** Prepared queries kept per connection (schema reads of the replay and its checks). */
const CACHE = 64;
/** SQLite's authorizer codes (sqlite3.h): the action of reading a column, and the answers. */
const SQLITE_READ = 20;
const SQLITE_OK = 0;
const SQLITE_IGNORE = 2;
/**
 * The backend, or undefined where node:sqlite is missing or lacks what the replay needs. Node 22 prints an
 * ExperimentalWarning when node:sqlite is first loaded; it is not the user's concern, so it is held back.
 */
async function node_nodeBackend() {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, never called unbound
    const original = process.emitWarning;
    const emit = original.bind(process);
    process.emitWarning = (warning, ...rest) => {
        const text = typeof warning === 'string' ? warning : warning.message;
        if (/SQLite/i.test(text))
            return;
        emit(warning, ...rest);
    };
    let mod;
    try {
        mod = (await import(/* webpackIgnore: true */ SPECIFIER));
    }
    catch {
        return undefined;
    }
    finally {
        process.emitWarning = original;
    }
    try {
        const probe = new mod.DatabaseSync(':memory:', { enableForeignKeyConstraints: true, enableDoubleQuotedStringLiterals: false });
        try {
            const s = probe.prepare('SELECT sqlite_version() AS v; SELECT 2');
            const usable = typeof probe.serialize === 'function' && typeof s.setReturnArrays === 'function' && s.sourceSQL === 'SELECT sqlite_version() AS v;';
            s.setReturnArrays(true);
            const version = String(s.all()[0][0]);
            return usable && atLeast(version, [3, 45, 0]) ? new NodeBackend(mod, version) : undefined;
        }
        finally {
            probe.close();
        }
    }
    catch {
        return undefined;
    }
}
/**
 * A statement's rows with integers as the WASM build gives them: a number, or a bigint beyond 2^53
 * (node:sqlite refuses to read those as numbers; it is asked again for bigints, kept only where needed). Asking
 * again repeats no change: rows() and objects() run this project's own queries, none of which both changes
 * something and returns rows (no RETURNING); migrations run through prepare() and Stmt.run().
 */
function node_all(s, bind, fix) {
    try {
        return s.all(...bind);
    }
    catch (e) {
        // By name: the error may come from another realm (a test runner's).
        if (e?.name !== 'RangeError')
            throw e;
    }
    s.setReadBigInts(true);
    try {
        return s.all(...bind).map(fix);
    }
    finally {
        s.setReadBigInts(false);
    }
}
function safeNumber(v) {
    return typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
function atLeast(version, min) {
    const v = version.split('.').map(Number);
    for (let i = 0; i < min.length; i++)
        if ((v[i] ?? 0) !== min[i])
            return (v[i] ?? 0) > min[i];
    return true;
}
class NodeBackend {
    mod;
    version;
    name = 'node';
    constructor(mod, version) {
        this.mod = mod;
        this.version = version;
    }
    open() {
        return new NodeDb(new this.mod.DatabaseSync(':memory:', { enableForeignKeyConstraints: true, enableDoubleQuotedStringLiterals: false }));
    }
    openImage(image) {
        const db = this.open();
        db.load(image);
        return db;
    }
}
class NodeStmt {
    stmt;
    constructor(stmt) {
        this.stmt = stmt;
    }
    run() {
        try {
            this.stmt.run();
            return undefined;
        }
        catch (e) {
            // The message is the WASM build's to give (with its offset): redo the file there.
            throw new NeedsWasm(`a statement failed: ${e.message}`);
        }
    }
    finalize() {
        // node:sqlite finalizes a statement when it is garbage-collected.
    }
}
class NodeDb {
    db;
    backend = 'node';
    cache = new Map();
    /** See ForeignKeySwitch (alter-keys.ts); undefined where this Node has no authorizer. */
    ignoringReads;
    constructor(db) {
        this.db = db;
        if (typeof db.setAuthorizer === 'function')
            this.ignoringReads = (columns, fn) => this.withReadsIgnored(columns, fn);
    }
    /**
     * Runs `fn` while SQLite's authorizer answers SQLITE_IGNORE to reading `columns` of tables in main: statements
     * prepared meanwhile read them as NULL. Setting or clearing an authorizer expires every prepared statement,
     * and none prepared meanwhile stays in the cache (those prepared before are prepared again after).
     */
    withReadsIgnored(columns, fn) {
        const ignored = new Set(columns.map((c) => `${c.table.toLowerCase()}\u0000${c.column.toLowerCase()}`));
        this.db.setAuthorizer((action, table, column, db) => action === SQLITE_READ && db === 'main' && ignored.has(`${(table ?? '').toLowerCase()}\u0000${(column ?? '').toLowerCase()}`) ? SQLITE_IGNORE : SQLITE_OK);
        const kept = new Set(this.cache.keys());
        try {
            return fn();
        }
        finally {
            this.db.setAuthorizer(null);
            for (const sql of [...this.cache.keys()])
                if (!kept.has(sql))
                    this.cache.delete(sql);
        }
    }
    load(image) {
        this.cache.clear();
        this.db.deserialize(image);
        this.db.exec('PRAGMA foreign_keys = ON');
    }
    tryExec(sql) {
        try {
            this.db.exec(sql);
            return undefined;
        }
        catch (e) {
            return e.message;
        }
    }
    rows(sql, bind = []) {
        const s = this.cached(sql);
        s.setReturnArrays(true);
        return node_all(s, bind, (row) => row.map(safeNumber));
    }
    objects(sql, bind = []) {
        const s = this.cached(sql);
        s.setReturnArrays(false);
        return node_all(s, bind, (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, safeNumber(v)])));
    }
    control(sql) {
        const s = this.db.prepare(sql);
        return {
            run: () => {
                try {
                    s.run();
                    return undefined;
                }
                catch (e) {
                    return e.message;
                }
            },
            close: () => undefined,
        };
    }
    /**
     * The statement that sqlite3_complete() delimits from `start` (the bytes SQLite's own tail would give for
     * any statement that prepares; one it cannot prepare is the WASM build's to report).
     */
    prepare(text, from) {
        const start = text.skipTrivia(from);
        if (start >= text.length)
            return { ok: true, stmt: undefined, start, end: text.length };
        const chunkEnd = text.statementEnd(start);
        // A NUL byte ends the text for SQLite's prepare-with-tail; the WASM build handles it as SQLite does.
        if (text.hasByte(start, chunkEnd, 0))
            throw new NeedsWasm('a NUL byte in the statement');
        const sql = text.slice(start, chunkEnd);
        const stmt = this.prepareWithLiterals(sql);
        const end = start + Buffer.byteLength(stmt.sourceSQL, 'utf8');
        if (end > chunkEnd)
            throw new NeedsWasm('statement boundary');
        return { ok: true, stmt: new NodeStmt(stmt), start, end };
    }
    prepareRange(text, start, end) {
        try {
            return { stmt: new NodeStmt(this.db.prepare(text.slice(start, end))) };
        }
        catch (e) {
            // No error offset here: double-quoted.ts places a literal by its text when that is unambiguous.
            return { message: e.message };
        }
    }
    /** This connection rejects double-quoted strings always. */
    withoutDoubleQuotedStrings(fn) {
        return fn();
    }
    serialize() {
        return this.db.serialize();
    }
    close() {
        this.cache.clear();
        this.db.close();
    }
    cached(sql) {
        let s = this.cache.get(sql);
        if (!s) {
            s = this.db.prepare(sql);
            if (this.cache.size >= CACHE)
                this.cache.delete(this.cache.keys().next().value);
            this.cache.set(sql, s);
        }
        return s;
    }
    /**
     * Prepares one statement as a connection accepting double-quoted strings would: each double-quoted name
     * SQLite reads as text is written as that text in single quotes, which SQLite reads the same way. Only
     * where that is exact: in DML (DDL keeps its text in the schema), for a name that occurs once in the
     * statement and whose quotes need no escaping (so every offset stays where it was).
     */
    prepareWithLiterals(sql) {
        let work = sql;
        for (let n = 0; n <= MAX_LITERALS; n++) {
            let message;
            try {
                return this.db.prepare(work);
            }
            catch (e) {
                message = e.message;
            }
            const m = DQS_MESSAGE.exec(message);
            if (!m)
                throw new NeedsWasm(`the statement does not prepare: ${message}`);
            if (!/^\s*(WITH|SELECT|INSERT|REPLACE|UPDATE|DELETE|VALUES)\b/i.test(work))
                throw new NeedsWasm('a double-quoted string in DDL');
            const word = m[1] ?? '';
            const quoted = `"${word}"`;
            const at = work.indexOf(quoted);
            if (at === -1 || work.indexOf(quoted, at + 1) !== -1 || /["']/.test(word))
                throw new NeedsWasm('a double-quoted string that cannot be placed');
            work = `${work.slice(0, at)}'${word}'${work.slice(at + quoted.length)}`;
        }
        throw new NeedsWasm('too many double-quoted strings');
    }
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:module"
const external_node_module_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");
;// CONCATENATED MODULE: external "node:v8"
const external_node_v8_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./build/src/replay/db/wasm-raw.js
const SQLITE_INTEGER = 1;
const SQLITE_FLOAT = 2;
const SQLITE_TEXT = 3;
const SQLITE_BLOB = 4;
/** The destructor that tells SQLite to copy a bound value at once (so the buffer can be reused). */
const SQLITE_TRANSIENT = -1;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
function integer(v) {
    return v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
}
const instances = new WeakMap();
/** The module instance's RawValues (its connections share the scratch memory, used within one call only). */
function wasm_raw_rawValues(sqlite3) {
    let r = instances.get(sqlite3);
    if (!r)
        instances.set(sqlite3, (r = new RawValues(sqlite3)));
    return r;
}
/**
 * Memory in the module for bytes handed to SQLite: kept between calls (an allocation per call is what the
 * wrappers cost), but not beyond KEEP_BYTES once a large statement is done.
 */
class Scratch {
    sqlite3;
    p = 0;
    capacity = 0;
    constructor(sqlite3) {
        this.sqlite3 = sqlite3;
    }
    /** At least `n` bytes; their address. */
    reserve(n) {
        if (n > this.capacity) {
            this.release();
            this.capacity = Math.max(n, 2 * this.capacity, 4096);
            this.p = this.sqlite3.wasm.alloc(this.capacity);
        }
        return this.p;
    }
    /** `s` as UTF-8 (NUL-terminated when `nul`): its address and byte length. */
    encode(s, nul) {
        // UTF-8 takes at most 3 bytes per UTF-16 code unit.
        const p = this.reserve(s.length * 3 + 1);
        const heap = this.sqlite3.wasm.heap8u();
        const { written } = encoder.encodeInto(s, heap.subarray(p, p + this.capacity - 1));
        if (nul)
            heap[p + written] = 0;
        return [p, written];
    }
    /** Frees the memory if it grew past KEEP_BYTES (or always, with `all`). */
    trim(all = false) {
        if (all || this.capacity > KEEP_BYTES)
            this.release();
    }
    release() {
        if (this.p)
            this.sqlite3.wasm.dealloc(this.p);
        this.p = 0;
        this.capacity = 0;
    }
}
/** Scratch memory kept between calls: above this, a large statement's copy is freed once it ran. */
const KEEP_BYTES = 1 << 20;
class RawValues {
    sqlite3;
    x;
    /** Bound text and blobs (SQLite copies them at once: free again when bind() returns). */
    values;
    /** SQL text for exec(), in use until it returns; a hook running SQL meanwhile gets memory of its own. */
    sql;
    execDepth = 0;
    /** The pre-update hook's out-pointer (apart from both: the hook fires inside exec() and step()). */
    slot = 0;
    constructor(sqlite3) {
        this.sqlite3 = sqlite3;
        this.x = sqlite3.wasm.exports;
        this.values = new Scratch(sqlite3);
        this.sql = new Scratch(sqlite3);
    }
    /** A NUL-terminated UTF-8 string in WASM memory (null for a null pointer), as capi's cstrToJs reads it. */
    text(p) {
        if (!p)
            return null;
        const heap = this.sqlite3.wasm.heap8u();
        const end = heap.indexOf(0, p);
        return end === p ? '' : decoder.decode(heap.subarray(p, end < 0 ? heap.length : end));
    }
    /** SQLite's message for the connection's last error. */
    errmsg(db) {
        return this.text(this.x.sqlite3_errmsg(db)) ?? '';
    }
    /** sqlite3_exec of `sql` (no callback); SQLite's error message, or undefined. */
    exec(db, sql) {
        const scratch = this.execDepth === 0 ? this.sql : new Scratch(this.sqlite3);
        this.execDepth++;
        try {
            const [p] = scratch.encode(sql, true);
            return this.x.sqlite3_exec(db, p, 0, 0, 0) === 0 ? undefined : this.errmsg(db);
        }
        finally {
            this.execDepth--;
            scratch.trim(scratch !== this.sql);
        }
    }
    /** Binds `values` to parameters 1..n as oo1's Stmt.bind(array) does; throws what it would refuse. */
    bind(stmt, values) {
        const x = this.x;
        const count = x.sqlite3_bind_parameter_count(stmt);
        if (values.length > count)
            throw new Error(`Bind index ${count + 1} is out of range.`);
        try {
            for (let i = 0; i < values.length; i++) {
                const v = values[i];
                const at = i + 1;
                let rc;
                if (v === null || v === undefined)
                    rc = x.sqlite3_bind_null(stmt, at);
                else if (typeof v === 'string') {
                    const [p, n] = this.values.encode(v, false);
                    rc = x.sqlite3_bind_text(stmt, at, p, n, SQLITE_TRANSIENT);
                }
                else if (typeof v === 'number') {
                    if (Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX)
                        rc = x.sqlite3_bind_int(stmt, at, v);
                    else if (Number.isInteger(v))
                        rc = x.sqlite3_bind_int64(stmt, at, BigInt(v));
                    else
                        rc = x.sqlite3_bind_double(stmt, at, v);
                }
                else if (typeof v === 'bigint') {
                    if (v < INT64_MIN || v > INT64_MAX)
                        throw new Error(`BigInt value is too big to store without precision loss: ${v}`);
                    rc = x.sqlite3_bind_int64(stmt, at, v);
                }
                else if (typeof v === 'boolean')
                    rc = x.sqlite3_bind_int(stmt, at, v ? 1 : 0);
                else if (v instanceof Uint8Array || v instanceof Int8Array || v instanceof ArrayBuffer) {
                    const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
                    // A zero-length blob needs a non-null address (SQLite binds NULL for a null one).
                    const p = this.values.reserve(Math.max(1, bytes.length));
                    this.sqlite3.wasm.heap8u().set(bytes, p);
                    rc = x.sqlite3_bind_blob(stmt, at, p, bytes.length, SQLITE_TRANSIENT);
                }
                else
                    throw new Error(`Unsupported bind() argument type: ${typeof v}`);
                if (rc !== 0)
                    throw new Error(`sqlite3 result code ${rc} binding parameter ${at}`);
            }
        }
        finally {
            this.values.trim();
        }
    }
    /** Steps `stmt`: true for a row, false at its end; throws SQLite's error as oo1 does. */
    step(db, stmt) {
        const rc = this.x.sqlite3_step(stmt);
        if (rc === 100)
            return true;
        if (rc === 101)
            return false;
        throw new Error(`${this.sqlite3.capi.sqlite3_js_rc_str(rc)}: sqlite3 result code ${rc}: ${this.errmsg(db)}`);
    }
    /** Resets `stmt` and clears its bindings (errors were reported by step()). */
    reset(stmt) {
        this.x.sqlite3_clear_bindings(stmt);
        this.x.sqlite3_reset(stmt);
    }
    columnCount(stmt) {
        return this.x.sqlite3_column_count(stmt);
    }
    columnNames(stmt) {
        const n = this.x.sqlite3_column_count(stmt);
        const out = [];
        for (let i = 0; i < n; i++)
            out.push(this.text(this.x.sqlite3_column_name(stmt, i)) ?? '');
        return out;
    }
    /** The current row's values (oo1's Stmt.get([]): an empty blob is an empty array). */
    row(stmt, n) {
        const out = new Array(n);
        for (let i = 0; i < n; i++)
            out[i] = this.value(this.x.sqlite3_column_value(stmt, i), false);
        return out;
    }
    /**
     * Installs `fn` as the connection's pre-update hook; its function table entry, for removePreupdateHook.
     * capi's own binding decodes both names into strings on every row change; here the schema is compared in
     * place (isMain).
     */
    installPreupdateHook(db, fn) {
        const wasm = this.sqlite3.wasm;
        const p = wasm.installFunction((_ctx, pDb, op, zDb, zTable, oldKey, newKey) => fn(pDb, op, zDb, zTable, oldKey, newKey), 'v(ppippjj)');
        this.x.sqlite3_preupdate_hook(db, p, 0);
        return p;
    }
    removePreupdateHook(db, p) {
        this.x.sqlite3_preupdate_hook(db, 0, 0);
        this.sqlite3.wasm.uninstallFunction(p);
    }
    /** Whether the C string at `p` is "main". */
    isMain(p) {
        const h = this.sqlite3.wasm.heap8u();
        return h[p] === 0x6d && h[p + 1] === 0x61 && h[p + 2] === 0x69 && h[p + 3] === 0x6e && h[p + 4] === 0;
    }
    /** Inside the pre-update hook: the row's values before or after the change (capi's preupdate_*_js). */
    preupdate(db, which) {
        const x = this.x;
        if (!this.slot)
            this.slot = this.sqlite3.wasm.alloc(4);
        const n = x.sqlite3_preupdate_count(db);
        const out = [];
        for (let i = 0; i < n; i++) {
            const rc = which === 'old' ? x.sqlite3_preupdate_old(db, i, this.slot) : x.sqlite3_preupdate_new(db, i, this.slot);
            if (rc !== 0)
                throw new Error(`sqlite3_preupdate_${which}() failed with code ${rc}`);
            const v = this.sqlite3.wasm.peek32(this.slot);
            // An empty blob is null here, as capi's sqlite3_value_to_js has it.
            out.push(v ? this.value(v, true) : undefined);
        }
        return out;
    }
    /**
     * A value as capi reads it (sqlite3_value_to_js; a row's columns are read through the same calls):
     * integers as numbers where safe, else bigints; text with all its bytes, NULs included.
     */
    value(v, emptyBlobIsNull) {
        const x = this.x;
        switch (x.sqlite3_value_type(v)) {
            case SQLITE_INTEGER:
                return integer(x.sqlite3_value_int64(v));
            case SQLITE_FLOAT:
                return x.sqlite3_value_double(v);
            case SQLITE_TEXT: {
                const p = x.sqlite3_value_text(v);
                const n = x.sqlite3_value_bytes(v);
                if (!p)
                    return null;
                return n === 0 ? '' : decoder.decode(this.sqlite3.wasm.heap8u().subarray(p, p + n));
            }
            case SQLITE_BLOB: {
                const n = x.sqlite3_value_bytes(v);
                const p = x.sqlite3_value_blob(v);
                if (n)
                    return this.sqlite3.wasm.heap8u().slice(p, p + n);
                return emptyBlobIsNull ? null : new Uint8Array(0);
            }
            default:
                return null;
        }
    }
}
/** A 32-bit little-endian pointer (this build is wasm32). */
function readPtr(heap, at) {
    return (heap[at] | (heap[at + 1] << 8) | (heap[at + 2] << 16) | (heap[at + 3] << 24)) >>> 0;
}
function writePtr(heap, at, value) {
    heap[at] = value & 0xff;
    heap[at + 1] = (value >>> 8) & 0xff;
    heap[at + 2] = (value >>> 16) & 0xff;
    heap[at + 3] = (value >>> 24) & 0xff;
}

;// CONCATENATED MODULE: ./build/src/replay/db/wasm.js
/**
 * The official SQLite WASM build (@sqlite.org/sqlite-wasm), loaded once per process. It runs on every Node
 * and has what node:sqlite lacks: the pre-update hook the data check attributes row changes with, error
 * offsets, sqlite3_db_status and per-connection settings that can change inside a transaction.
 */






/** Prepared queries kept per connection: oo1's one-off select helpers cost several times a cached statement. */
const wasm_CACHE = 64;
/** sqlite3_db_status op: deferred foreign key violations not yet resolved (SQLITE_DBSTATUS_DEFERRED_FKS). */
const DBSTATUS_DEFERRED_FKS = 10;
/**
 * The bundle (dist/) ships node.mjs + sqlite3.wasm in dist/sqlite/ because webpack mangles the module when it
 * inlines it; from source (tests, tsx) the package resolves normally.
 */
function sqliteModulePath() {
    const here = (0,external_node_path_namespaceObject.dirname)((0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url));
    for (const c of [(0,external_node_path_namespaceObject.join)(here, 'sqlite', 'node.mjs'), (0,external_node_path_namespaceObject.join)(here, '..', 'sqlite', 'node.mjs')])
        if ((0,external_node_fs_namespaceObject.existsSync)(c))
            return c;
    return (0,external_node_module_namespaceObject.createRequire)(import.meta.url).resolve('@sqlite.org/sqlite-wasm');
}
let loading;
/**
 * Below this much SQL, Node 20 keeps the module on V8's baseline compiler (see chooseTiering). Measured with
 * the bench's generated sets on Node 20 (validate, data check on, so each file runs twice): 3 files 300 →
 * 195 ms, 100 files 550 → 380 ms, 300 files (540 KB run) 880 → 740 ms; 600 files (1.07 MB run) even;
 * 1,000 files (1.83 MB run) 8 % slower on the baseline code.
 */
const LIGHT_WORK_BYTES = 800 * 1024;
/**
 * The same per thread when the replay and the twin run side by side: the optimising compilations then take CPU
 * from the two busy threads, so the baseline code pays for longer. Measured on Node 20 (data check in a worker,
 * wall time, baseline / default): 600 files even, 1,000 files (916 KB per thread) 0.95×, 2,000 files (1.9 MB)
 * 1.09×.
 */
const LIGHT_PARALLEL_BYTES = 1280 * 1024;
/**
 * Node 20 (V8 11.3) compiles hot WASM functions again with its optimising compiler on background threads, and
 * the process waits for those compilations before it exits: 70–100 ms of a 300 ms validate of a small project,
 * more than the optimised code wins back on a short run. So a light run keeps the baseline code. Node 22 and
 * later do not wait at exit and keep V8's default. The flag is read when the module is compiled, hence here,
 * before the first load. `D1_MIGRATE_WASM_TIERING=baseline|default` pins the choice (bench and tests); any
 * other value is ignored, as it is a diagnostic switch, not an input.
 */
function wasmTiering(work, nodeVersion, pinned) {
    if (pinned === 'baseline' || pinned === 'default')
        return pinned;
    const major = Number(nodeVersion.replace(/^v/, '').split('.')[0]);
    return major < 22 && work !== undefined && work.bytes < (work.parallel === true ? LIGHT_PARALLEL_BYTES : LIGHT_WORK_BYTES) ? 'baseline' : 'default';
}
function chooseTiering(work) {
    if (wasmTiering(work, process.versions.node, process.env.D1_MIGRATE_WASM_TIERING) === 'baseline')
        (0,external_node_v8_namespaceObject.setFlagsFromString)('--liftoff-only');
}
/**
 * The initialised module; initialising costs ~40 ms, so it is shared by every connection in the process.
 * `work`: what the caller will run on it, for the first load's choice of compiler (chooseTiering); unknown
 * work keeps V8's default.
 */
function loadSqlite(work) {
    if (!loading) {
        chooseTiering(work);
        loading = (async () => {
            const mod = (await import(/* webpackIgnore: true */ (0,external_node_url_namespaceObject.pathToFileURL)(sqliteModulePath()).href));
            return mod.default();
        })();
        // A failed load must not poison every later call in a long-lived process.
        loading.catch(() => {
            loading = undefined;
        });
    }
    return loading;
}
/** The backend, once the module is loaded (`work`: see loadSqlite). */
async function wasm_wasmBackend(work) {
    return new WasmBackend(await loadSqlite(work));
}
class WasmBackend {
    sqlite3;
    name = 'wasm';
    version;
    constructor(sqlite3) {
        this.sqlite3 = sqlite3;
        this.version = sqlite3.version.libVersion;
    }
    open() {
        return new WasmDb(this.sqlite3, openD1Like(this.sqlite3));
    }
    openImage(image) {
        const db = this.open();
        db.load(image);
        return db;
    }
}
/** The text's bytes in WASM memory, NUL-terminated, after two pointer slots (ppStmt, pzTail). */
class WasmCopy {
    wasm;
    mem;
    sql;
    constructor(wasm, bytes) {
        this.wasm = wasm;
        this.mem = wasm.alloc(8 + bytes.length + 1);
        this.sql = this.mem + 8;
        const heap = wasm.heap8u();
        heap.set(bytes, this.sql);
        heap[this.sql + bytes.length] = 0;
    }
    free() {
        this.wasm.dealloc(this.mem);
    }
}
function wasmCopy(sqlite3, text) {
    return text.copyFor(sqlite3, () => new WasmCopy(sqlite3.wasm, text.bytes));
}
/**
 * Prepares the statement of `text` starting at `from` with SQLite's prepare-with-tail, so statement
 * boundaries are exactly SQLite's (triggers, strings, comments). `stmt` is 0 when only comments remain.
 * Exported for the D1 API emulator of the tests, which runs its own module instance.
 */
function prepareAt(sqlite3, db, text, from) {
    const { capi, wasm } = sqlite3;
    const copy = wasmCopy(sqlite3, text);
    const start = text.skipTrivia(from);
    const ppStmt = copy.mem;
    const pzTail = copy.mem + 4;
    let heap = wasm.heap8u();
    writePtr(heap, ppStmt, 0);
    writePtr(heap, pzTail, 0);
    // +1: the length includes the NUL terminator, so SQLite uses the text in place instead of copying the rest of the file per statement.
    const rc = wasm.exports.sqlite3_prepare_v3(db, copy.sql + start, text.length - start + 1, 0, ppStmt, pzTail);
    if (rc !== capi.SQLITE_OK) {
        const off = capi.sqlite3_error_offset(db);
        return { ok: false, message: capi.sqlite3_errmsg(db), start, errorOffset: off >= 0 ? start + off : -1 };
    }
    // Preparing may have grown the memory, which detaches the old view.
    heap = wasm.heap8u();
    const stmt = readPtr(heap, ppStmt);
    const tail = readPtr(heap, pzTail);
    return { ok: true, stmt, start, end: stmt ? tail - copy.sql : text.length };
}
class WasmStmt {
    sqlite3;
    db;
    pointer;
    constructor(sqlite3, db, pointer) {
        this.sqlite3 = sqlite3;
        this.db = db;
        this.pointer = pointer;
    }
    run() {
        const { capi, wasm } = this.sqlite3;
        const step = wasm.exports.sqlite3_step;
        let rc;
        do
            rc = step(this.pointer);
        while (rc === capi.SQLITE_ROW);
        return rc === capi.SQLITE_DONE ? undefined : capi.sqlite3_errmsg(this.db);
    }
    finalize() {
        this.sqlite3.wasm.exports.sqlite3_finalize(this.pointer);
    }
}
class WasmDb {
    sqlite3;
    db;
    backend = 'wasm';
    status = 0;
    /** The pre-update hook's entry in the WASM function table (0: none). */
    hook = 0;
    cache = new Map();
    raw;
    constructor(sqlite3, db) {
        this.sqlite3 = sqlite3;
        this.db = db;
        this.raw = wasm_raw_rawValues(sqlite3);
    }
    /** The empty database attachScratch() attached, where alter.ts holds a table's rows (see heldStatement). */
    scratchSchema;
    /** Attaches it, outside a transaction (SQLite refuses ATTACH in one); unqualified names still find main's first. */
    attachScratch(name) {
        if (this.tryExec(`ATTACH ':memory:' AS "${name.replace(/"/g, '""')}"`) === undefined)
            this.scratchSchema = name;
    }
    /** Replaces the (empty) database by a copy of `image`. */
    load(image) {
        this.clearCache();
        const { capi, wasm } = this.sqlite3;
        const mem = wasm.allocFromTypedArray(image);
        const rc = capi.sqlite3_deserialize(this.db.pointer, 'main', mem, image.length, image.length, capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_RESIZEABLE);
        if (rc !== capi.SQLITE_OK)
            throw new Error(`sqlite3_deserialize failed (${rc})`);
    }
    tryExec(sql) {
        return this.raw.exec(this.db.pointer, sql);
    }
    rows(sql, bind) {
        return this.query(sql, bind, (row) => row);
    }
    objects(sql, bind) {
        return this.query(sql, bind, (row, names) => Object.fromEntries(names().map((n, i) => [n, row[i]])));
    }
    /**
     * Runs a query, prepared once per connection (oo1 prepares it: its errors are the ones callers know), with
     * parameters and rows through the raw exports (wasm-raw.ts).
     */
    query(sql, bind, row) {
        let s = this.cache.get(sql);
        if (!s) {
            s = this.db.prepare(sql);
            if (this.cache.size >= wasm_CACHE) {
                const [oldest, stmt] = this.cache.entries().next().value;
                stmt.finalize();
                this.cache.delete(oldest);
            }
            this.cache.set(sql, s);
        }
        const raw = this.raw;
        const p = s.pointer;
        try {
            if (bind && bind.length > 0)
                raw.bind(p, bind);
            const out = [];
            // Read after the first step: a statement prepared again after a schema change may have other columns.
            let n = -1;
            let names;
            while (raw.step(this.db.pointer, p)) {
                if (n < 0)
                    n = raw.columnCount(p);
                out.push(row(raw.row(p, n), () => (names ??= raw.columnNames(p))));
            }
            return out;
        }
        finally {
            raw.reset(p);
        }
    }
    clearCache() {
        for (const s of this.cache.values())
            s.finalize();
        this.cache.clear();
    }
    control(sql) {
        const { capi, wasm } = this.sqlite3;
        const stmt = this.db.prepare(sql);
        const db = this.db.pointer;
        return {
            run: () => {
                const rc = wasm.exports.sqlite3_step(stmt.pointer);
                const error = rc === capi.SQLITE_DONE ? undefined : capi.sqlite3_errmsg(db);
                wasm.exports.sqlite3_reset(stmt.pointer);
                return error;
            },
            close: () => void stmt.finalize(),
        };
    }
    prepare(text, from) {
        const p = prepareAt(this.sqlite3, this.db.pointer, text, from);
        if (!p.ok)
            return p;
        return { ok: true, stmt: p.stmt ? new WasmStmt(this.sqlite3, this.db.pointer, p.stmt) : undefined, start: p.start, end: p.end };
    }
    prepareRange(text, start, end) {
        const { capi, wasm } = this.sqlite3;
        const copy = wasmCopy(this.sqlite3, text);
        const db = this.db.pointer;
        writePtr(wasm.heap8u(), copy.mem, 0);
        const rc = wasm.exports.sqlite3_prepare_v3(db, copy.sql + start, end - start, 0, copy.mem, 0);
        if (rc !== capi.SQLITE_OK) {
            const off = capi.sqlite3_error_offset(db);
            return { message: capi.sqlite3_errmsg(db), errorOffset: off >= 0 ? start + off : undefined };
        }
        const stmt = readPtr(wasm.heap8u(), copy.mem);
        return stmt ? { stmt: new WasmStmt(this.sqlite3, db, stmt) } : {};
    }
    withoutDoubleQuotedStrings(fn) {
        setDoubleQuotedStrings(this.sqlite3, this.db.pointer, false);
        try {
            return fn();
        }
        finally {
            setDoubleQuotedStrings(this.sqlite3, this.db.pointer, true);
        }
    }
    /**
     * Foreign key enforcement on or off. Unlike PRAGMA foreign_keys this takes effect inside a transaction,
     * which a schema change done by hand (alter.ts) needs.
     */
    setForeignKeys(on) {
        const { capi } = this.sqlite3;
        capi.sqlite3_db_config(this.db.pointer, capi.SQLITE_DBCONFIG_ENABLE_FKEY, on ? 1 : 0, 0);
    }
    /** Deferred foreign key violations of the open transaction (what makes its commit fail). */
    deferredViolations() {
        const { capi, wasm } = this.sqlite3;
        if (!this.status)
            this.status = wasm.alloc(8);
        const rc = capi.sqlite3_db_status(this.db.pointer, DBSTATUS_DEFERRED_FKS, this.status, this.status + 4, 0);
        return rc === capi.SQLITE_OK ? wasm.peek32(this.status) : 0;
    }
    /** Calls `fn` before every row change of the main database (undefined: stop). */
    onRowChange(fn) {
        const raw = this.raw;
        if (this.hook)
            raw.removePreupdateHook(this.db.pointer, this.hook);
        this.hook = 0;
        if (!fn)
            return;
        const { SQLITE_INSERT, SQLITE_DELETE, SQLITE_UPDATE } = this.sqlite3.capi;
        this.hook = raw.installPreupdateHook(this.db.pointer, (pDb, op, zDb, zTable, oldKey, newKey) => {
            if (!raw.isMain(zDb))
                return;
            const kind = op === SQLITE_INSERT ? 'insert' : op === SQLITE_DELETE ? 'delete' : op === SQLITE_UPDATE ? 'update' : undefined;
            if (!kind)
                return;
            fn({ op: kind, table: raw.text(zTable) ?? '', oldKey, newKey, values: (which) => raw.preupdate(pDb, which) });
        });
    }
    serialize() {
        return this.sqlite3.capi.sqlite3_js_db_export(this.db.pointer);
    }
    close() {
        this.clearCache();
        this.onRowChange(undefined);
        if (this.status)
            this.sqlite3.wasm.dealloc(this.status);
        this.status = 0;
        this.db.close();
    }
}
/**
 * A fresh in-memory database with D1's behaviour, for the replay (WasmDb) and the preflight (replay/sqlite.ts):
 * workerd accepts double-quoted strings (this build is compiled with DQS=0) and D1 always enforces foreign keys.
 */
function openD1Like(sqlite3) {
    const db = new sqlite3.oo1.DB(':memory:', 'c');
    setDoubleQuotedStrings(sqlite3, db.pointer, true);
    db.exec('PRAGMA foreign_keys = ON');
    return db;
}
/** Turns double-quoted string literals on or off for DML and DDL alike. */
function setDoubleQuotedStrings(sqlite3, db, on) {
    const { capi } = sqlite3;
    capi.sqlite3_db_config(db, capi.SQLITE_DBCONFIG_DQS_DML, on ? 1 : 0, 0);
    capi.sqlite3_db_config(db, capi.SQLITE_DBCONFIG_DQS_DDL, on ? 1 : 0, 0);
}
/**
 * Runs SQL without result rows and returns SQLite's error message, or undefined on success. Unlike oo1's
 * exec it neither throws nor logs a console warning for an expected failure.
 */
function execOn(sqlite3, db, sql) {
    return rawValues(sqlite3).exec(db, sql);
}

;// CONCATENATED MODULE: ./build/src/replay/db/index.js
/**
 * Which SQLite the replay runs on: node:sqlite where the running Node has what the replay needs (native, so
 * much faster), else the WASM build. The WASM build is always there too: the data check and everything
 * node:sqlite cannot do exactly run on it (see node.ts), and it is loaded only when first needed.
 */




/**
 * `D1_MIGRATE_SQLITE=wasm` (or `node`) pins the backend: a diagnostic switch for the tests that compare the
 * two and for the bench, not an input (an unusable `node` falls back to the WASM build).
 */
const PINNED = process.env.D1_MIGRATE_SQLITE;
let fast;
/** The backend the replay starts on (`work`: what it will run, should that be the WASM build; see loadSqlite). */
async function replayBackend(work) {
    if (PINNED !== 'wasm') {
        fast ??= nodeBackend();
        const b = await fast;
        if (b)
            return b;
    }
    return wasmBackend(work);
}
/** The WASM build (the data check's, and the fallback for what node:sqlite cannot do exactly). */
function wasm(work) {
    return wasm_wasmBackend(work);
}

;// CONCATENATED MODULE: ./build/src/replay/statements.js
/**
 * SQL text as SQLite reads it: UTF-8 bytes, with the positions a message needs (line, column) and the
 * statement boundaries SQLite itself would find. The connections (db/*.ts) prepare statements from it; a
 * backend that needs its own copy of the bytes (the WASM build's memory) keeps it here until free().
 */

const statements_encoder = new TextEncoder();
const statements_decoder = new TextDecoder();
class SqlText {
    bytes;
    /** Byte offset where each line starts; computed when a position is first asked for. */
    lineStartsCache;
    /** Copies of the bytes owned by a backend, released with the text. */
    copies = new Map();
    constructor(text) {
        this.bytes = statements_encoder.encode(text);
    }
    get length() {
        return this.bytes.length;
    }
    get lineStarts() {
        if (!this.lineStartsCache) {
            const starts = [0];
            const b = this.bytes;
            for (let i = b.indexOf(0x0a); i !== -1; i = b.indexOf(0x0a, i + 1))
                starts.push(i + 1);
            this.lineStartsCache = starts;
        }
        return this.lineStartsCache;
    }
    /** 1-based line of a byte offset. */
    lineAt(offset) {
        const lineStarts = this.lineStarts;
        let lo = 0;
        let hi = lineStarts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (lineStarts[mid] <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo + 1;
    }
    /** 1-based column (in characters) of a byte offset. */
    columnAt(offset) {
        const lineStart = this.lineStarts[this.lineAt(offset) - 1];
        return statements_decoder.decode(this.bytes.subarray(lineStart, offset)).length + 1;
    }
    slice(start, end) {
        return statements_decoder.decode(this.bytes.subarray(start, end));
    }
    hasByte(start, end, byte) {
        // Search only [start, end): indexOf from `start` alone scans to the end of the file for every statement.
        return this.bytes.subarray(start, end).indexOf(byte) !== -1;
    }
    /** Offset of the first byte at or after `from` that is not whitespace, a comment or an empty `;`. */
    skipTrivia(from) {
        const b = this.bytes;
        let i = from;
        while (i < b.length) {
            const c = b[i];
            if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x3b)
                i++;
            else if (c === 0x2d && b[i + 1] === 0x2d) {
                while (i < b.length && b[i] !== 0x0a)
                    i++;
            }
            else if (c === 0x2f && b[i + 1] === 0x2a) {
                const close = findSeq(b, i + 2, 0x2a, 0x2f);
                i = close === -1 ? b.length : close + 2;
            }
            else
                break;
        }
        return i;
    }
    /**
     * End of the statement starting at `start` as sqlite3_complete() sees it: the first `;` after which the
     * statement is complete, found in one pass (src/sql/complete.ts; asking sqlite3_complete() about each
     * prefix was quadratic). Used where SQLite gave no tail (the statement did not prepare).
     */
    statementEnd(start) {
        return completeEnd(this.bytes, start);
    }
    /** The copy of the bytes that `owner` (a backend) keeps, made on first use. */
    copyFor(owner, make) {
        let copy = this.copies.get(owner);
        if (!copy) {
            copy = make();
            this.copies.set(owner, copy);
        }
        return copy;
    }
    free() {
        for (const c of this.copies.values())
            c.free();
        this.copies.clear();
    }
}
function findSeq(b, from, c1, c2) {
    for (let i = from; i + 1 < b.length; i++)
        if (b[i] === c1 && b[i + 1] === c2)
            return i;
    return -1;
}
/** SQLite messages that mean the text does not parse, as opposed to naming something that does not exist. */
function isParseError(message) {
    return /^near ".*": syntax error$|^incomplete input$|^unrecognized token:|^syntax error/s.test(message);
}
/** The first line of a statement, for messages (without a trailing `;`, cut at 100 characters). */
function firstLine(sql) {
    const line = sql.trim().split(/\r?\n/)[0].trim().replace(/;$/, '');
    return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
/**
 * The one statement loop of the replay and the data check: prepares each statement of `text` from `from` in
 * turn on `db` and hands it to `visit` (then finalizes it), until `visit` returns a value, a statement does
 * not prepare, or only comments remain.
 */
function eachStatement(db, text, from, visit) {
    for (let offset = from;;) {
        const p = db.prepare(text, offset);
        if (!p.ok)
            return { failed: p };
        if (!p.stmt)
            return { done: true };
        offset = p.end;
        let result;
        try {
            result = visit(p.stmt, p.start, p.end);
        }
        finally {
            p.stmt.finalize();
        }
        if (result !== undefined)
            return { stopped: result, start: p.start, end: p.end };
    }
}

;// CONCATENATED MODULE: ./build/src/replay/wrangler-text.js
/**
 * The exact text wrangler 4.86 sends for one migration (packages/wrangler/src/d1/migrations/apply.ts,
 * helpers.ts, trimmer.ts), so the replay fails exactly where `wrangler d1 migrations apply --local` does.
 */
/** wrangler's initMigrationsTable statement; the table name is not quoted before wrangler 4.106. */
function createMigrationsTableSql(table) {
    return `CREATE TABLE IF NOT EXISTS ${table}(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`;
}
/**
 * The bookkeeping wrangler appends to the file. The name is interpolated unescaped (wrangler < 4.106), so a
 * `'` in a file name breaks the INSERT — that is what the pinned wrangler does, so the replay does it too.
 */
function bookkeepingSql(table, name) {
    return `
								INSERT INTO ${table} (name)
								values ('${name}');
						`;
}
const SEVERAL_TRANSACTIONS_MESSAGE = 'Wrangler could not process the provided SQL file, as it contains several transactions.\nD1 runs your SQL in a transaction for you.\nPlease export an SQL file from your SQLite database and try again.';
/**
 * Local wrangler's trimSqlQuery: if the text mentions `BEGIN TRANSACTION` anywhere (comments included), it
 * removes the first literal `BEGIN TRANSACTION;` and the first literal `COMMIT;`, and refuses the file if
 * `BEGIN TRANSACTION` still occurs. Removed text is replaced by spaces rather than deleted so byte offsets
 * and lines stay those of the file.
 */
function wranglerTrim(sql) {
    const marker = 'BEGIN TRANSACTION';
    if (!sql.includes(marker))
        return { ok: true, sql };
    const blank = (s, what) => {
        const i = s.indexOf(what);
        return i === -1 ? s : s.slice(0, i) + ' '.repeat(what.length) + s.slice(i + what.length);
    };
    const trimmed = blank(blank(sql, 'BEGIN TRANSACTION;'), 'COMMIT;');
    const left = trimmed.indexOf(marker);
    return left === -1 ? { ok: true, sql: trimmed } : { ok: false, index: left };
}
/**
 * The file as wrangler sends it: BOM dropped (wrangler's splitter trims each statement with String#trim), its
 * bookkeeping INSERT appended; `bookStart` is the byte offset of that INSERT.
 */
function wranglerFileText(file, migrationsTable) {
    const body = file.sql.charCodeAt(0) === 0xfeff ? file.sql.slice(1) : file.sql;
    return { full: body + bookkeepingSql(migrationsTable, file.name), bookStart: Buffer.byteLength(body, 'utf8') };
}

;// CONCATENATED MODULE: ./build/src/replay/data/tables.js
const json = (names) => JSON.stringify([...names].map((n) => n.toLowerCase()));
const VIRTUAL = /^CREATE\s+VIRTUAL\s/i;
/**
 * The kind of each sqlite_schema row: a virtual table, one of a virtual table's shadow tables (named
 * `<virtual>_...`), a view or an ordinary table. Virtual tables among `rows` are added to `virtuals` first,
 * so shadow tables created with them are recognised; `virtuals` carries the ones known from before.
 */
function classifyObjects(rows, virtuals) {
    for (const r of rows)
        if (r.type === 'table' && VIRTUAL.test(r.sql))
            virtuals.add(r.name.toLowerCase());
    const out = new Map();
    for (const r of rows) {
        const lower = r.name.toLowerCase();
        const kind = r.type === 'view' ? 'view' : virtuals.has(lower) ? 'virtual' : [...virtuals].some((v) => lower.startsWith(`${v}_`)) ? 'shadow' : 'table';
        out.set(lower, { name: r.name, kind, sql: r.sql });
    }
    return out;
}
/**
 * Tables and views among `names` (compared case-insensitively), with their kind (see classifyObjects). Read
 * from sqlite_schema, filtered inside SQLite: pragma_table_list would inspect every table on each call.
 */
function existingObjects(db, names, virtuals = new Set()) {
    const list = [...names];
    if (list.length === 0)
        return new Map();
    const rows = db.rows(`SELECT name, type, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND lower(name) IN (SELECT value FROM json_each(?1))`, [json(list)]);
    return classifyObjects(rows.map(([name, type, sql]) => ({ name: String(name), type: String(type), sql: String(sql ?? '') })), virtuals);
}
/** Triggers on any of `tables` (views included: INSTEAD OF triggers). */
function triggersOn(db, tables) {
    return db
        .objects(`SELECT name, tbl_name AS tbl, sql FROM sqlite_schema WHERE type = 'trigger' AND lower(tbl_name) IN (SELECT value FROM json_each(?1))`, [json(tables)])
        .map((r) => ({ name: String(r.name), table: String(r.tbl), sql: String(r.sql ?? '') }));
}
function readTableMeta(db, name, sql) {
    // The table options follow the closing parenthesis: `) WITHOUT ROWID, STRICT`.
    const options = /\)\s*([A-Za-z_,\s]*)$/.exec(sql)?.[1]?.toUpperCase() ?? '';
    // One query for columns (c), foreign keys (f) and UNIQUE indexes (u): each prepare costs more than the rows.
    const rows = db.rows(`SELECT 'c', name, type, "notnull", dflt_value, pk, hidden, NULL FROM pragma_table_xinfo(?1)
     UNION ALL SELECT 'f', id, "table", "from", "to", upper(on_delete), upper(on_update), seq FROM pragma_foreign_key_list(?1)
     UNION ALL SELECT 'u', il.name, ii.name, NULL, NULL, NULL, NULL, ii.seqno FROM pragma_index_list(?1) AS il JOIN pragma_index_info(il.name) AS ii WHERE il."unique" = 1`, [name]);
    const columns = [];
    const fks = new Map();
    const uniques = new Map();
    for (const r of rows) {
        if (r[0] === 'c') {
            if (Number(r[6]) !== 0)
                continue;
            columns.push({ name: String(r[1]), type: String(r[2] ?? ''), notNull: Number(r[3]) === 1, dflt: r[4] === null || r[4] === undefined ? null : String(r[4]), pk: Number(r[5]) });
        }
        else if (r[0] === 'f') {
            const id = Number(r[1]);
            const fk = fks.get(id) ?? { id, parent: String(r[2]), from: [], to: [], onDelete: String(r[5]), onUpdate: String(r[6]) };
            fk.from.push(String(r[3]));
            fk.to.push(r[4] === null || r[4] === undefined ? null : String(r[4]));
            fks.set(id, fk);
        }
        else if (r[2] !== null) {
            const cols = uniques.get(String(r[1])) ?? [];
            cols.push(String(r[2]));
            uniques.set(String(r[1]), cols);
        }
    }
    const pkCols = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const withoutRowid = /WITHOUT\s+ROWID/.test(options);
    if (pkCols.length > 0)
        uniques.set('(primary key)', pkCols.map((c) => c.name));
    const rowidAlias = !withoutRowid && pkCols.length === 1 && pkCols[0].type.toUpperCase() === 'INTEGER' && !/\bPRIMARY\s+KEY\s+DESC\b/i.test(sql) ? pkCols[0].name : undefined;
    return { name, sql, withoutRowid, strict: /\bSTRICT\b/.test(options), columns, fks: [...fks.values()], uniques: [...uniques.values()], ...(rowidAlias && { rowidAlias }) };
}
/** A SQL identifier, double-quoted. */
function tables_q(name) {
    return `"${name.replace(/"/g, '""')}"`;
}

;// CONCATENATED MODULE: ./build/src/replay/data/fill.js
/**
 * Puts synthetic rows into tables so a migration meets a database that has data. Values are found by trying
 * them: SQLite is the judge of CHECK, NOT NULL, UNIQUE, types and foreign keys, and its error message says
 * which columns to vary next.
 */


/** Rows added to each table: enough for UNIQUE and one-to-one references to matter. */
const SYNTHETIC_ROWS = 2;
const MAX_ATTEMPTS = 80;
/** Omit the column from the INSERT so its DEFAULT (or NULL) applies. */
const DEFAULT = '\u0000default';
/** SQLite's rules for a column's affinity from its declared type (datatype3.html, 3.1). */
function affinity(type) {
    const t = type.toUpperCase();
    if (t.includes('INT'))
        return 'INTEGER';
    if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT'))
        return 'TEXT';
    if (t.includes('BLOB') || t === '')
        return 'BLOB';
    if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB'))
        return 'REAL';
    return 'NUMERIC';
}
const sqlString = (s) => `'${s.replace(/'/g, "''")}'`;
class Filler {
    db;
    counter = 0;
    meta = new Map();
    /** VALUES that worked for a table, by its CREATE statement: a table rebuilt the same way is filled the same way. */
    plans = new Map();
    constructor(db) {
        this.db = db;
    }
    /** What decides the values it picks next (for the replay cache). */
    state() {
        return { counter: this.counter, plans: [...this.plans] };
    }
    /** A filler that goes on from `state`. */
    static restore(db, state) {
        const f = new Filler(db);
        f.counter = state.counter;
        f.plans = new Map(state.plans);
        return f;
    }
    /** The same filler (values, counter) for another database. */
    rebind(db) {
        const f = new Filler(db);
        f.counter = this.counter;
        f.plans = this.plans;
        return f;
    }
    /** Facts of a table as it is now (cached while its CREATE statement is unchanged). */
    tableMeta(lower, sql, name) {
        const cached = this.meta.get(lower);
        if (cached && cached.sql === sql && cached.name === name)
            return cached;
        const m = readTableMeta(this.db, name, sql);
        this.meta.set(lower, m);
        return m;
    }
    /**
     * Fills `tables` (lower-cased name → real name) and, parents first, every table they reference that
     * `hasRows` does not vouch for.
     */
    fill(tables, hasRows) {
        const filled = new Set();
        const uncovered = new Map();
        // Close over parents. A parent the caller vouches for and that has rows needs nothing: checking that is
        // a lookup by name, while reading a table's CREATE statement scans the whole schema.
        const metas = new Map();
        const settled = new Set();
        let frontier = new Map();
        for (const [lower, t] of tables) {
            const m = this.tableMeta(lower, t.sql, t.name);
            metas.set(lower, m);
            for (const fk of m.fks)
                frontier.set(fk.parent.toLowerCase(), fk.parent);
        }
        while (frontier.size > 0) {
            for (const p of [...frontier.keys()]) {
                if (metas.has(p) || settled.has(p) || (hasRows(p) && this.hasRows(frontier.get(p)))) {
                    settled.add(p);
                    frontier.delete(p);
                }
            }
            if (frontier.size === 0)
                break;
            const found = existingObjects(this.db, frontier.keys());
            const next = new Map();
            for (const [lower, name] of frontier) {
                const sql = found.get(lower)?.sql;
                settled.add(lower);
                if (sql === undefined)
                    continue;
                const m = this.tableMeta(lower, sql, name);
                metas.set(lower, m);
                for (const fk of m.fks)
                    next.set(fk.parent.toLowerCase(), fk.parent);
            }
            frontier = next;
        }
        // Parents first (depth-first post-order); an edge back into the current path is a cycle.
        const order = [];
        const state = new Map();
        const visit = (t) => {
            if (state.has(t))
                return;
            state.set(t, 'visiting');
            for (const fk of metas.get(t)?.fks ?? []) {
                const p = fk.parent.toLowerCase();
                if (p !== t && metas.has(p))
                    visit(p);
            }
            state.set(t, 'done');
            order.push(t);
        };
        for (const t of [...metas.keys()].sort())
            visit(t);
        for (const lower of order) {
            const m = metas.get(lower);
            const reason = this.fillTable(m);
            if (reason === undefined)
                filled.add(lower);
            else
                uncovered.set(lower, [m.name, reason]);
        }
        // Parents were filled for the sake of their children; only the tables asked for count as uncovered.
        for (const t of [...uncovered.keys()])
            if (!tables.has(t))
                uncovered.delete(t);
        return { filled, uncovered };
    }
    /** Adds SYNTHETIC_ROWS rows; returns why it could not, or undefined. */
    fillTable(m) {
        const plan = this.plans.get(m.sql);
        if (plan && plan.rows.every((row) => this.insert(m, plan.columns, row) === undefined))
            return undefined;
        if (plan) {
            // The cached values no longer fit (a parent row is gone, a trigger objects): find new ones.
            this.plans.delete(m.sql);
            return this.fillTable(m);
        }
        const rows = [];
        const columns = m.columns.map((c) => c.name);
        let previous;
        for (let r = 0; r < SYNTHETIC_ROWS; r++) {
            const found = this.findRow(m, r, previous);
            if (typeof found === 'string')
                return found;
            rows.push(found);
            previous = found;
        }
        this.plans.set(m.sql, { columns, rows });
        return undefined;
    }
    insert(m, columns, values) {
        const cols = [];
        const vals = [];
        values.forEach((v, i) => {
            if (v !== DEFAULT) {
                cols.push(tables_q(columns[i]));
                vals.push(v);
            }
        });
        const sql = cols.length ? `INSERT INTO ${tables_q(m.name)} (${cols.join(', ')}) VALUES (${vals.join(', ')})` : `INSERT INTO ${tables_q(m.name)} DEFAULT VALUES`;
        return this.db.tryExec(sql);
    }
    /** One row that SQLite accepts, as literals per column (DEFAULT = omitted); or the reason none was found. */
    findRow(m, r, previous) {
        const fkOf = new Map();
        for (const fk of m.fks)
            fk.from.forEach((c, pos) => fkOf.set(c.toLowerCase(), { fk, pos }));
        // Literals of the table's SQL (CHECK lists...) are only needed once a first row is rejected.
        let literals = [];
        const unique = new Set(m.uniques.flat().map((c) => c.toLowerCase()));
        // Values of each foreign key, from existing parent rows (one parent row per child row where possible).
        const fkValues = new Map();
        for (const fk of m.fks) {
            const parent = fk.parent.toLowerCase();
            const nullable = fk.from.every((c) => !m.columns.find((x) => x.name.toLowerCase() === c.toLowerCase())?.notNull);
            if (parent === m.name.toLowerCase()) {
                fkValues.set(fk.id, []); // self-reference: resolved per row below
                continue;
            }
            const options = [];
            const to = this.targetColumns(fk);
            if (to) {
                try {
                    const rows = this.db.rows(`SELECT ${to.map((c) => `quote(${tables_q(c)})`).join(', ')} FROM ${tables_q(fk.parent)} WHERE ${to.map((c) => `${tables_q(c)} IS NOT NULL`).join(' AND ')} LIMIT ${SYNTHETIC_ROWS * 2}`);
                    for (const row of rows)
                        options.push(row.map(String));
                }
                catch {
                    // The parent table or column does not exist (a dangling reference): no row can point at it.
                }
            }
            if (options.length === 0 && !nullable)
                return `its parent table ${fk.parent} has no rows to point at (it could not be filled)`;
            // Each child row points at a different parent row first (UNIQUE one-to-one keys), NULL as a last resort.
            const rotated = options.length ? [...options.slice(r % options.length), ...options.slice(0, r % options.length)] : [];
            if (nullable)
                rotated.push(fk.from.map(() => 'NULL'));
            fkValues.set(fk.id, rotated);
        }
        const build = () => m.columns.map((c) => {
            const f = fkOf.get(c.name.toLowerCase());
            if (f) {
                if (f.fk.parent.toLowerCase() === m.name.toLowerCase())
                    return this.selfReference(m, f.fk, f.pos, c, previous);
                return (fkValues.get(f.fk.id) ?? []).map((row) => row[f.pos]);
            }
            return this.candidates(m, c, unique.has(c.name.toLowerCase()), literals);
        });
        let cands = build();
        const idx = m.columns.map(() => 0);
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            const values = cands.map((list, i) => list[Math.min(idx[i], list.length - 1)] ?? DEFAULT);
            this.resolveSelf(m, values);
            const error = this.insert(m, m.columns.map((c) => c.name), values);
            if (error === undefined)
                return values;
            if (attempt === 0) {
                literals = literalsOf(m.sql);
                cands = build();
            }
            const blamed = this.blame(m, error);
            if (blamed === undefined)
                return `SQLite rejected every row tried: ${error}`;
            if (!advance(idx, cands, blamed))
                return `no value satisfies it: ${error}`;
        }
        return `no row satisfied its constraints after ${MAX_ATTEMPTS} tries`;
    }
    /** Whether a table has a row (false when it does not exist). */
    hasRows(table) {
        try {
            return this.db.rows(`SELECT EXISTS (SELECT 1 FROM ${tables_q(table)})`)[0]?.[0] === 1;
        }
        catch {
            return false;
        }
    }
    /** The parent columns a key points at: as listed, or the parent's primary key. */
    targetColumns(fk) {
        if (fk.to.every((c) => c !== null))
            return fk.to;
        const pk = this.db.rows(`SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk`, [fk.parent]).map((r) => String(r[0]));
        return pk.length === fk.from.length ? pk : undefined;
    }
    /** A self-reference: NULL when allowed, else the row's own key (row 0) or the previous row's (row 1). */
    selfReference(m, fk, pos, c, previous) {
        const out = [];
        const to = fk.to[pos] ?? m.columns.filter((x) => x.pk > 0).sort((a, b) => a.pk - b.pk)[pos]?.name;
        if (previous && to) {
            const i = m.columns.findIndex((x) => x.name.toLowerCase() === to.toLowerCase());
            const value = previous[i];
            if (value !== undefined && value !== DEFAULT)
                out.push(value);
        }
        if (!c.notNull)
            out.push('NULL');
        if (to)
            out.push(`${SELF_MARK}${to}`);
        return out;
    }
    /** Replaces "same row's column X" markers by that column's value in the row being built. */
    resolveSelf(m, values) {
        values.forEach((v, i) => {
            if (!v.startsWith(SELF_MARK))
                return;
            const to = v.slice(SELF_MARK.length).toLowerCase();
            const j = m.columns.findIndex((x) => x.name.toLowerCase() === to);
            const same = values[j];
            values[i] = same !== undefined && !same.startsWith(SELF_MARK) && same !== DEFAULT ? same : 'NULL';
        });
    }
    /** Values to try for an ordinary column, most plausible first. */
    candidates(m, c, unique, literals) {
        const n = ++this.counter;
        const aff = m.strict ? strictAffinity(c.type) : affinity(c.type);
        const out = [];
        if (m.rowidAlias && c.name === m.rowidAlias) {
            // Negative rowids: rows a migration inserts without an id still get max(rowid) + 1 of the real rows,
            // and explicit small ids in seed data do not collide with synthetic ones.
            out.push(String(-(1_000_000 + n)), String(1_000_000_000 + n));
            return out;
        }
        const typed = typedValue(c, aff, n);
        const withDefault = c.dflt !== null && !unique && c.pk === 0;
        if (withDefault)
            out.push(DEFAULT);
        out.push(...typed);
        for (const l of literals)
            if (!out.includes(l))
                out.push(l);
        for (const v of alternatives(aff, n))
            if (!out.includes(v))
                out.push(v);
        if (!withDefault && c.dflt !== null)
            out.push(DEFAULT);
        if (!c.notNull && c.pk === 0)
            out.push('NULL');
        return out;
    }
    /** Column indexes an error message blames, or undefined when retrying cannot help. */
    blame(m, error) {
        const index = (name) => m.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
        let match = /^(?:NOT NULL|UNIQUE) constraint failed: (.+)$/.exec(error);
        if (match) {
            const cols = match[1].split(', ').map((s) => index(s.slice(s.indexOf('.') + 1))).filter((i) => i >= 0);
            return cols.length ? cols : undefined;
        }
        match = /^CHECK constraint failed: (.+)$/s.exec(error);
        if (match) {
            const expr = checkText(m.sql, match[1]);
            const words = new Set();
            for (const t of tokenize(expr))
                if (t.kind !== 'string' && t.kind !== 'number')
                    words.add(t.value.toLowerCase());
            const cols = m.columns.map((c, i) => (words.has(c.name.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
            return cols.length ? cols : m.columns.map((_, i) => i);
        }
        if (/^FOREIGN KEY constraint failed/.test(error)) {
            const cols = m.columns.map((c, i) => (m.fks.some((fk) => fk.from.some((f) => f.toLowerCase() === c.name.toLowerCase())) ? i : -1)).filter((i) => i >= 0);
            return cols.length ? cols : undefined;
        }
        if (/datatype mismatch|cannot store/.test(error))
            return m.columns.map((_, i) => i);
        return undefined;
    }
}
/** "The value of column X of the same row", resolved once the row's other values are chosen. */
const SELF_MARK = '\u0002';
/**
 * Odometer over the blamed columns: the first blamed column moves to its next candidate; when it runs out
 * it starts again and the next one moves. False when every combination has been tried.
 */
function advance(idx, cands, blamed) {
    for (const i of blamed) {
        if (idx[i] + 1 < cands[i].length) {
            idx[i]++;
            return true;
        }
        idx[i] = 0;
    }
    return false;
}
/** The text of the CHECK SQLite names in its error: the expression itself, or the named constraint's. */
function checkText(sql, named) {
    const m = new RegExp(`CONSTRAINT\\s+["\`\\[]?${named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["\`\\]]?\\s+CHECK\\s*\\(`, 'i').exec(sql);
    if (!m)
        return named;
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < sql.length && depth > 0; i++) {
        if (sql[i] === '(')
            depth++;
        else if (sql[i] === ')')
            depth--;
    }
    return sql.slice(start, i - 1);
}
/** String and number literals of a CREATE TABLE (CHECK lists, defaults): likely values for its columns. */
function literalsOf(sql) {
    const out = new Set();
    for (const t of tokenize(sql)) {
        if (t.kind === 'string' || t.kind === 'number')
            out.add(t.text);
        if (out.size >= 24)
            break;
    }
    return [...out];
}
/** A STRICT table's column type as an affinity (STRICT allows INT, INTEGER, REAL, TEXT, BLOB and ANY). */
function strictAffinity(type) {
    switch (type.toUpperCase()) {
        case 'INT':
        case 'INTEGER':
            return 'INTEGER';
        case 'REAL':
            return 'REAL';
        case 'TEXT':
            return 'TEXT';
        case 'BLOB':
            return 'BLOB';
        default:
            return 'NUMERIC';
    }
}
function pad(n, w) {
    return String(n).padStart(w, '0');
}
/** A distinct value of the column's type, shaped by its name where that is a strong hint. */
function typedValue(c, aff, n) {
    const name = c.name.toLowerCase();
    const type = c.type.toUpperCase();
    const date = `2024-${pad((n % 12) + 1, 2)}-${pad((n % 28) + 1, 2)} 12:${pad(n % 60, 2)}:00`;
    switch (aff) {
        case 'INTEGER':
            if (/(^|_)(at|on|time|timestamp|date|ts)$/.test(name))
                return [String(1_700_000_000 + n)];
            return [String(1_000_000 + n)];
        case 'REAL':
            return [`${n}.5`];
        case 'NUMERIC':
            if (/DATE|TIME/.test(type))
                return [sqlString(date)];
            if (/BOOL/.test(type))
                return [String(n % 2)];
            return [String(n)];
        case 'BLOB':
            if (c.type === '')
                return [sqlString(`syn-${n}`)];
            return [`x'${pad(n.toString(16), 8)}'`];
        case 'TEXT':
        default:
            if (/e_?mail/.test(name))
                return [sqlString(`syn${n}@example.com`)];
            if (/(^|_)(url|uri|link|href|website)$/.test(name))
                return [sqlString(`https://example.com/syn/${n}`)];
            if (/(^|_)(at|on|date|time|timestamp)$/.test(name))
                return [sqlString(date)];
            if (/(^|_)(json|meta|metadata|data|settings|config|payload|attributes|properties)$/.test(name))
                return [sqlString(`{"syn":${n}}`)];
            if (/(^|_)(id|uuid|guid)$/.test(name) || name === 'id')
                return [sqlString(`00000000-0000-4000-8000-${pad(n.toString(16), 12)}`)];
            return [sqlString(`syn-${n}`)];
    }
}
/** Other shapes to try when the first value is rejected (dates, JSON, booleans, short codes). */
function alternatives(aff, n) {
    const common = ['0', '1', sqlString(`2024-01-01T00:00:${pad(n % 60, 2)}.000Z`), sqlString('{}'), sqlString('[]'), sqlString(`syn${n}@example.com`), sqlString(`00000000-0000-4000-8000-${pad(n.toString(16), 12)}`), sqlString(String(n)), sqlString(''), `x'00'`];
    if (aff === 'INTEGER' || aff === 'REAL' || aff === 'NUMERIC')
        return ['0', '1', String(n), '-1', ...common.slice(2)];
    return common;
}

;// CONCATENATED MODULE: ./build/src/replay/data/boundary.js


/** The boundary values a table's schema allows, NULLs first (the case the issue is about). */
function boundaryFills(m) {
    const unique = new Set(m.uniques.flat().map((c) => c.toLowerCase()));
    const keyed = new Set(m.fks.flatMap((fk) => fk.from.map((c) => c.toLowerCase())));
    const nulls = [];
    const others = [];
    for (const c of m.columns) {
        const lower = c.name.toLowerCase();
        if (c.pk > 0 || c.name === m.rowidAlias)
            continue;
        if (!c.notNull) {
            nulls.push({ table: m.name, column: c.name, value: 'NULL' });
            continue;
        }
        // The same value in every row would break a UNIQUE column, and '' or 0 points at no parent row.
        if (unique.has(lower) || keyed.has(lower))
            continue;
        const aff = m.strict ? strictAffinity(c.type) : affinity(c.type);
        if (aff === 'TEXT')
            others.push({ table: m.name, column: c.name, value: "''" });
        else if (aff === 'INTEGER' || aff === 'REAL' || aff === 'NUMERIC')
            others.push({ table: m.name, column: c.name, value: '0' });
    }
    return [...nulls, ...others];
}
/**
 * The order to try single values in, to name the one that broke a file: those whose column (and table) the
 * error names first (`NOT NULL constraint failed: __new_t.grade` names grade of t), then NULLs.
 */
function suspects(fills, message) {
    const words = new Set((message.match(/[A-Za-z_][A-Za-z0-9_$]*/g) ?? []).map((w) => w.toLowerCase()));
    const text = message.toLowerCase();
    const score = (f) => (words.has(f.column.toLowerCase()) ? 4 : 0) + (text.includes(f.table.toLowerCase()) ? 2 : 0) + (f.value === 'NULL' ? 1 : 0);
    return fills.map((f, i) => ({ f, i, s: score(f) })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.f);
}
/** The fills as SQL, one UPDATE per value (to put them into a real database's rows). */
function fillSql(fills) {
    return fills.map((f) => `UPDATE ${q(f.table)} SET ${q(f.column)} = ${f.value};`).join('\n');
}
/** `NULL in submissions.grade`, `'' in users.name`. */
function describeFill(f) {
    return `${f.value} in ${f.table}.${f.column}`;
}
/** fails-with-data for a file that applies with every column filled but not with `fills` in every row. */
function boundaryFinding(file, failure, fills) {
    const msg = failure.message;
    const head = failure.at?.facts.head;
    const shown = fills.slice(0, 6).map(describeFill).join(', ');
    const what = fills.length === 1 ? shown : `${shown}${fills.length > 6 ? ` and ${fills.length - 6} more` : ''} (together)`;
    const only = fills.length === 1 ? fills[0] : undefined;
    const allows = only ? `which ${only.table} allows today` : 'values the tables allow today';
    // A UNIQUE column fails on the second row holding the value; everything else on the first.
    const [once, asSoon] = /^UNIQUE constraint failed/.test(msg) ? ['rows hold', 'two rows hold'] : ['a row holds', 'one row holds'];
    let hint = '';
    if (/^NOT NULL constraint failed/.test(msg)) {
        const nulled = fills.find((f) => f.value === 'NULL');
        const col = nulled ? nulled.column : 'the column';
        hint =
            ` The copy carries NULL into a column that no longer allows it (a DEFAULT does not apply to an explicit NULL): copy COALESCE(${col}, <value>) instead` +
                `${nulled ? `, or first UPDATE ${nulled.table} SET ${nulled.column} = <value> WHERE ${nulled.column} IS NULL` : ''}.`;
    }
    else if (/^UNIQUE constraint failed/.test(msg)) {
        hint = ' Rows holding that same value collide in a UNIQUE column of the copy: make the values distinct first (or copy NULL, which UNIQUE allows any number of times), or keep the column non-unique.';
    }
    else if (/^CHECK constraint failed/.test(msg)) {
        hint = ' A CHECK of the copy rejects a value the current table accepts: fix such rows first (UPDATE … WHERE …), or convert the value in the copy.';
    }
    else if (/FOREIGN KEY constraint failed/.test(msg)) {
        hint = ' The copied value points at no parent row (e.g. a COALESCE to 0 or \'\'): copy NULL or a value that exists.';
    }
    return {
        rule: 'fails-with-data',
        file: file.relPath,
        ...(failure.at && { line: failure.at.line }),
        message: `Fails once ${once} ${what}, ${allows}: ${msg}${head ? ` at \`${head}\`` : ' when the file ends'}. ` +
            `With a value in every column the file applies, and so it does on an empty database (local tests); on D1, wrangler stops at this file and rolls it back as soon as ${asSoon} that value.${hint}`,
    };
}

;// CONCATENATED MODULE: ./build/src/replay/data/dump.js

/**
 * Every row of the ordinary tables as INSERT OR IGNORE statements, parents before children (rows the real
 * database already has are skipped).
 */
function dumpRows(db, filler, virtuals, internal) {
    const rows = db.rows(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY rowid`).map(([name, sql]) => ({ name: String(name), type: 'table', sql: String(sql ?? '') }));
    const tables = [...classifyObjects(rows, virtuals).values()].filter((t) => t.kind === 'table' && !internal(t.name.toLowerCase()));
    const metas = new Map(tables.map((t) => [t.name.toLowerCase(), filler.tableMeta(t.name.toLowerCase(), t.sql, t.name)]));
    const order = [];
    const seen = new Set();
    const visit = (lower) => {
        if (seen.has(lower) || !metas.has(lower))
            return;
        seen.add(lower);
        for (const fk of metas.get(lower).fks)
            visit(fk.parent.toLowerCase());
        order.push(lower);
    };
    for (const t of metas.keys())
        visit(t);
    const out = [];
    for (const lower of order) {
        const m = metas.get(lower);
        if (m.columns.length === 0)
            continue;
        const cols = m.columns.map((c) => tables_q(c.name)).join(', ');
        const values = m.columns.map((c) => `quote(${tables_q(c.name)})`).join(` || ', ' || `);
        for (const [row] of db.rows(`SELECT 'INSERT OR IGNORE INTO ${tables_q(m.name).replace(/'/g, "''")} (${cols.replace(/'/g, "''")}) VALUES (' || ${values} || ');' FROM ${tables_q(m.name)}`)) {
            out.push(String(row));
        }
    }
    return out.join('\n');
}

;// CONCATENATED MODULE: ./build/src/replay/data/analyse.js
/**
 * What the data check needs to know about a migration's statements before and after running them: which
 * tables a statement changes on purpose (so their row changes are not "lost"), whether it can behave
 * differently once tables hold rows, and every name it mentions (to bound the tables worth filling).
 */


/** Token kinds that can name a table (SQLite accepts a 'string' as a name in some places). */
const NAME_KINDS = new Set(['word', 'dquoted', 'bracketed', 'backticked', 'string']);
/** Significant tokens (no comments) of one statement. */
function significant(sql) {
    return tokenize(sql).filter((t) => t.kind !== 'comment');
}
/** Every identifier-like token of `sql`, lower-cased: a superset of the tables and views it can touch. */
function namesIn(sql, into = new Set()) {
    for (const t of tokenize(sql))
        if (NAME_KINDS.has(t.kind))
            into.add(t.value.toLowerCase());
    return into;
}
function isWord(t, ...words) {
    return !!t && t.kind === 'word' && words.includes(t.value);
}
function isPunct(t, text) {
    return !!t && t.kind === 'punct' && t.text === text;
}
/** A name as written (tokenize upper-cases words), unquoted. */
function spelling(t) {
    return t.kind === 'word' ? t.text : t.value;
}
/** The unquoted name at `i`, skipping `schema.`; returns the name and the index after it. */
function nameAt(tokens, i) {
    const t = tokens[i];
    if (!t || !NAME_KINDS.has(t.kind))
        return undefined;
    const after = tokens[i + 2];
    if (isPunct(tokens[i + 1], '.') && after && NAME_KINDS.has(after.kind))
        return { name: spelling(after), next: i + 3 };
    return { name: spelling(t), next: i + 1 };
}
/** Index after a balanced parenthesised group starting at `i` (which must be '('). */
function skipGroup(tokens, i) {
    let depth = 0;
    for (let k = i; k < tokens.length; k++) {
        if (isPunct(tokens[k], '('))
            depth++;
        else if (isPunct(tokens[k], ')') && --depth === 0)
            return k + 1;
    }
    return tokens.length;
}
/**
 * Index of the verb after a WITH clause starting at `from` (`WITH [RECURSIVE] x [(cols)] AS [[NOT] MATERIALIZED]
 * (...), ...`); `from` itself when there is none.
 */
function skipWith(tokens, from = 0) {
    if (!isWord(tokens[from], 'WITH'))
        return from;
    let i = isWord(tokens[from + 1], 'RECURSIVE') ? from + 2 : from + 1;
    for (;;) {
        i++; // the CTE name
        if (isPunct(tokens[i], '('))
            i = skipGroup(tokens, i);
        if (isWord(tokens[i], 'AS'))
            i++;
        if (isWord(tokens[i], 'NOT'))
            i++;
        if (isWord(tokens[i], 'MATERIALIZED'))
            i++;
        if (isPunct(tokens[i], '('))
            i = skipGroup(tokens, i);
        if (isPunct(tokens[i], ',')) {
            i++;
            continue;
        }
        return i;
    }
}
/** Statements that read or write no row (the replay stops at transaction control, ATTACH and VACUUM). */
const ROWLESS_VERBS = new Set(['PRAGMA', 'ANALYZE', 'REINDEX', 'EXPLAIN', 'BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'ATTACH', 'DETACH', 'VACUUM']);
function analyseStatement(sql) {
    return analyseTokens(significant(sql), sql);
}
/** analyseStatement() for a statement already tokenized (significant tokens only). */
function analyseTokens(tokens, sql) {
    const head = firstLine(sql);
    const facts = { targets: [], dataDependent: false, replace: false, head };
    const v = skipWith(tokens);
    const verb = tokens[v]?.kind === 'word' ? tokens[v].value : '';
    switch (verb) {
        case 'DELETE': {
            const n = nameAt(tokens, isWord(tokens[v + 1], 'FROM') ? v + 2 : v + 1);
            facts.dataDependent = true;
            if (n) {
                facts.targets.push({ table: n.name, how: 'delete' });
                facts.writes = n.name;
            }
            return facts;
        }
        case 'UPDATE': {
            let i = v + 1;
            if (isWord(tokens[i], 'OR')) {
                facts.replace = isWord(tokens[i + 1], 'REPLACE');
                i += 2;
            }
            const n = nameAt(tokens, i);
            facts.dataDependent = true;
            if (n) {
                facts.targets.push({ table: n.name, how: 'update' });
                facts.writes = n.name;
            }
            return facts;
        }
        case 'INSERT':
        case 'REPLACE': {
            let i = v + 1;
            if (verb === 'REPLACE')
                facts.replace = true;
            if (isWord(tokens[i], 'OR')) {
                facts.replace = isWord(tokens[i + 1], 'REPLACE');
                i += 2;
            }
            if (isWord(tokens[i], 'INTO'))
                i++;
            const n = nameAt(tokens, i);
            facts.dataDependent = true;
            if (n) {
                facts.writes = n.name;
                let k = isWord(tokens[n.next], 'AS') ? n.next + 2 : n.next;
                if (isPunct(tokens[k], '('))
                    k = skipGroup(tokens, k);
                facts.copy = isWord(tokens[k], 'SELECT', 'WITH');
                // An upsert's DO UPDATE changes existing rows on purpose, like an UPDATE.
                const doUpdate = tokens.some((t, k) => isWord(t, 'DO') && isWord(tokens[k + 1], 'UPDATE'));
                if (doUpdate)
                    facts.targets.push({ table: n.name, how: 'upsert' });
                // Rows given literally: they meet other rows only through the table's triggers and constraints.
                facts.plainInsert = !facts.replace && !doUpdate && !tokens.some((t) => isWord(t, 'SELECT'));
            }
            return facts;
        }
        case 'DROP': {
            if (isWord(tokens[v + 1], 'INDEX')) {
                const n = nameAt(tokens, isWord(tokens[v + 2], 'IF') && isWord(tokens[v + 3], 'EXISTS') ? v + 4 : v + 2);
                if (n)
                    facts.index = { name: n.name, drop: true };
                return facts;
            }
            if (!isWord(tokens[v + 1], 'TABLE'))
                return facts;
            const i = isWord(tokens[v + 2], 'IF') && isWord(tokens[v + 3], 'EXISTS') ? v + 4 : v + 2;
            const n = nameAt(tokens, i);
            // The implicit DELETE of DROP TABLE fires foreign key actions (D1 keeps foreign keys on).
            facts.dataDependent = true;
            if (n)
                facts.targets.push({ table: n.name, how: 'drop' });
            return facts;
        }
        case 'ALTER': {
            if (!isWord(tokens[v + 1], 'TABLE'))
                return facts;
            const n = nameAt(tokens, v + 2);
            if (!n)
                return facts;
            facts.targets.push({ table: n.name, how: 'alter' });
            const action = tokens[n.next];
            if (isWord(action, 'RENAME') && isWord(tokens[n.next + 1], 'TO')) {
                const to = nameAt(tokens, n.next + 2);
                if (to)
                    facts.rename = { from: n.name, to: to.name };
            }
            else if (isWord(action, 'ADD')) {
                // SQLite checks NOT NULL, CHECK, REFERENCES and generated columns of a new column against existing
                // rows only (since 3.37), so an empty table accepts what a filled one rejects; a default that is not a
                // constant, too. NOT NULL with a non-NULL constant default cannot fail: every row gets the default.
                const def = tokens.slice(n.next + 1);
                const risky = def.some((t) => isWord(t, 'CHECK', 'REFERENCES', 'GENERATED', 'AS', 'UNIQUE', 'PRIMARY', 'CURRENT_TIME', 'CURRENT_DATE', 'CURRENT_TIMESTAMP') || isPunct(t, '('));
                const notNull = def.some((t, i) => isWord(t, 'NOT') && isWord(def[i + 1], 'NULL'));
                const d = def.findIndex((t) => isWord(t, 'DEFAULT'));
                facts.dataDependent = risky || (notNull && (d === -1 || isWord(def[d + 1], 'NULL')));
                // A STRICT table also checks the default's type against existing rows (see file-facts.ts).
                if (!facts.dataDependent && d !== -1)
                    facts.addsDefaultTo = n.name;
            }
            return facts;
        }
        case 'CREATE': {
            let c = v + 1;
            if (isWord(tokens[c], 'TEMP', 'TEMPORARY'))
                c++;
            const virtual = isWord(tokens[c], 'VIRTUAL');
            if (virtual)
                c++;
            if (isWord(tokens[c], 'TABLE')) {
                const ifNotExists = isWord(tokens[c + 1], 'IF') && isWord(tokens[c + 2], 'NOT') && isWord(tokens[c + 3], 'EXISTS');
                if (ifNotExists)
                    c += 3;
                const n = nameAt(tokens, c + 1);
                if (n)
                    facts.creates = { table: n.name, virtual, ...(ifNotExists && { ifNotExists }) };
                // CREATE TABLE … AS SELECT reads rows (and evaluates its expressions on them).
                facts.dataDependent = !!n && isWord(tokens[n.next], 'AS');
                return facts;
            }
            const unique = isWord(tokens[v + 1], 'UNIQUE');
            const k = unique ? v + 2 : v + 1;
            if (!isWord(tokens[k], 'INDEX'))
                return facts;
            const n = nameAt(tokens, isWord(tokens[k + 1], 'IF') && isWord(tokens[k + 2], 'NOT') && isWord(tokens[k + 3], 'EXISTS') ? k + 4 : k + 1);
            if (n)
                facts.index = { name: n.name };
            // A UNIQUE index fails over duplicated values; an expression or partial index evaluates per row (and
            // can raise, e.g. json_extract of malformed JSON). A plain index over columns cannot fail on data.
            const on = tokens.findIndex((t, i) => i > k && isWord(t, 'ON'));
            const open = on === -1 ? -1 : tokens.findIndex((t, i) => i > on && isPunct(t, '('));
            const close = open === -1 ? tokens.length : skipGroup(tokens, open);
            const expression = open !== -1 && tokens.slice(open + 1, close - 1).some((t) => isPunct(t, '('));
            const partial = tokens.slice(close).some((t) => isWord(t, 'WHERE'));
            facts.dataDependent = unique || expression || partial;
            return facts;
        }
        // SELECT, VALUES and anything else but statements that read or write no row: may read rows, and fail on
        // what they hold (json_extract of a malformed value…).
        default:
            facts.dataDependent = !ROWLESS_VERBS.has(verb);
            return facts;
    }
}

;// CONCATENATED MODULE: ./build/src/replay/data/file-facts.js

function fileFacts(parsed) {
    const facts = [];
    const rowTargets = new Set();
    const replaced = new Set();
    const copied = new Set();
    const renames = [];
    const creates = new Map();
    const copySources = new Set();
    const defaultsAddedTo = new Set();
    const plainInsertsInto = new Set();
    /** Tables the file has created so far (not `IF NOT EXISTS`, which may find one with rows). */
    const fresh = new Set();
    let createsTrigger = false;
    for (const s of parsed.statements) {
        const f = analyseTokens(s.tokens, s.text);
        f.line = s.line;
        facts.push(f);
        createsTrigger ||= s.tokens.some((t, i) => i < 4 && t.kind === 'word' && t.value === 'TRIGGER');
        // A table the file created before this statement held no row the twin could have filled: literal rows
        // into it, and indexes on it, meet only the file's own rows, the same on an empty database.
        const isFresh = (t) => t !== undefined && fresh.has(t.toLowerCase());
        if (f.dataDependent && !createsTrigger && ((f.plainInsert && isFresh(f.writes)) || (f.index && !f.index.drop && isFresh(indexTable(s.tokens)))))
            f.dataDependent = false;
        if (f.creates && !f.creates.ifNotExists && !f.dataDependent)
            fresh.add(f.creates.table.toLowerCase());
        for (const t of f.targets)
            if (t.how === 'drop')
                fresh.delete(t.table.toLowerCase());
        if (f.dataDependent && f.plainInsert && f.writes)
            plainInsertsInto.add(f.writes.toLowerCase());
        for (const t of f.targets) {
            const lower = t.table.toLowerCase();
            if (t.how === 'delete' || t.how === 'update' || t.how === 'upsert')
                rowTargets.add(lower);
            if (t.how === 'drop')
                replaced.add(lower);
        }
        if (f.addsDefaultTo)
            defaultsAddedTo.add(f.addsDefaultTo.toLowerCase());
        if (f.rename) {
            renames.push(f.rename);
            replaced.add(f.rename.from.toLowerCase());
        }
        if (f.creates)
            creates.set(f.creates.table.toLowerCase(), { name: f.creates.table, virtual: f.creates.virtual });
        // INSERT … SELECT reads the tables whose rows it copies.
        if (f.writes && !f.targets.some((t) => t.how === 'delete' || t.how === 'update')) {
            const target = f.writes.toLowerCase();
            const select = f.copy === true;
            for (const t of s.tokens) {
                if (!NAME_KINDS.has(t.kind) || t.value.toLowerCase() === target)
                    continue;
                copied.add(t.value.toLowerCase());
                if (select)
                    copySources.add(t.value.toLowerCase());
            }
        }
    }
    // A copy from `users_old` after `ALTER TABLE users RENAME TO users_old` copies the rows of users.
    for (const r of [...renames].reverse()) {
        if (copied.has(r.to.toLowerCase()))
            copied.add(r.from.toLowerCase());
        if (copySources.has(r.to.toLowerCase()))
            copySources.add(r.from.toLowerCase());
    }
    const rebuilt = new Set();
    for (const t of replaced) {
        if (copied.has(t))
            rebuilt.add(t);
        // Dropped (or renamed away) without copying its rows: the file discards or moves them on purpose.
        else
            rowTargets.add(t);
    }
    return { facts, rowTargets, rebuilt, renames, creates, copySources, defaultsAddedTo, plainInsertsInto, createsTrigger };
}
/** The table of CREATE [UNIQUE] INDEX … ON table. */
function indexTable(tokens) {
    const on = tokens.findIndex((t) => t.kind === 'word' && t.value === 'ON');
    const t = on === -1 ? undefined : tokens[on + 1];
    return t && NAME_KINDS.has(t.kind) && !(tokens[on + 2]?.kind === 'punct' && tokens[on + 2]?.text === '.') ? t.value : on === -1 ? undefined : tokens[on + 3]?.value;
}
/** The first DROP TABLE of the file (the usual cause of a deferred foreign key failure at its end). */
function firstDrop(ff) {
    const d = ff.facts.find((f) => f.targets.some((t) => t.how === 'drop'));
    return d ? { line: d.line ?? 0, head: d.head } : undefined;
}

;// CONCATENATED MODULE: ./build/src/replay/data/findings.js


/** A statement the twin ran, with its line and what it does (read only when a finding needs it). */
function describe(text, e) {
    return { start: e.start, end: e.end, line: text.lineAt(e.start), facts: analyseStatement(text.slice(e.start, e.end)) };
}
function lossFinding(file, loss) {
    const { name, culprit } = loss;
    const counts = [];
    if (loss.before !== undefined)
        counts.push(`it had ${loss.before} row${loss.before === 1 ? '' : 's'} before and ${loss.left ?? 0} after being rebuilt`);
    else {
        if (loss.vanished > 0)
            counts.push(`${loss.vanished} row${loss.vanished === 1 ? ' was' : 's were'} deleted${loss.left === 0 ? ' (the table is left empty)' : ''}`);
        if (loss.changed > 0)
            counts.push(`${loss.changed} row${loss.changed === 1 ? ' was' : 's were'} changed`);
    }
    const via = culprit && culprit.victim.toLowerCase() !== name.toLowerCase() ? ` (while the rows were in ${culprit.victim}, which the file renames to ${name})` : '';
    const where = culprit ? ` by \`${culprit.executed.facts.head}\`${via}: ${culprit.mechanism}.` : '.';
    return {
        rule: 'rows-lost',
        file: file.relPath,
        ...(culprit && { line: culprit.executed.line }),
        table: name,
        message: `Rows of ${name} are lost: run on tables holding rows, ${counts.join(' and ')}${where} ` +
            `The file never deletes from or updates ${name} itself, and on an empty database (local tests) nothing shows. ${adviceFor(culprit)}`,
    };
}
function adviceFor(culprit) {
    if (culprit?.executed.facts.replace)
        return 'Use an upsert (INSERT … ON CONFLICT (…) DO UPDATE SET …) or an UPDATE, which keep the existing rows; see docs/safe-table-changes.md.';
    if (culprit?.executed.facts.targets.some((t) => t.how === 'drop')) {
        return 'Avoid the rebuild (ALTER TABLE … ADD/RENAME/DROP COLUMN), or rebuild the referencing tables in the same file, in dependency order; see docs/safe-table-changes.md.';
    }
    return 'If the file means to remove these rows, say so with a DELETE or UPDATE of the table, or suppress with `-- d1-migrate-ignore: rows-lost` above the statement; see docs/safe-table-changes.md.';
}
/** No row went missing on the way: the copy into the rebuilt table left rows out. */
function copyOf(ff, lineage) {
    const copy = ff.facts.find((f) => f.writes && lineage.has(f.writes.toLowerCase()) && !f.targets.length);
    if (!copy)
        return undefined;
    return {
        executed: { start: 0, end: 0, line: copy.line ?? 0, facts: copy },
        victim: [...lineage][0] ?? '',
        mechanism: 'the copy does not take every row of the old table (a WHERE, a JOIN or a conflict clause leaves rows out), and the old table is dropped with them',
    };
}
function failureFinding(file, ff, failure) {
    const head = failure.at?.facts.head;
    const msg = failure.message;
    if (/^CHECK constraint failed/.test(msg)) {
        return {
            note: `${file.name}: with synthetic rows \`${head ?? 'the file'}\` fails with "${msg}"; real rows may satisfy that CHECK, so it is not reported as fails-with-data. Make sure existing rows meet the constraint before deploying.`,
        };
    }
    let line = failure.at?.line;
    let hint = '';
    if (!failure.at) {
        // Deferred keys fail when the file's transaction ends: point at the DROP that left the children dangling.
        const drop = firstDrop(ff);
        line = drop?.line;
        hint =
            ` The check runs when the file's transaction ends${drop ? `: \`${drop.head}\` deleted rows that other tables' rows (ON DELETE NO ACTION or RESTRICT) still point at` : ''}.` +
                ' PRAGMA defer_foreign_keys = on does not help: re-creating and renaming the table does not undo the violations counted at the DROP (turning it off again before the end discards them unchecked, which hides real orphans as well). Rebuild the referencing tables in the same file, or avoid the rebuild (ALTER TABLE … ADD/RENAME/DROP COLUMN); see docs/safe-table-changes.md.';
    }
    else if (/^UNIQUE constraint failed/.test(msg) && /^CREATE\s+UNIQUE\s+INDEX/i.test(head ?? '')) {
        hint = ' Existing rows hold duplicate values in the indexed columns (a column just added gives every existing row the same default). Deduplicate or backfill distinct values first, or make the index non-unique.';
    }
    else if (/Cannot add a NOT NULL column with default value NULL/.test(msg)) {
        hint = ' SQLite accepts ADD COLUMN … NOT NULL without a DEFAULT only while the table is empty: give the column a DEFAULT.';
    }
    else if (/NOT NULL constraint failed/.test(msg)) {
        hint = ' Existing rows have no value for a column that must have one (a copy that leaves a new NOT NULL column out, or copies NULLs into it): give it a DEFAULT or fill it in the copy.';
    }
    else if (/FOREIGN KEY constraint failed/.test(msg)) {
        hint = ' Rows already in the tables violate a foreign key this statement checks (D1 always enforces foreign keys).';
    }
    return {
        rule: 'fails-with-data',
        file: file.relPath,
        ...(line !== undefined && { line }),
        message: `Fails once the tables hold rows: ${msg}${head ? ` at \`${head}\`` : ' when the file ends'}. On an empty database (local tests) the file applies; on D1 with data wrangler stops at this file and rolls it back.${hint}`,
    };
}

;// CONCATENATED MODULE: ./build/src/replay/data/losses.js



/**
 * Rows that existed before the file and were deleted or changed by a statement that does not name their
 * table as what it deletes from, updates, drops or alters; and rebuilt tables left with fewer rows.
 */
function findLosses(ctx, events, ff, rebuiltBefore, statements, describe) {
    if (events.length === 0 && rebuiltBefore.size === 0)
        return [];
    const facts = new Array(statements);
    const at = (i) => (facts[i] ??= describe(i));
    const direct = (i, table) => at(i).facts.targets.some((t) => t.table.toLowerCase() === table);
    // Which table, as it was before the file, each name stands for as the statements run: renames move a
    // table to a new name; a table created in the file stands for none (null).
    const origin = new Map();
    const originOf = (name) => (origin.has(name) ? origin.get(name) : name);
    const born = new Map();
    const deletedPre = new Map(); // origin → key → statement
    const changedPre = new Map();
    const lineageDeletes = [];
    const byStmt = new Map();
    for (const e of events)
        byStmt.set(e.stmt, [...(byStmt.get(e.stmt) ?? []), e]);
    const needsDdl = ff.renames.length > 0 || ff.creates.size > 0 || ff.facts.some((f) => f.targets.some((t) => t.how === 'drop'));
    for (let i = 0; i < statements; i++) {
        for (const e of byStmt.get(i) ?? []) {
            const o = originOf(e.table);
            const mine = born.get(e.table) ?? new Set();
            born.set(e.table, mine);
            if (e.op === 'insert') {
                mine.add(e.key);
                // REPLACE keeping the rowid: the old row was deleted and a different one stands in its place.
                const d = o === null ? undefined : deletedPre.get(o);
                if (d?.has(e.key)) {
                    const stmt = d.get(e.key);
                    d.delete(e.key);
                    if (!e.unchanged) {
                        if (!changedPre.has(o))
                            changedPre.set(o, new Map());
                        changedPre.get(o).set(e.key, stmt);
                    }
                }
                continue;
            }
            if (mine.has(e.key) || o === null) {
                if (e.op === 'delete' && !direct(i, e.table))
                    lineageDeletes.push({ stmt: i, table: e.table });
                continue;
            }
            if (direct(i, e.table))
                continue;
            const target = e.op === 'delete' ? deletedPre : changedPre;
            if (!target.has(o))
                target.set(o, new Map());
            if (!target.get(o).has(e.key))
                target.get(o).set(e.key, i);
            if (e.op === 'delete')
                lineageDeletes.push({ stmt: i, table: e.table });
        }
        if (!needsDdl)
            continue;
        const f = at(i).facts;
        if (f.rename) {
            const from = f.rename.from.toLowerCase();
            const to = f.rename.to.toLowerCase();
            origin.set(to, originOf(from));
            born.set(to, born.get(from) ?? new Set());
            origin.set(from, null);
            born.delete(from);
        }
        for (const t of f.targets)
            if (t.how === 'drop') {
                origin.set(t.table.toLowerCase(), null);
                born.delete(t.table.toLowerCase());
            }
        if (f.creates) {
            origin.set(f.creates.table.toLowerCase(), null);
            born.delete(f.creates.table.toLowerCase());
        }
    }
    const out = [];
    const lost = [...new Set([...deletedPre.keys(), ...changedPre.keys()])].filter((t) => !ff.rowTargets.has(t) && !ff.rebuilt.has(t) && !ctx.internal(t) && (deletedPre.get(t)?.size ?? 0) + (changedPre.get(t)?.size ?? 0) > 0);
    if (lost.length === 0 && rebuiltBefore.size === 0)
        return out;
    const names = existingObjects(ctx.db, [...lost, ...rebuiltBefore.keys()], ctx.virtuals);
    const after = ctx.counts([...names.values()].filter((o) => o.kind === 'table').map((o) => o.name));
    for (const table of lost) {
        // Virtual tables and their shadow tables keep their own bookkeeping (an FTS index rewrites its blobs).
        if (names.get(table)?.kind !== 'table')
            continue;
        const d = deletedPre.get(table) ?? new Map();
        const c = changedPre.get(table) ?? new Map();
        const first = Math.min(...d.values(), ...c.values());
        const victim = events.find((e) => e.stmt === first && (originOf(e.table) === table || e.table === table))?.table ?? table;
        out.push({
            table,
            name: names.get(table)?.name ?? table,
            vanished: d.size,
            changed: c.size,
            left: after.get(table),
            culprit: culprit(ctx, at(first), victim, ff),
        });
    }
    for (const [table, before] of rebuiltBefore) {
        if (ff.rowTargets.has(table))
            continue;
        const now = after.get(table);
        if (now === undefined || now >= before)
            continue;
        // Where the copies went: the first delete in a table that is, or is later renamed to, this one.
        const lineage = new Set([table]);
        for (const r of [...ff.renames].reverse())
            if (lineage.has(r.to.toLowerCase()))
                lineage.add(r.from.toLowerCase());
        const hit = lineageDeletes.find((l) => lineage.has(l.table));
        out.push({
            table,
            name: names.get(table)?.name ?? table,
            vanished: before - now,
            changed: 0,
            left: now,
            before,
            culprit: hit ? culprit(ctx, at(hit.stmt), hit.table, ff) : copyOf(ff, lineage),
        });
    }
    return out.sort((a, b) => (a.culprit?.executed.line ?? 0) - (b.culprit?.executed.line ?? 0) || a.table.localeCompare(b.table));
}
function culprit(ctx, executed, victim, ff) {
    const real = existingObjects(ctx.db, [victim], ctx.virtuals).get(victim)?.name ?? victim;
    return { executed, victim: real, mechanism: mechanism(ctx, executed, real, ff) };
}
/** Why `victim` lost rows at a statement: a foreign key path to what the statement removed, a REPLACE, a trigger. */
function mechanism(ctx, executed, victim, ff) {
    const facts = executed.facts;
    const lowerVictim = victim.toLowerCase();
    const drop = facts.targets.find((t) => t.how === 'drop');
    const removed = drop?.table ?? facts.writes;
    const parts = [];
    // An UPDATE reaches children through ON UPDATE actions; everything else here deletes parent rows.
    const onUpdate = facts.targets.some((t) => t.how === 'update' || t.how === 'upsert') && !facts.replace;
    if (removed && removed.toLowerCase() !== lowerVictim) {
        const path = fkPath(ctx.db, victim, removed, onUpdate);
        if (path) {
            const chain = path.map((e) => `${e.child}.${e.col} REFERENCES ${e.parent} ON ${onUpdate ? 'UPDATE' : 'DELETE'} ${e.action}`).join(', then ');
            const earlier = ff.renames.filter((r) => r.to.toLowerCase() === removed.toLowerCase());
            const repoint = earlier.find((r) => ff.facts.some((f) => f.rename === r && (f.line ?? 0) < executed.line));
            const repointNote = repoint
                ? ` (the key points at ${removed} because \`ALTER TABLE ${repoint.from} RENAME TO ${repoint.to}\` re-pointed it: SQLite rewrites other tables' references on rename)`
                : '';
            if (drop) {
                parts.push(`\`DROP TABLE ${removed}\` first deletes every row of ${removed}, because D1 always enforces foreign keys (PRAGMA foreign_keys = OFF has no effect there), and the delete reaches ${victim}: ${chain}${repointNote}`);
            }
            else if (facts.replace) {
                parts.push(`REPLACE conflict: for each new row that collides with an existing row of ${removed} on its primary key or a UNIQUE column, SQLite deletes the existing row, and the delete reaches ${victim}: ${chain}`);
            }
            else {
                parts.push(`changing rows of ${removed} fires its foreign key actions: ${chain}`);
            }
        }
    }
    if (facts.replace && removed && removed.toLowerCase() === lowerVictim) {
        parts.push('REPLACE conflict: for each new row that collides with an existing row on its primary key or a UNIQUE column, SQLite deletes the existing row and inserts the new one, so columns the statement does not set fall back to their defaults (and the delete fires ON DELETE actions)');
    }
    if (!drop) {
        const on = new Set();
        if (facts.writes)
            on.add(facts.writes.toLowerCase());
        for (const t of facts.targets)
            on.add(t.table.toLowerCase());
        for (const t of on.size ? triggersOn(ctx.db, on) : []) {
            if (namesIn(t.sql).has(lowerVictim))
                parts.push(`trigger ${t.name} on ${t.table} changes rows of ${victim}`);
        }
    }
    return parts.length ? parts.join('; ') : `the statement changed them without naming ${victim}`;
}
/**
 * Foreign keys leading from `child` up to `ancestor` whose actions carry a change down (CASCADE, SET NULL,
 * SET DEFAULT), breadth-first over a few levels; listed from the ancestor down.
 */
function fkPath(db, child, ancestor, onUpdate) {
    const target = ancestor.toLowerCase();
    const queue = [{ table: child, path: [] }];
    const seen = new Set([child.toLowerCase()]);
    while (queue.length > 0) {
        const { table, path } = queue.shift();
        if (path.length >= 4)
            continue;
        const rows = db.objects(`SELECT "table" AS parent, "from" AS col, upper(on_delete) AS d, upper(on_update) AS u FROM pragma_foreign_key_list(?1)`, [table]);
        for (const r of rows) {
            const parent = String(r.parent);
            const action = String(onUpdate ? r.u : r.d);
            if (!['CASCADE', 'SET NULL', 'SET DEFAULT'].includes(action))
                continue;
            const step = { child: table, col: String(r.col), parent, action };
            if (parent.toLowerCase() === target)
                return [step, ...path];
            if (!seen.has(parent.toLowerCase())) {
                seen.add(parent.toLowerCase());
                queue.push({ table: parent, path: [step, ...path] });
            }
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/src/replay/references.js
/** A condition on sqlite_schema `m` that keeps every table that may reference `name`, bound as `?2`. */
function mayReference(name) {
    return /["'`\]]/.test(name) ? { where: '', bind: [] } : { where: 'AND instr(lower(m.sql), lower(?2)) > 0', bind: [name] };
}
/** The foreign keys that point at `parent`, by table name and key id (`others`: not `parent`'s own). */
function childKeys(db, parent, opts = {}) {
    const filter = mayReference(parent);
    const keys = new Map();
    const rows = db.rows(`SELECT m.name, f.id, f."from", upper(f.on_delete), m.sql FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f
      WHERE m.type = 'table' ${filter.where} AND f."table" = ?1 COLLATE NOCASE ${opts.others ? 'AND m.name <> ?1 COLLATE NOCASE' : ''}
      ORDER BY m.name, f.id, f.seq`, [parent, ...filter.bind]);
    for (const [child, id, column, onDelete, sql] of rows) {
        const k = `${String(child)}\u0000${String(id)}`;
        if (!keys.has(k))
            keys.set(k, { child: String(child), id: Number(id), columns: [], onDelete: String(onDelete), deferred: /\bDEFERRED\b/i.test(String(sql)) });
        keys.get(k).columns.push(String(column));
    }
    return [...keys.values()];
}
/** Tables with a foreign key to `parent` (`others`: not `parent` itself). */
function childTables(db, parent, opts = {}) {
    const filter = mayReference(parent);
    return db
        .rows(`SELECT DISTINCT m.name FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f
        WHERE m.type = 'table' ${filter.where} AND f."table" = ?1 COLLATE NOCASE ${opts.others ? 'AND m.name <> ?1 COLLATE NOCASE' : ''}`, [parent, ...filter.bind])
        .map((r) => String(r[0]));
}

;// CONCATENATED MODULE: ./build/src/replay/data/rebuilds.js


/** Columns and referencing tables of the tables about to be rebuilt (`rows`: their counts before the file). */
function rebuildsBefore(db, rows, names) {
    const out = new Map();
    for (const [lower, n] of rows) {
        const name = names.get(lower) ?? lower;
        const columns = db.rows(`SELECT name FROM pragma_table_info(?1)`, [name]).map((r) => String(r[0]));
        const children = childTables(db, name, { others: true });
        out.set(lower, { name, rows: n, columns, children });
    }
    return out;
}
/**
 * The rebuilds of a file that ran to its end with nothing lost or failed; `covered` says whether a table held
 * synthetic rows (a child the check could not fill proves nothing).
 */
function keptRebuilds(db, ff, before, covered) {
    const out = [];
    for (const [lower, b] of before) {
        if (b.rows === 0 || !b.children.every((c) => covered(c.toLowerCase())))
            continue;
        // The DROP that ends the old table: of the table itself, or of a name it was renamed to (`users_old`).
        const lineage = new Set([lower]);
        for (const r of ff.renames)
            if (lineage.has(r.from.toLowerCase()))
                lineage.add(r.to.toLowerCase());
        const drop = ff.facts.find((f) => f.targets.some((t) => t.how === 'drop' && lineage.has(t.table.toLowerCase())));
        if (drop?.line === undefined)
            continue;
        let after;
        try {
            after = Number(db.rows(`SELECT count(*) FROM ${tables_q(b.name)}`)[0]?.[0] ?? 0);
        }
        catch {
            continue; // not there again: not a rebuild
        }
        if (after < b.rows)
            continue;
        const now = new Set(db.rows(`SELECT lower(name) FROM pragma_table_info(?1)`, [b.name]).map((r) => String(r[0])));
        out.push({ table: b.name, line: drop.line, rows: b.rows, droppedColumns: b.columns.filter((c) => !now.has(c.toLowerCase())), referencedBy: b.children });
    }
    return out;
}

;// CONCATENATED MODULE: ./build/src/replay/alter-keys.js


const PLAIN = { recreate: (fn) => fn(), drop: (fn) => fn() };
/** How to re-create table `name` (CREATE statement `sql`, `rows` rows); undefined when it cannot be done exactly. */
function keyGuard(db, name, sql, rows) {
    if (db.setForeignKeys) {
        const set = db.setForeignKeys.bind(db);
        return {
            recreate: (fn) => {
                set(false);
                try {
                    return fn();
                }
                finally {
                    set(true);
                }
            },
            drop: (fn) => fn(),
        };
    }
    // An empty table: the implicit DELETE deletes nothing.
    if (rows === 0)
        return PLAIN;
    // Its own deferred keys, or all keys deferred: SQLite runs the implicit DELETE to settle the deferred count.
    if (/\bDEFERRABLE\s+INITIALLY\s+DEFERRED\b/i.test(sql))
        return undefined;
    if (Number(db.rows(`SELECT defer_foreign_keys FROM pragma_defer_foreign_keys`)[0]?.[0] ?? 1) !== 0)
        return undefined;
    const keys = childKeys(db, name);
    if (keys.length === 0)
        return PLAIN;
    const pointing = db.rows(`SELECT ${keys.map((k) => `EXISTS (SELECT 1 FROM main.${tables_q(k.child)} WHERE ${k.columns.map((c) => `${tables_q(c)} IS NOT NULL`).join(' AND ')})`).join(', ')}`)[0] ?? [];
    const live = keys.filter((_k, i) => Number(pointing[i] ?? 1) !== 0);
    if (live.length === 0)
        return PLAIN;
    if (!db.ignoringReads || live.some((k) => k.deferred))
        return undefined;
    const reads = live.flatMap((k) => k.columns.map((column) => ({ table: k.child, column })));
    const ignoring = db.ignoringReads.bind(db);
    return { recreate: (fn) => fn(), drop: (fn) => ignoring(reads, fn) };
}

;// CONCATENATED MODULE: ./build/src/replay/alter.js


/** Tables with more rows than this take the real statement (copying them would cost more than the reload). */
const MAX_ROWS = 2000;
const NESTED = 'd1_migrate_add_column';
/**
 * Whether rows written by `files` hold their tables' constraints: none of them mentions
 * `ignore_check_constraints` or `writable_schema` (anywhere, comments included: too cautious is only slower).
 */
function rowsHoldConstraints(files) {
    return !files.some((f) => /ignore_check_constraints|writable_schema/i.test(f.sql));
}
/**
 * The CREATE statement SQLite stored for a table definition and an ADD COLUMN statement, for a statement that
 * already succeeded once (the data check's twin follows the replay): it depends on nothing else.
 */
const stored = new Map();
const STORED_MAX = 512;
/**
 * The same, for a table that had rows: SQLite's verdict on ADD COLUMN reads the rows only in two ways. Some
 * errors are raised "if not empty" (NOT NULL without a default, REFERENCES with a default, a non-constant
 * default, a STORED column): the same for any rows. And, when the table has a CHECK, is STRICT or the column is
 * generated NOT NULL, pragma_quick_check over the rows, which tests every CHECK, NOT NULL and STRICT type of
 * the table. Rows written with those enforced pass all but the new column's own, and the new column holds the
 * same default in every row: so unless the column brings a CHECK or is generated (its value depends on the
 * row), a table with rows gets the verdict any table with rows gets (see rowsOnlyCount).
 */
const storedNonEmpty = new Map();
function remember(map, key, created) {
    if (map.size >= STORED_MAX)
        map.clear();
    map.set(key, created);
}
/**
 * Whether the verdict with rows depends only on there being rows: the caller vouches that every row was
 * written under its table's constraints (`rowsHoldConstraints`: no file turns CHECKs off or edits the schema
 * by hand), and the statement adds no CHECK and no generated column (any `CHECK`, `AS` or `GENERATED` word in
 * it, even one in a name or a string, counts: too cautious is only slower).
 */
function rowsOnlyCount(opts, sql) {
    return opts.rowsHoldConstraints === true && !/\b(CHECK|AS|GENERATED)\b/i.test(sql);
}
/**
 * Applies the ADD COLUMN by hand when that is exact; returns false when the caller must run the statement
 * itself. `scratch` is an empty connection of the same build, kept for reuse.
 */
function addColumn(db, scratch, target, opts = {}) {
    if (target.schema !== undefined && target.schema.toLowerCase() !== 'main')
        return false;
    // One pass over sqlite_schema (it has no index): the table's objects, and what would make this inexact. A
    // virtual table matters only when this table's name extends its name by "_" (a shadow table): testing the
    // name first spares reading the CREATE statement of every other table (most of the pass on a large schema).
    // Virtual tables are the only tables without a root page: cheaper to test per row than their SQL text.
    const schema = db
        .rows(`SELECT type, name, tbl_name, sql, rootpage FROM sqlite_schema
        WHERE tbl_name = ?1 COLLATE NOCASE OR name LIKE 'sqlite\\_s%' ESCAPE '\\' OR (type = 'table' AND rootpage = 0)
        ORDER BY rowid`, [target.table])
        .map(([type, name, tbl, sql, root]) => ({ type: String(type), name: String(name), tbl: String(tbl), sql: sql === null ? null : String(sql), virtual: String(type) === 'table' && Number(root) === 0 }));
    const lower = target.table.toLowerCase();
    const table = schema.find((o) => o.type === 'table' && o.name.toLowerCase() === lower);
    if (!table?.sql || table.virtual || /^CREATE\s+VIRTUAL\b/i.test(table.sql) || /^sqlite_/i.test(table.name))
        return false;
    // Statistics tables (ANALYZE) keep rows per table; a virtual table's shadow tables are its module's.
    if (schema.some((o) => /^sqlite_stat/i.test(o.name) || (o.virtual && lower.startsWith(`${o.name.toLowerCase()}_`))))
        return false;
    const [rowCount, columnList, temp] = db.rows(`SELECT (SELECT count(*) FROM (SELECT 1 FROM main.${tables_q(table.name)} LIMIT ${MAX_ROWS + 1})),
              (SELECT json_group_array(name) FROM pragma_table_xinfo(?1) WHERE hidden = 0),
              (SELECT count(*) FROM sqlite_temp_schema)`, [table.name])[0] ?? [];
    const rows = Number(rowCount);
    const columns = JSON.parse(String(columnList));
    // Temp objects could shadow the table or hang triggers on it; a column named like the rowid hides it.
    if (Number(temp) !== 0 || rows > MAX_ROWS || columns.some((c) => /^(rowid|_rowid_|oid)$/i.test(c)))
        return false;
    const guard = keyGuard(db, table.name, table.sql, rows);
    if (!guard)
        return false;
    // `succeeded`: the statement applied elsewhere on this very definition and cannot fail on rows, so the
    // verdict is known and only the CREATE statement is needed. On an empty table a stored result stands too:
    // every error ADD COLUMN raises is either raised whatever the rows (then nothing was stored) or needs a row,
    // and the CREATE statement is an edit of the definition's text. (The data check's copy runs a file before
    // the replay does, so the replay's empty table takes the copy's result.)
    const key = `${table.sql}\u0000${target.sql}`;
    const known = opts.succeeded === true || rows === 0 ? stored.get(key) : rowsOnlyCount(opts, target.sql) ? storedNonEmpty.get(key) : undefined;
    // A statement known to succeed needs only the CREATE statement, which is an edit of the definition's text:
    // the scratch run leaves the rows out.
    const onRows = rows > 0 && opts.succeeded !== true;
    const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(table.sql.slice(table.sql.lastIndexOf(')')));
    const keyed = withoutRowid ? columns.map(tables_q) : ['rowid', ...columns.map(tables_q)];
    const dependents = schema.filter((o) => o.tbl.toLowerCase() === lower && o.type !== 'table' && o.sql !== null).map((o) => o.sql);
    const autoincrement = schema.some((o) => o.name === 'sqlite_sequence');
    const redo = (copy, created) => replace(db, guard, table.name, dependents, copy, created, autoincrement);
    const verdict = (created) => {
        if (created === undefined || !created.startsWith('CREATE TABLE '))
            return false;
        remember(stored, key, created);
        if (onRows)
            remember(storedNonEmpty, key, created);
        return true;
    };
    const held = rows > 0 ? heldStatement(db, table.sql, target.sql) : undefined;
    if (held)
        return heldAddColumn(db, held, { name: table.name, sql: table.sql, keyed, onRows, known }, verdict, redo);
    const copy = rows > 0 ? rowCopy(db, table.name, keyed) : undefined;
    if (rows > 0 && !copy)
        return false;
    const created = known ?? scratchAlter(scratch(), { name: table.name, sql: table.sql }, onRows ? copy : undefined, target.sql);
    return verdict(created) && redo(copy, created);
}
/** The re-creation in its own savepoint, rolled back unless it all worked. */
function replace(db, guard, name, dependents, copy, created, autoincrement) {
    if (db.tryExec(`SAVEPOINT ${NESTED}`) !== undefined)
        return false;
    let done = false;
    try {
        done = guard.recreate(() => recreate(db, guard, name, dependents, copy, created, autoincrement));
    }
    finally {
        if (!done)
            db.tryExec(`ROLLBACK TO ${NESTED}`);
        db.tryExec(`RELEASE ${NESTED}`);
    }
    return done;
}
/**
 * `ALTER TABLE [main.]name ADD [COLUMN] ` with nothing but ASCII whitespace between its words (SQLite's, no
 * comments) and an ASCII or quoted name: group 1 is the name as written, the rest of the statement (from the
 * column's name on) is what SQLite adds to the CREATE statement. Anything else takes the scratch connection.
 */
const ADD_HEAD = /^ALTER[ \t\n\f\r]+TABLE[ \t\n\f\r]+(?:(?:main|"main"|\[main\]|`main`)[ \t\n\f\r]*\.[ \t\n\f\r]*)?("(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`|[A-Za-z_][A-Za-z0-9_$]*)[ \t\n\f\r]+ADD(?:[ \t\n\f\r]+COLUMN)?[ \t\n\f\r]+(?=[^ \t\n\f\r])/i;
/**
 * Where the connection has an empty attached database of its own (`scratchSchema`: the data check's twin) and
 * can pause foreign keys inside a transaction, ADD COLUMN on a table with rows is tried on a copy of the table
 * there: the rows go over inside SQLite (no literals), and a schema change there makes SQLite re-read only
 * that small schema. The statement is the same from the column's name on, only the table is qualified.
 */
function heldStatement(db, tableSql, sql) {
    if (db.scratchSchema === undefined || !db.setForeignKeys || !tableSql.startsWith('CREATE TABLE '))
        return undefined;
    const head = ADD_HEAD.exec(sql);
    const rest = head ? sql.slice(head[0].length) : '';
    // The statement runs on the connection's own database with sqlite_exec, which would run a second statement
    // too: a `;` anywhere but at the end (even one in a string) takes the scratch connection.
    if (!head || rest.replace(/;[ \t\n\f\r]*$/, '').includes(';'))
        return undefined;
    const schema = tables_q(db.scratchSchema);
    return {
        schema,
        table: `${schema}.${head[1]}`,
        create: `CREATE TABLE ${schema}.${tableSql.slice('CREATE TABLE '.length)}`,
        alter: `ALTER TABLE ${schema}.${head[1]} ADD COLUMN ${rest}`,
    };
}
/**
 * ADD COLUMN through a copy of the table in the scratch schema (see heldStatement): the copy gets the rows
 * (before the statement when the verdict must be taken on them, else after), the statement runs on it unless
 * the CREATE statement is known, and the rows come back from it into the re-created table. Foreign keys are
 * paused while the copy is filled (its parents are not there) and on for the statement where it adds a
 * REFERENCES column, as on the scratch connection.
 */
function heldAddColumn(db, held, t, verdict, redo) {
    const setKeys = db.setForeignKeys.bind(db);
    const ok = (sql) => db.tryExec(sql) === undefined;
    const columns = t.keyed.join(', ');
    const fill = () => ok(`INSERT INTO ${held.table} (${columns}) SELECT ${columns} FROM main.${tables_q(t.name)}`);
    const keys = /\bREFERENCES\b/i.test(held.alter);
    let created = t.known;
    let ready = false;
    setKeys(false);
    try {
        // The copy must have the table's very definition (SQLite stores it from the name on, whatever the schema).
        ready = ok(held.create) && storedCreate(db, t.name, held.schema) === t.sql && (!t.onRows || fill());
        if (ready && created === undefined) {
            if (keys)
                setKeys(true);
            ready = ok(held.alter);
            if (keys)
                setKeys(false);
            created = ready ? storedCreate(db, t.name, held.schema) : undefined;
        }
        if (ready && !t.onRows)
            ready = fill();
    }
    finally {
        setKeys(true);
    }
    try {
        return ready && verdict(created) && redo({ statements: [`INSERT INTO main.${tables_q(t.name)} (${columns}) SELECT ${columns} FROM ${held.table}`] }, created);
    }
    finally {
        // An AUTOINCREMENT copy leaves its counter in the scratch database's sqlite_sequence: nothing reads it, and the
        // next copy of the table sets its rows' rowids itself.
        db.tryExec(`DROP TABLE IF EXISTS ${held.table}`);
    }
}
/** The CREATE statement SQLite stored for table `name` (in `schema`, quoted; main by default). */
function storedCreate(db, name, schema = 'main') {
    const sql = db.rows(`SELECT sql FROM ${schema}.sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE`, [name])[0]?.[0];
    return typeof sql === 'string' ? sql : undefined;
}
/** Rows per INSERT statement of a RowCopy. */
const ROWS_PER_INSERT = 200;
/**
 * The rows of table `name` as INSERT statements: every value as an SQL literal (quote(): integers, reals that
 * read back as the same double, blobs as X'..'), text as its bytes cast back to text (quote() would stop at a
 * NUL), with the rowid unless the table is WITHOUT ROWID. Re-inserted into a table whose columns have the same
 * declared types, each value gets the same type again. Undefined when a row holds a real zero: SQLite writes
 * -0.0 as 0.0 in SQL text. (Literals rather than a temporary table: creating and dropping one costs two
 * passes over the schema, most of an ADD COLUMN on a large schema.)
 */
function rowCopy(db, name, keyed) {
    // One result column per value: SQLite prepares that in under half the time of one concatenated tuple.
    const literal = (c) => `CASE typeof(${c}) WHEN 'text' THEN 'CAST(X''' || hex(${c}) || ''' AS TEXT)' ELSE quote(${c}) END`;
    const found = db.rows(`SELECT ${keyed.map(literal).join(', ')} FROM main.${tables_q(name)}`);
    const tuples = [];
    for (const row of found) {
        const values = row.map(String);
        // quote() writes every real with a decimal point ("0.0", "-0.0", "1.0e+300"); no other literal starts
        // with a digit or a minus sign and holds one.
        if (values.some((v) => /^-?\d/.test(v) && v.includes('.') && Number(v) === 0))
            return undefined;
        tuples.push(`(${values.join(', ')})`);
    }
    const statements = [];
    for (let i = 0; i < tuples.length; i += ROWS_PER_INSERT) {
        statements.push(`INSERT INTO main.${tables_q(name)} (${keyed.join(', ')}) VALUES ${tuples.slice(i, i + ROWS_PER_INSERT).join(', ')}`);
    }
    return { statements };
}
/**
 * The statement on a scratch database holding only the table and `rows` (none: an empty table): the CREATE
 * statement SQLite stores afterwards, or undefined when it fails (the real statement then gives the real error).
 */
function scratchAlter(s, table, rows, sql) {
    // Foreign keys matter to ADD COLUMN only for a REFERENCES column with a non-NULL default, which is refused
    // while they are enforced; the rows go in without them (their parents are not here).
    const keys = /\bREFERENCES\b/i.test(sql);
    s.tryExec('PRAGMA foreign_keys = OFF');
    try {
        if (s.tryExec(table.sql) !== undefined)
            return undefined;
        for (const insert of rows?.statements ?? [])
            if (s.tryExec(insert) !== undefined)
                return undefined;
        if (keys)
            s.tryExec('PRAGMA foreign_keys = ON');
        if (s.tryExec(sql) !== undefined)
            return undefined;
        return storedCreate(s, table.name);
    }
    finally {
        if (keys)
            s.tryExec('PRAGMA foreign_keys = OFF');
        s.tryExec(`DROP TABLE IF EXISTS ${tables_q(table.name)}`);
        if (/\bAUTOINCREMENT\b/i.test(table.sql))
            s.tryExec(`DELETE FROM sqlite_sequence`);
    }
}
/**
 * Drops the table and creates it again as `created`, with its rows (`copy`: same rowids), its indexes and
 * triggers (`dependents`, in their order) and its AUTOINCREMENT counter.
 */
function recreate(db, guard, name, dependents, copy, created, autoincrement) {
    const ok = (sql) => db.tryExec(sql) === undefined;
    const sequence = autoincrement ? db.rows(`SELECT seq FROM sqlite_sequence WHERE name = ?1`, [name])[0]?.[0] : undefined;
    if (!guard.drop(() => ok(`DROP TABLE main.${tables_q(name)}`)) || !ok(created))
        return false;
    for (const insert of copy?.statements ?? [])
        if (!ok(insert))
            return false;
    for (const sql of dependents)
        if (!ok(sql))
            return false;
    if (sequence !== undefined && sequence !== null) {
        // DROP TABLE removed the counter and copying the rows back set it to the highest rowid: put it back.
        db.rows(`DELETE FROM sqlite_sequence WHERE name = ?1`, [name]);
        db.rows(`INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)`, [name, sequence]);
    }
    return true;
}

;// CONCATENATED MODULE: ./build/src/replay/classify.js
/**
 * Reads just enough of a statement that SQLite has already accepted to know what kind it is. Because the
 * statement parsed, a tiny tokenizer over its head is reliable.
 */
/** The first `max` tokens of a statement, skipping whitespace and comments. */
function headTokens(sql, max) {
    const out = [];
    let i = 0;
    while (i < sql.length && out.length < max) {
        const c = sql[i];
        if (/\s/.test(c)) {
            i++;
        }
        else if (c === '-' && sql[i + 1] === '-') {
            const nl = sql.indexOf('\n', i);
            i = nl === -1 ? sql.length : nl + 1;
        }
        else if (c === '/' && sql[i + 1] === '*') {
            const close = sql.indexOf('*/', i + 2);
            i = close === -1 ? sql.length : close + 2;
        }
        else if (c === '"' || c === '`' || c === '[') {
            const closeCh = c === '[' ? ']' : c;
            let j = i + 1;
            let value = '';
            for (;;) {
                if (j >= sql.length)
                    break;
                if (sql[j] === closeCh) {
                    if (closeCh !== ']' && sql[j + 1] === closeCh) {
                        value += closeCh;
                        j += 2;
                        continue;
                    }
                    break;
                }
                value += sql[j++];
            }
            out.push({ value, quoted: true });
            i = j + 1;
        }
        else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(c)) {
            let j = i;
            while (j < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]))
                j++;
            // Original spelling: the token may be a table name; keywords are compared case-insensitively.
            out.push({ value: sql.slice(i, j), quoted: false });
            i = j;
        }
        else {
            out.push({ value: c, quoted: false });
            i++;
        }
    }
    return out;
}
function classify_isWord(t, word) {
    return !!t && !t.quoted && t.value.toUpperCase() === word;
}
/** Skips `schema.` in `[schema.]name`; returns the index of the name token. */
function nameIndex(tokens, i) {
    const dot = tokens[i + 1];
    return dot?.value === '.' && !dot.quoted ? i + 2 : i;
}
/**
 * What the replay needs to know about a statement. Transaction control, `PRAGMA foreign_keys`,
 * ATTACH/DETACH and VACUUM are left to the static rules (and executing them would break the savepoint or,
 * for foreign_keys=OFF, hide what D1 really does).
 */
function classifyStatement(sql) {
    const t = headTokens(sql, 9);
    const first = t[0]?.quoted ? '' : (t[0]?.value.toUpperCase() ?? '');
    switch (first) {
        case 'BEGIN':
        case 'COMMIT':
        case 'END':
        case 'ROLLBACK':
        case 'SAVEPOINT':
        case 'RELEASE':
            return { kind: 'transaction' };
        case 'ATTACH':
        case 'DETACH':
            return { kind: 'attach' };
        case 'VACUUM':
            return { kind: 'vacuum' };
        case 'PRAGMA': {
            const n = nameIndex(t, 1);
            if (t[n] && t[n].value.toLowerCase() === 'foreign_keys')
                return { kind: 'pragma-foreign-keys' };
            return { kind: 'other' };
        }
        case 'DROP': {
            if (!classify_isWord(t[1], 'TABLE'))
                return { kind: 'other' };
            let i = 2;
            if (classify_isWord(t[2], 'IF') && classify_isWord(t[3], 'EXISTS'))
                i = 4;
            const n = nameIndex(t, i);
            const name = t[n];
            if (!name)
                return { kind: 'other' };
            return n === i ? { kind: 'drop-table', table: name.value } : { kind: 'drop-table', table: name.value, schema: t[i].value };
        }
        case 'ALTER': {
            if (!classify_isWord(t[1], 'TABLE'))
                return { kind: 'other' };
            const n = nameIndex(t, 2);
            const from = t[n];
            const to = t[n + 3];
            if (from && classify_isWord(t[n + 1], 'RENAME') && classify_isWord(t[n + 2], 'TO') && to) {
                return { kind: 'rename-table', from: from.value, to: to.value };
            }
            // ADD [COLUMN] name …, not ADD CONSTRAINT / CHECK / PRIMARY KEY …
            const col = classify_isWord(t[n + 2], 'COLUMN') ? n + 3 : n + 2;
            if (t[n] && classify_isWord(t[n + 1], 'ADD') && t[col] && (t[col].quoted || !/^(CONSTRAINT|CHECK|PRIMARY|UNIQUE|FOREIGN)$/i.test(t[col].value))) {
                return n === 2 ? { kind: 'add-column', table: t[n].value } : { kind: 'add-column', table: t[n].value, schema: t[2].value };
            }
            return { kind: 'other' };
        }
        default:
            return { kind: 'other' };
    }
}
/** A word of ASCII letters as a number, 5 bits a letter, case-insensitive (9 letters fit in a double exactly). */
function letterKey(word) {
    let key = 0;
    for (let i = 0; i < word.length; i++)
        key = key * 32 + (word.charCodeAt(i) & 0x1f);
    return key;
}
/** First words for which classifyStatement can answer something other than `other`. */
const CLASSIFIED_VERBS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'ATTACH', 'DETACH', 'VACUUM', 'PRAGMA', 'DROP', 'ALTER'].map(letterKey));
const LONGEST_VERB = 9;
/**
 * Whether classifyStatement() of the statement whose UTF-8 text starts at `bytes[start]` (its first token, not
 * whitespace or a comment) can be anything but `other`, read from its first bytes without decoding it: false
 * only when its first word is plain ASCII and not one of the verbs above, or it starts with punctuation or a
 * quote. Anything non-ASCII is left to classifyStatement.
 */
function mayClassify(bytes, start) {
    let key = 0;
    let lettersOnly = true;
    let i = start;
    for (; i < bytes.length; i++) {
        const c = bytes[i];
        if (c >= 0x80)
            return true;
        if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))
            key = key * 32 + (c & 0x1f);
        else if ((c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24)
            lettersOnly = false;
        else
            break;
    }
    return lettersOnly && i > start && i - start <= LONGEST_VERB && CLASSIFIED_VERBS.has(key);
}

;// CONCATENATED MODULE: ./build/src/replay/data/row-events.js
class RowEvents {
    ignored;
    /** Row changes of the file being run; undefined while not recording (filling is not the file's doing). */
    events;
    /** Values of the rows deleted while the current file runs, by table and key (to recognise a re-insert). */
    deletedValues = new Map();
    /** Index (in execution order) of the statement running now. */
    statement = 0;
    constructor(
    /** Tables whose changes are not the file's to answer for (the migrations table, SQLite's own). */
    ignored) {
        this.ignored = ignored;
    }
    /** Listens to `db` (a twin; a new one after a resync). */
    attach(db) {
        db.onRowChange((c) => this.record(c));
    }
    /** Starts recording a file's changes. */
    start() {
        this.events = [];
        this.deletedValues = new Map();
    }
    /** Runs `fn` without recording (work of the check's own, not the file's). */
    paused(fn) {
        const events = this.events;
        this.events = undefined;
        try {
            return fn();
        }
        finally {
            this.events = events;
        }
    }
    /** Stops recording and returns what was recorded. */
    stop() {
        const events = this.events ?? [];
        this.events = undefined;
        return events;
    }
    record(c) {
        const events = this.events;
        if (!events)
            return;
        const lower = c.table.toLowerCase();
        if (this.ignored(lower))
            return;
        const stmt = this.statement;
        // WITHOUT ROWID tables report key 0: their rows are told apart by their values.
        const keyOf = (k, which) => (k !== 0n ? String(k) : `v:${stringify(c.values(which))}`);
        if (c.op === 'insert') {
            const key = keyOf(c.newKey, 'new');
            // A row deleted and inserted again under the same key (REPLACE, a trigger rewriting a row) is only a
            // change if its values differ.
            const before = this.deletedValues.get(lower)?.get(key);
            const unchanged = before !== undefined && before === stringify(c.values('new'));
            events.push({ stmt, op: 'insert', table: lower, name: c.table, key, ...(unchanged && { unchanged: true }) });
        }
        else if (c.op === 'delete') {
            const key = keyOf(c.oldKey, 'old');
            if (!this.deletedValues.has(lower))
                this.deletedValues.set(lower, new Map());
            this.deletedValues.get(lower).set(key, stringify(c.values('old')));
            events.push({ stmt, op: 'delete', table: lower, name: c.table, key });
        }
        else {
            const before = c.values('old');
            const after = c.values('new');
            if (c.oldKey !== c.newKey || before.some((v, i) => !same(v, after[i]))) {
                events.push({ stmt, op: 'update', table: lower, name: c.table, key: c.oldKey !== 0n ? String(c.oldKey) : `v:${stringify(before)}` });
            }
        }
    }
}
function same(a, b) {
    if (a instanceof Uint8Array && b instanceof Uint8Array)
        return a.length === b.length && a.every((x, i) => x === b[i]);
    return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}
function stringify(values) {
    return JSON.stringify(values, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `x${Buffer.from(v).toString('hex')}` : v));
}

;// CONCATENATED MODULE: ./build/src/replay/data/twin.js
/**
 * The data check's twin: a WASM database that goes through the same migrations as the replay but whose
 * tables hold synthetic rows (fill.ts), with the pre-update hook recording what each file does to them
 * (row-events.ts). It is its own database rather than a rollback on the replay's: rolling back DDL makes
 * SQLite re-read the whole schema, which on a schema of a thousand objects costs more than running the file
 * twice. When it misses a file (one that fails here but not on the replay), it is copied from the replay
 * again before the next.
 */









const SAVEPOINT = 'd1_migrate_data_check';
/** Where ADD COLUMN holds a table's rows (alter.ts heldStatement): a database of the twin's own, attached. */
const SCRATCH_SCHEMA = 'd1_migrate_scratch';
class Twin {
    wasm;
    main;
    migrationsTable;
    opts;
    db;
    filler;
    events;
    /** Virtual tables (lower-cased): their shadow tables are not filled. */
    virtuals = new Set();
    /** Tables reported as not covered, so each is named once per run. */
    uncoveredSeen = new Set();
    uncovered = [];
    /** The twin missed a file (it failed there, the replay did not): copy the replay's database before the next. */
    outOfSync = false;
    /** Tables given synthetic rows (lower-cased). */
    filledOnce = new Set();
    /** Plain indexes the twin skipped (lower-cased names); see skipIndex(). */
    skippedIndexes = new Set();
    /** Highest sqlite_schema rowid seen: rows above it are objects created since. */
    schemaRowid = 0;
    /** An empty connection for alter.ts. */
    scratch;
    savepoint;
    release;
    constructor(wasm, 
    /** The replay's database (copied after a missed file); a function because the replay may change it. */
    main, migrationsTable, 
    /** exactAlter, rowsHoldConstraints: see ReplayInput and alter.ts. */
    opts = {}, 
    /** Where a previous run left it (replay cache). */
    from) {
        this.wasm = wasm;
        this.main = main;
        this.migrationsTable = migrationsTable;
        this.opts = opts;
        this.events = new RowEvents((lower) => lower === migrationsTable.toLowerCase() || lower.startsWith('sqlite_'));
        if (from) {
            this.db = this.open(wasm.openImage(from.image));
            const s = from.state;
            this.virtuals = new Set(s.virtuals);
            this.uncoveredSeen = new Set(s.uncoveredSeen);
            this.uncovered = [...s.uncovered];
            this.outOfSync = s.outOfSync;
            this.filledOnce = new Set(s.filledOnce);
            this.skippedIndexes = new Set(s.skippedIndexes);
            this.schemaRowid = s.schemaRowid;
            this.filler = Filler.restore(this.db, s.filler);
            return;
        }
        this.db = this.open(wasm.open());
        this.db.tryExec(createMigrationsTableSql(migrationsTable));
        this.filler = new Filler(this.db);
    }
    /** Its database and bookkeeping, to go on from later (replay cache). */
    snapshot() {
        return {
            image: this.db.serialize(),
            state: {
                virtuals: [...this.virtuals],
                uncoveredSeen: [...this.uncoveredSeen],
                uncovered: [...this.uncovered],
                outOfSync: this.outOfSync,
                filledOnce: [...this.filledOnce],
                skippedIndexes: [...this.skippedIndexes],
                schemaRowid: this.schemaRowid,
                filler: this.filler.state(),
            },
        };
    }
    open(db) {
        db.attachScratch(SCRATCH_SCHEMA);
        this.events.attach(db);
        this.savepoint = db.control(`SAVEPOINT ${SAVEPOINT}`);
        this.release = db.control(`RELEASE ${SAVEPOINT}`);
        return db;
    }
    close() {
        this.closeDb();
        this.scratch?.close();
        this.scratch = undefined;
    }
    closeDb() {
        this.savepoint.close();
        this.release.close();
        this.db.close();
    }
    /** Opens the file's transaction. */
    begin() {
        const error = this.savepoint.run();
        if (error)
            throw new Error(`data check: SAVEPOINT failed: ${error}`);
    }
    /** Commits it; SQLite's error (deferred foreign keys), if any. */
    commit() {
        return this.release.run();
    }
    /** Rolls the file back: the twin then misses it, and is copied from the replay before the next file. */
    abandon() {
        this.db.tryExec(`ROLLBACK TO ${SAVEPOINT}`);
        this.db.tryExec(`RELEASE ${SAVEPOINT}`);
        this.outOfSync = true;
    }
    /** Runs `fn` and rolls back everything it did; plain indexes it creates or drops are forgotten too. */
    tryOut(name, fn) {
        const skipped = new Set(this.skippedIndexes);
        const begin = this.db.tryExec(`SAVEPOINT ${name}`);
        if (begin)
            throw new Error(`data check: SAVEPOINT failed: ${begin}`);
        try {
            return fn();
        }
        finally {
            this.db.tryExec(`ROLLBACK TO ${name}`);
            this.db.tryExec(`RELEASE ${name}`);
            this.skippedIndexes = skipped;
        }
    }
    /**
     * Steps through the file; `executed` receives each statement's position (statement indexes of the events).
     * `following`: the file already applied on the replay (see DataCheck.follow).
     */
    execute(text, executed, opts = {}) {
        const walk = eachStatement(this.db, text, 0, (stmt, start, end) => {
            const kind = mayClassify(text.bytes, start) ? classifyStatement(text.slice(start, end)) : { kind: 'other' };
            // As the replay: D1 ignores it inside the file's transaction.
            if (kind.kind === 'pragma-foreign-keys')
                return undefined;
            // The replay stops here as wrangler does; static rules report these.
            if (kind.kind === 'transaction' || kind.kind === 'attach' || kind.kind === 'vacuum')
                return 'skip';
            if (this.skipIndex(text, start, end))
                return undefined;
            this.events.statement = executed.length;
            executed.push({ start, end });
            if (kind.kind === 'add-column' && !this.opts.exactAlter && this.addColumn(kind.table, kind.schema, text.slice(start, end), opts.following === true))
                return undefined;
            const error = stmt.run();
            return error === undefined ? undefined : { failure: { message: error, at: describe(text, executed[executed.length - 1]) } };
        });
        // A statement that does not prepare fails the same way on the replay, which reports it.
        if ('failed' in walk)
            return { failure: { message: walk.failed.message } };
        return 'stopped' in walk ? walk.stopped : {};
    }
    /**
     * ADD COLUMN by alter.ts (no schema reload); ADD COLUMN changes no row, so the copy it makes of the table's
     * rows is not recorded. The re-created table is not new: the schema rowids it took are counted as seen.
     */
    addColumn(table, schema, sql, succeeded) {
        const done = this.events.paused(() => addColumn(this.db, () => (this.scratch ??= this.wasm.open()), { table, schema, sql }, { succeeded, rowsHoldConstraints: this.opts.rowsHoldConstraints === true }));
        if (done)
            this.schemaRowid = Math.max(this.schemaRowid, Number(this.db.rows(`SELECT max(rowid) FROM sqlite_schema`)[0]?.[0] ?? 0));
        return done;
    }
    /** The failure of a file that ran to its end: deferred foreign keys still violated. */
    pendingForeignKeys() {
        return this.db.deferredViolations() > 0 ? { message: 'FOREIGN KEY constraint failed' } : undefined;
    }
    /** Whether `message` is about an index the twin skipped (INDEXED BY, REINDEX …): the twin's doing, not the data's. */
    missingSkippedIndex(message) {
        const missing = /^no such index: (.+)$/.exec(message)?.[1];
        return missing !== undefined && this.skippedIndexes.has(missing.toLowerCase());
    }
    /**
     * Plain indexes (not UNIQUE, no expression, not partial) change no statement's outcome, yet every one of
     * them is parsed again each time an ALTER TABLE reloads the schema. The twin does without them — a third
     * of its work on a large schema — and skips dropping the ones it never created.
     */
    skipIndex(text, start, end) {
        const b = text.bytes[start] | 0x20;
        if (b !== 0x63 && b !== 0x64)
            return false; // 'c' or 'd'
        const head = text.slice(start, Math.min(end, start + 24));
        if (!/^(CREATE|DROP)\s+INDEX\b/i.test(head))
            return false;
        const facts = analyseStatement(text.slice(start, end));
        if (facts.index?.drop)
            return this.skippedIndexes.delete(facts.index.name.toLowerCase());
        if (facts.index && !facts.dataDependent) {
            this.skippedIndexes.add(facts.index.name.toLowerCase());
            return true;
        }
        return false;
    }
    /** Whether a trigger fires on any of `tables` (lower-cased; views included). */
    triggersOn(tables) {
        return this.db.rows(`SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND lower(tbl_name) IN (SELECT value FROM json_each(?1)) LIMIT 1`, [JSON.stringify([...tables])]).length > 0;
    }
    /** Row counts of tables, in one query. */
    counts(tables) {
        if (tables.length === 0)
            return new Map();
        const row = this.db.rows(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${tables_q(t)})`).join(', ')}`)[0] ?? [];
        return new Map(tables.map((t, i) => [t.toLowerCase(), Number(row[i] ?? 0)]));
    }
    /** The migrations table and SQLite's and D1's own tables. */
    internal(lower) {
        return lower === this.migrationsTable.toLowerCase() || lower.startsWith('sqlite_') || lower.startsWith('_cf_');
    }
    /** Whether every one of `tables` held synthetic rows (none was reported as not covered). */
    covers(tables) {
        return tables.every((t) => !this.uncoveredSeen.has(t.toLowerCase()));
    }
    /**
     * Gives the tables the file created synthetic rows, and tops up tables left with too few. New tables are
     * read by rowid from sqlite_schema (new rows get higher rowids), which is far cheaper than a scan of it.
     */
    refill(ff, events) {
        let objects = new Map();
        if (ff.creates.size > 0 || ff.renames.length > 0) {
            const rows = this.db.rows(`SELECT rowid, name, sql FROM sqlite_schema WHERE rowid > ?1 AND type = 'table'`, [this.schemaRowid]).map(([rowid, name, sql]) => {
                this.schemaRowid = Math.max(this.schemaRowid, Number(rowid));
                return { name: String(name), type: 'table', sql: String(sql ?? '') };
            });
            // A table renamed into place keeps its schema row; it is filled if it has too few rows (below). A
            // table created after the newest schema row was dropped may reuse that rowid: look it up by name.
            const seen = new Set(rows.map((r) => r.name.toLowerCase()));
            const missed = [...ff.creates.keys()].filter((lower) => !seen.has(lower));
            for (const o of existingObjects(this.db, missed).values())
                rows.push({ name: o.name, type: 'table', sql: o.sql });
            objects = classifyObjects(rows, this.virtuals);
        }
        const shrunk = new Map();
        for (const e of events)
            if (e.op === 'delete' && !objects.has(e.table))
                shrunk.set(e.table, e.name);
        for (const r of ff.renames)
            if (!objects.has(r.to.toLowerCase()))
                shrunk.set(r.to.toLowerCase(), r.to);
        if (shrunk.size > 0) {
            const present = existingObjects(this.db, shrunk.keys(), this.virtuals);
            const counts = this.counts([...present.values()].filter((o) => o.kind === 'table').map((o) => o.name));
            for (const [lower, n] of counts)
                if (n < SYNTHETIC_ROWS)
                    objects.set(lower, present.get(lower));
        }
        this.fillObjects(objects);
    }
    fillObjects(objects) {
        const needs = new Map();
        for (const [lower, o] of objects) {
            if (o.kind === 'virtual')
                this.noteUncovered(lower, o.name, 'a virtual table: filled by its own module, e.g. through triggers');
            if (o.kind !== 'table' || this.internal(lower) || this.uncoveredSeen.has(lower))
                continue;
            needs.set(lower, { name: o.name, sql: o.sql });
        }
        if (needs.size === 0)
            return;
        const outcome = this.filler.fill(needs, (lower) => this.filledOnce.has(lower));
        for (const [lower, [name, reason]] of outcome.uncovered)
            this.noteUncovered(lower, name, reason);
        for (const lower of outcome.filled)
            this.filledOnce.add(lower);
    }
    /** Replaces the twin by a copy of the replay's database, then fills every table again. */
    resync() {
        const image = this.main().serialize();
        this.closeDb();
        const next = this.open(this.wasm.openImage(image));
        this.db = next;
        this.filler = this.filler.rebind(next);
        this.filledOnce = new Set();
        this.skippedIndexes = new Set();
        this.outOfSync = false;
        this.schemaRowid = Number(next.rows(`SELECT max(rowid) FROM sqlite_schema`)[0]?.[0] ?? 0);
        const all = next.rows(`SELECT lower(name) FROM sqlite_schema WHERE type = 'table'`).map((r) => String(r[0]));
        this.fillObjects(existingObjects(this.db, all, this.virtuals));
    }
    noteUncovered(lower, name, reason) {
        if (this.uncoveredSeen.has(lower))
            return;
        this.uncoveredSeen.add(lower);
        this.uncovered.push(`${name} (${reason})`);
    }
}

;// CONCATENATED MODULE: ./build/src/replay/data/written-values.js


/** Words that end a SELECT's result columns or an UPDATE's SET list at the top level. */
const SELECT_END = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT', 'ON', 'RETURNING']);
const SET_END = new Set(['FROM', 'WHERE', 'RETURNING', 'ORDER', 'LIMIT']);
/** The values an INSERT … SELECT or UPDATE … SET writes (significant tokens), or undefined for other statements. */
function writtenValues(tokens) {
    const v = skipWith(tokens);
    if (isWord(tokens[v], 'INSERT', 'REPLACE'))
        return insertSelect(tokens, v);
    if (isWord(tokens[v], 'UPDATE'))
        return updateSet(tokens, v);
    return undefined;
}
function insertSelect(tokens, v) {
    let i = v + 1;
    if (isWord(tokens[i], 'OR'))
        i += 2;
    if (isWord(tokens[i], 'INTO'))
        i++;
    const target = nameAt(tokens, i);
    if (!target)
        return undefined;
    i = isWord(tokens[target.next], 'AS') ? target.next + 2 : target.next;
    let columns;
    if (isPunct(tokens[i], '(')) {
        const close = skipGroup(tokens, i);
        columns = split(tokens, i + 1, close - 1).map(([a]) => nameOf(tokens[a]));
        i = close;
    }
    i = skipWith(tokens, i);
    if (!isWord(tokens[i], 'SELECT'))
        return undefined;
    i++;
    if (isWord(tokens[i], 'DISTINCT', 'ALL'))
        i++;
    const end = topLevel(tokens, i, (t) => t.kind === 'word' && SELECT_END.has(t.value));
    const values = split(tokens, i, end).map(([from, to], k) => ({ column: columns ? (columns[k] ?? k) : k, from, to }));
    return { table: target.name, kind: 'copy', values };
}
function updateSet(tokens, v) {
    let i = v + 1;
    if (isWord(tokens[i], 'OR'))
        i += 2;
    const target = nameAt(tokens, i);
    if (!target)
        return undefined;
    const set = tokens.findIndex((t, k) => k >= target.next && isWord(t, 'SET'));
    if (set === -1)
        return undefined;
    const end = topLevel(tokens, set + 1, (t) => t.kind === 'word' && SET_END.has(t.value));
    const values = [];
    for (const [from, to] of split(tokens, set + 1, end)) {
        // `col = expr`; a row-value assignment `(a, b) = (…)` is left out.
        if (!isPunct(tokens[from + 1], '=') || isPunct(tokens[from], '('))
            continue;
        const t = tokens[from];
        if (t)
            values.push({ column: nameOf(t), from: from + 2, to });
    }
    return { table: target.name, kind: 'update', values };
}
/** The index of the first top-level token from `i` that `stop` accepts, or the end. */
function topLevel(tokens, i, stop) {
    let depth = 0;
    for (let k = i; k < tokens.length; k++) {
        const t = tokens[k];
        if (isPunct(t, '('))
            depth++;
        else if (isPunct(t, ')'))
            depth--;
        else if (depth === 0 && (stop(t) || isPunct(t, ';')))
            return k;
    }
    return tokens.length;
}
/** [from, to) ranges of the top-level comma-separated items between `from` and `to`. */
function split(tokens, from, to) {
    const out = [];
    let depth = 0;
    let start = from;
    for (let k = from; k < to; k++) {
        if (isPunct(tokens[k], '('))
            depth++;
        else if (isPunct(tokens[k], ')'))
            depth--;
        else if (depth === 0 && isPunct(tokens[k], ',')) {
            out.push([start, k]);
            start = k + 1;
        }
    }
    if (start < to)
        out.push([start, to]);
    return out;
}
/** Key of a written literal: the line of its statement and the name. */
function literalKey(line, name) {
    return `${line}\u0000${name}`;
}
/**
 * After a file ran on the twin: for every value of an INSERT … SELECT / UPDATE … SET that is a bare
 * double-quoted name, how many rows of the written table (followed through the file's later renames) hold that
 * name as text in the written column. Which of those names SQLite read as text is the replay's to say; a real
 * column's synthetic values never equal its name.
 */
function literalsWritten(db, statements, renames) {
    const out = new Map();
    statements.forEach((s, i) => {
        if (!s.tokens.some((t) => t.kind === 'dquoted'))
            return;
        const w = writtenValues(s.tokens);
        const bare = w?.values.filter((v) => s.tokens[v.from]?.kind === 'dquoted' && (v.to - v.from === 1 || isWord(s.tokens[v.from + 1], 'AS'))) ?? [];
        if (!w || bare.length === 0)
            return;
        let table = w.table;
        for (const r of renames.slice(i + 1))
            if (r && r.from.toLowerCase() === table.toLowerCase())
                table = r.to;
        const columns = db.rows(`SELECT name FROM pragma_table_info(?1)`, [table]).map((r) => String(r[0]));
        const pairs = bare
            .map((v) => ({ name: s.tokens[v.from].value, column: typeof v.column === 'number' ? columns[v.column] : columns.find((c) => c.toLowerCase() === v.column.toString().toLowerCase()) }))
            .filter((p) => p.column !== undefined);
        if (pairs.length === 0)
            return;
        const lit = (x) => `'${x.replace(/'/g, "''")}'`;
        const row = db.rows(`SELECT count(*), ${pairs.map((p) => `coalesce(sum(${tables_q(p.column)} IS ${lit(p.name)}), 0)`).join(', ')} FROM ${tables_q(table)}`)[0] ?? [];
        pairs.forEach((p, k) => out.set(literalKey(s.line, p.name), { table, column: p.column, rows: Number(row[0] ?? 0), matching: Number(row[k + 1] ?? 0) }));
    });
    return out;
}
/** A column name as written: a word as typed, a quoted name unquoted. */
function nameOf(t) {
    return t.kind === 'word' ? t.text : t.value;
}

;// CONCATENATED MODULE: ./build/src/replay/data/check.js









/** The second way's own savepoint (see boundary.ts): rolled back, the twin is as before. */
const BOUNDARY_SAVEPOINT = 'd1_migrate_boundary';
/** Single boundary values tried to name the one that breaks a file (only after the file failed with all). */
const MAX_SINGLE_FILLS = 16;
class DataCheck {
    twin;
    /** What the last file that ran to its end wrote where a copy or an UPDATE names a column in double quotes. */
    literals = new Map();
    /** The facts of the file run() let through, for follow(). */
    following;
    constructor(wasm, main, migrationsTable, opts = {}) {
        this.twin = new Twin(wasm, main, migrationsTable, opts, opts.from);
    }
    /** The twin as it is between files (replay cache). */
    snapshot() {
        return this.twin.snapshot();
    }
    close() {
        this.twin.close();
    }
    /**
     * The run-wide note about tables that could not be filled: the first `noted` of them (by default all; a
     * twin in a worker thread may have gone on past the replay's last file, see parallel.ts).
     */
    notes(noted = this.twin.uncovered.length) {
        const uncovered = this.twin.uncovered.slice(0, noted);
        if (uncovered.length === 0)
            return [];
        const shown = uncovered.slice(0, 20).join('; ');
        const more = uncovered.length > 20 ? `; and ${uncovered.length - 20} more` : '';
        const n = uncovered.length;
        return [`Data check: ${n} table${n === 1 ? '' : 's'} could not be given synthetic rows, so migrations were not checked against data in ${n === 1 ? 'it' : 'them'}: ${shown}${more}.`];
    }
    /** The twin's rows as SQL (see dump.ts). */
    dump() {
        if (this.twin.outOfSync)
            this.twin.resync();
        return dumpRows(this.twin.db, this.twin.filler, this.twin.virtuals, (lower) => this.twin.internal(lower));
    }
    /** What the replay reads of the check after a file (literalRows, covers, notes), as data for another thread. */
    readings() {
        return { literals: [...this.literals], uncovered: [...this.twin.uncoveredSeen], noted: this.twin.uncovered.length };
    }
    /** Whether every one of `tables` held synthetic rows (none was reported as not covered). */
    covers(tables) {
        return this.twin.covers(tables);
    }
    /**
     * For the file the check just ran to its end: the rows of the column that the statement at `line` writes
     * the double-quoted `name` to (see written-values.ts), or undefined.
     */
    literalRows(line, name) {
        return this.literals.get(literalKey(line, name));
    }
    /** After a fault in the check: the twin is re-copied before the next file. */
    markOutOfSync() {
        this.twin.outOfSync = true;
    }
    /**
     * Runs `text` (the file as wrangler sends it, bookkeeping INSERT included) on the twin, before the replay
     * runs it; then fills the tables the file created, for the next files.
     */
    run(file, text, parsed) {
        const twin = this.twin;
        this.literals = new Map();
        this.following = undefined;
        const ff = fileFacts(parsed);
        if (!this.canTouchRows(ff)) {
            this.following = ff;
            return { findings: [], notes: [], complete: true, follow: true };
        }
        if (twin.outOfSync)
            twin.resync();
        const { counts: rebuiltBefore, shapes } = this.rebuiltBefore(ff);
        const boundary = this.boundary(text, ff);
        twin.begin();
        const executed = [];
        // Row changes are only needed where a statement can delete or change rows.
        const record = ff.facts.some((f) => f.dataDependent);
        if (record)
            twin.events.start();
        let run;
        let events;
        try {
            run = twin.execute(text, executed);
        }
        finally {
            events = record ? twin.events.stop() : [];
        }
        if (run === 'skip') {
            this.abandon();
            return undefined;
        }
        if (run.failure) {
            this.abandon();
            const failure = run.failure;
            // INDEXED BY, REINDEX ... naming an index the twin skipped: the twin's doing, not the data's.
            if (twin.missingSkippedIndex(failure.message))
                return undefined;
            return this.failed(file, ff, failure);
        }
        const losses = findLosses(this.lossContext(), events, ff, rebuiltBefore, executed.length, (i) => describe(text, executed[i]));
        try {
            this.literals = literalsWritten(twin.db, parsed.statements, ff.facts.map((f) => f.rename));
        }
        catch {
            // Only a message detail depends on it.
        }
        const released = twin.commit();
        if (released) {
            this.abandon();
            return this.failed(file, ff, { message: released });
        }
        const findings = losses.map((l) => lossFinding(file, l));
        // Before the refill, which gives new tables (a rebuilt one renamed into place) rows of their own.
        const kept = findings.length === 0 && !boundary && shapes.size > 0 ? keptRebuilds(twin.db, ff, shapes, (t) => !twin.uncoveredSeen.has(t)) : [];
        twin.refill(ff, events);
        if (!boundary)
            return { findings, notes: [], complete: true, ...(kept.length > 0 && { kept }) };
        findings.unshift(boundaryFinding(file, boundary.failure, boundary.fills));
        return { findings, notes: [], complete: true, boundary: boundary.fills };
    }
    /**
     * After the replay applied a file run() let through: the twin runs it too (nothing to record), or, when it
     * must be copied from the replay again anyway, takes the copy, which holds the file already.
     */
    follow(text) {
        const twin = this.twin;
        const ff = this.following;
        this.following = undefined;
        if (!ff)
            return;
        if (twin.outOfSync) {
            twin.resync();
            return;
        }
        twin.begin();
        const run = twin.execute(text, [], { following: true });
        if (run === 'skip' || run.failure || twin.commit() !== undefined) {
            twin.abandon();
            return;
        }
        twin.refill(ff, []);
    }
    /**
     * Whether a statement of the file can lose rows or fail because of them (the only files the twin runs with
     * rows recorded): DML, DROP TABLE, a risky ADD COLUMN or index (analyse.ts), and an ADD COLUMN … DEFAULT on
     * a STRICT table, which checks the default's type against the rows.
     */
    canTouchRows(ff) {
        const dependent = ff.facts.filter((f) => f.dataDependent);
        // Literal rows into tables without triggers cannot reach other rows (no REPLACE, no upsert, no SELECT).
        const onlyPlainInserts = dependent.length > 0 && !ff.createsTrigger && dependent.every((f) => f.plainInsert && f.writes);
        if (dependent.length > 0 && !onlyPlainInserts)
            return true;
        if (ff.defaultsAddedTo.size === 0 && !onlyPlainInserts)
            return false;
        if (this.twin.outOfSync)
            this.twin.resync();
        if (onlyPlainInserts && this.twin.triggersOn(ff.plainInsertsInto))
            return true;
        return [...existingObjects(this.twin.db, ff.defaultsAddedTo).values()].some((o) => /\bSTRICT\b/i.test(o.sql.slice(o.sql.lastIndexOf(')'))));
    }
    /**
     * The second way (boundary.ts), for a file that copies rows out of existing tables: the failure with the
     * boundary values in those tables, and the single value that causes it where one does alone.
     */
    boundary(text, ff) {
        if (ff.copySources.size === 0)
            return undefined;
        const twin = this.twin;
        const fills = [];
        for (const [lower, o] of existingObjects(twin.db, ff.copySources, twin.virtuals)) {
            if (o.kind === 'table' && !twin.internal(lower))
                fills.push(...boundaryFills(twin.filler.tableMeta(lower, o.sql, o.name)));
        }
        if (fills.length === 0)
            return undefined;
        const all = this.withBoundary(text, fills);
        if (!all.failure)
            return undefined;
        if (all.applied.length > 1) {
            for (const fill of suspects(all.applied, all.failure.message).slice(0, MAX_SINGLE_FILLS)) {
                const one = this.withBoundary(text, [fill]);
                if (one.failure)
                    return { failure: one.failure, fills: [fill] };
            }
        }
        return { failure: all.failure, fills: all.applied };
    }
    /** Runs the file with `fills` in every row, then rolls everything back; `applied` are the fills the tables took. */
    withBoundary(text, fills) {
        const twin = this.twin;
        return twin.tryOut(BOUNDARY_SAVEPOINT, () => {
            const applied = [];
            const byTable = new Map();
            for (const f of fills)
                byTable.set(f.table, [...(byTable.get(f.table) ?? []), f]);
            for (const [table, list] of byTable) {
                const set = (l) => twin.db.tryExec(`UPDATE ${tables_q(table)} SET ${l.map((f) => `${tables_q(f.column)} = ${f.value}`).join(', ')}`);
                // One UPDATE per table; a value the table refuses (its own CHECK, a trigger) is left out.
                if (set(list) === undefined)
                    applied.push(...list);
                else if (list.length > 1)
                    for (const f of list)
                        if (set([f]) === undefined)
                            applied.push(f);
            }
            if (applied.length === 0)
                return { applied };
            const run = twin.execute(text, []);
            if (run === 'skip')
                return { applied };
            const failure = run.failure ?? twin.pendingForeignKeys();
            return { applied, ...(failure && !twin.missingSkippedIndex(failure.message) && { failure }) };
        });
    }
    /** Rolls the file back on the twin, which then misses it. */
    abandon() {
        this.literals = new Map();
        this.twin.abandon();
    }
    /** The outcome of a file the twin could not apply: a fails-with-data finding, or a note. */
    failed(file, ff, failure) {
        const f = failureFinding(file, ff, failure);
        return 'note' in f ? { findings: [], notes: [f.note], complete: false } : { findings: [f], notes: [], complete: false };
    }
    lossContext() {
        const twin = this.twin;
        return { db: twin.db, virtuals: twin.virtuals, internal: (lower) => twin.internal(lower), counts: (tables) => twin.counts(tables) };
    }
    /**
     * Row counts before the file of the tables it rebuilds (only those are compared by count), and what else
     * rebuilds.ts needs to know of them.
     */
    rebuiltBefore(ff) {
        if (ff.rebuilt.size === 0)
            return { counts: new Map(), shapes: new Map() };
        const twin = this.twin;
        const present = [...existingObjects(twin.db, ff.rebuilt, twin.virtuals).values()].filter((o) => o.kind === 'table');
        const counts = twin.counts(present.map((o) => o.name));
        return { counts, shapes: rebuildsBefore(twin.db, counts, new Map(present.map((o) => [o.name.toLowerCase(), o.name]))) };
    }
}

;// CONCATENATED MODULE: ./build/src/replay/data/runner.js
/** The check in the replay's own thread. */
class LocalRunner {
    check;
    constructor(check) {
        this.check = check;
    }
    run(_index, file, text, parsed) {
        return Promise.resolve(runChecked(this.check, file, text, parsed));
    }
    follow(text) {
        followChecked(this.check, text);
    }
    literalRows(line, name) {
        return this.check.literalRows(line, name);
    }
    covers(tables) {
        return this.check.covers(tables);
    }
    finish(_last, snapshot) {
        return Promise.resolve({ notes: this.check.notes(), ...(snapshot && { twin: this.check.snapshot() }) });
    }
    close() {
        this.check.close();
    }
}
/** One file's check; a fault in it must not stop the replay (the twin is copied again before the next file). */
function runChecked(check, file, text, parsed) {
    try {
        const outcome = check.run(file, text, parsed());
        return outcome ? { outcome } : {};
    }
    catch (e) {
        check.markOutOfSync();
        return { notes: [`Data check skipped for ${file.name}: ${e.message}`] };
    }
}
/** The twin catches up with a file that could not touch rows; a fault only costs a re-copy. */
function followChecked(check, text) {
    try {
        check.follow(text);
    }
    catch {
        check.markOutOfSync();
    }
}

;// CONCATENATED MODULE: ./build/src/replay/data/twin-worker.js
/**
 * The data check's twin in a worker thread (parallel.ts is the replay's side). It runs every file's check in
 * order, exactly as the replay's own thread would, and goes on to the next file without waiting for the
 * replay to apply this one: the twin follows a file as soon as its check says it may (a file the replay then
 * fails ends the replay, so nothing the twin did past it is read). Only when the twin must be copied from
 * the replay's database again does it wait, blocked, for the replay to get there and send the image.
 */







async function runTwinWorker(data) {
    const { port } = data;
    const post = (m, transfer = []) => port.postMessage(m, transfer);
    try {
        await checkAll(data, post);
    }
    catch (e) {
        post({ type: 'failed', message: e.message });
    }
    finally {
        port.close();
    }
}
async function checkAll(data, post) {
    const flag = new Int32Array(data.signal);
    const receive = () => {
        for (;;) {
            const got = (0,external_node_worker_threads_.receiveMessageOnPort)(data.port);
            if (got)
                return got.message;
            Atomics.wait(flag, 0, 0);
            Atomics.store(flag, 0, 0);
        }
    };
    /** Set when the replay ended while the twin waited for an image: the check unwinds and answers it. */
    let finished;
    let position = data.from;
    const replayDb = {
        serialize: () => {
            post({ type: 'need-image', before: position });
            const m = receive();
            if (m.type === 'image')
                return m.image;
            finished = m;
            throw new Error('the replay ended');
        },
    };
    const check = new DataCheck(await wasm(data.work), () => replayDb, data.migrationsTable, {
        exactAlter: data.exactAlter,
        rowsHoldConstraints: data.rowsHoldConstraints,
        ...(data.twin && { from: data.twin }),
    });
    try {
        // How many uncovered tables the run-wide note names after each file's check and after following it.
        const noted = new Map([['start', check.readings().noted]]);
        for (let i = data.from; i < data.files.length && !finished; i++) {
            const file = data.files[i];
            const trimmed = wranglerTrim(wranglerFileText(file, data.migrationsTable).full);
            // The replay refuses such a file before its check (and stops there).
            if (!trimmed.ok)
                continue;
            const text = new SqlText(trimmed.sql);
            try {
                position = i;
                const checked = runChecked(check, file, text, () => parseMigration(file));
                if (finished)
                    break;
                const readings = check.readings();
                noted.set(`${i}`, readings.noted);
                post({ type: 'outcome', index: i, checked, readings });
                if (checked.outcome?.follow) {
                    position = i + 1;
                    followChecked(check, text);
                }
                noted.set(`${i}+`, check.readings().noted);
            }
            finally {
                text.free();
            }
        }
        const end = finished ?? receiveFinish(receive);
        const last = end.last.index < data.from ? 'start' : `${end.last.index}${end.last.followed ? '+' : ''}`;
        const twin = end.snapshot ? check.snapshot() : undefined;
        post({ type: 'done', notes: check.notes(noted.get(last) ?? noted.get('start')), ...(twin && { twin }) }, twin ? [twin.image.buffer] : []);
    }
    finally {
        check.close();
    }
}
/** The replay's finish (an image it sends unasked is a protocol fault). */
function receiveFinish(receive) {
    const m = receive();
    if (m.type !== 'finish')
        throw new Error(`twin worker: expected the end of the replay, got "${m.type}"`);
    return m;
}


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(290);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
