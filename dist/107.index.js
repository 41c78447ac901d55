export const id = 107;
export const ids = [107];
export const modules = {

/***/ 107:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runPullRequestLoop: () => (/* binding */ runPullRequestLoop)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/src/engine.js + 71 modules
var engine = __webpack_require__(2675);
// EXTERNAL MODULE: ./build/src/migrations/order.js
var order = __webpack_require__(1267);
// EXTERNAL MODULE: ./build/src/replay/replay.js + 9 modules
var replay = __webpack_require__(7491);
// EXTERNAL MODULE: ./build/src/replay/schema.js
var schema = __webpack_require__(7938);
;// CONCATENATED MODULE: ./build/src/replay/index.js



// EXTERNAL MODULE: ./build/src/rules/catalog.js
var catalog = __webpack_require__(7350);
// EXTERNAL MODULE: ./build/src/report/escape.js
var report_escape = __webpack_require__(6209);
// EXTERNAL MODULE: ./build/src/report/schema-diff.js
var schema_diff = __webpack_require__(1777);
;// CONCATENATED MODULE: ./build/src/report/comment.js
/**
 * The sticky pull-request comment for one database in one environment. Pure: markdown in, markdown out.
 *
 * One comment per environment/database (not one combined comment): a matrix of environments usually runs
 * as separate jobs, and a combined comment would be overwritten by whichever job finished last. The hidden
 * marker on the first line (`<!-- d1-migrate-action:comment:<environment or top>:<binding> -->`) is how a
 * later run finds the comment to edit, so it must stay stable across runs and releases.
 *
 * Everything that comes from the repository (file names, SQL, messages) goes through escape.ts.
 */



/** GitHub rejects comment bodies over 65,536 characters; the margin covers the marker and cut notices. */
const COMMENT_LIMIT = 60_000;
/** Hidden first line identifying the comment of one environment/database. */
function commentMarker(environment, binding) {
    // encodeURIComponent keeps `-->` and newlines out of the HTML comment and keeps distinct names distinct.
    return `<!-- d1-migrate-action:comment:${encodeURIComponent(environment ?? 'top')}:${encodeURIComponent(binding)} -->`;
}
const MAX_TEXT = 1_000;
const MAX_NAME = 300;
const LIST_BUDGET = 12_000;
function cut(text, max) {
    return text.length > max ? `${text.slice(0, max)}…` : text;
}
const md = (text, max = MAX_TEXT) => (0,report_escape/* escapeMarkdown */.FV)(cut(text, max));
const code = (text, max = MAX_NAME) => (0,report_escape/* inlineCode */.ti)(cut(text, max), { table: false });
/** Lines that fit into `budget` characters (each counted with its newline), and how many did not. */
function fit(lines, budget) {
    let used = 0;
    const out = [];
    for (const line of lines) {
        if (used + line.length + 1 > budget)
            break;
        out.push(line);
        used += line.length + 1;
    }
    return { lines: out, omitted: lines.length - out.length };
}
const size = (lines) => lines.reduce((n, l) => n + l.length + 1, 0);
function verdict(db) {
    const errors = db.findings.filter((f) => f.severity === 'error').length;
    const warnings = db.findings.length - errors;
    if (db.status === 'failed')
        return { icon: '❌', text: 'failed' };
    if (db.status === 'invalid' || errors > 0)
        return { icon: '❌', text: 'invalid' };
    if (db.status === 'skipped')
        return { icon: '⚠️', text: 'skipped' };
    if (warnings > 0)
        return { icon: '⚠️', text: `${db.status} with warnings` };
    return { icon: '✅', text: db.status };
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
/** Percent-encodes a path for a link destination, including the `(`, `)` and spaces markdown would stop at. */
function encodePath(path) {
    return path
        .split('/')
        .map((s) => encodeURIComponent(s).replace(/[()'*!~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
        .join('/');
}
function shellWord(value) {
    return /^[A-Za-z0-9_./,:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
function reproduceCommand(db, repoPrefix) {
    const parts = ['npx', 'd1-migrate', 'validate'];
    if (repoPrefix)
        parts.push('--cwd', shellWord(repoPrefix));
    if (db.environment)
        parts.push('--env', shellWord(db.environment));
    parts.push('--database', shellWord(db.binding));
    return parts.join(' ');
}
function renderComment(input) {
    const { db, pr } = input;
    const limit = input.maxLength ?? COMMENT_LIMIT;
    const server = (input.serverUrl || 'https://github.com').replace(/\/+$/, '');
    const prefix = (input.repoPrefix ?? '').replace(/^\.\/?|\/+$/g, '');
    const removed = new Set(input.removed ?? []);
    const blob = (file, line) => {
        const sha = removed.has(file) && pr.baseSha ? pr.baseSha : pr.headSha;
        const path = prefix ? `${prefix}/${file}` : file;
        return `${server}/${encodeURIComponent(pr.owner)}/${encodeURIComponent(pr.repo)}/blob/${encodeURIComponent(sha)}/${encodePath(path)}${line ? `#L${line}` : ''}`;
    };
    // Header: always shown in full (except notes, which are capped).
    const v = verdict(db);
    const errors = db.findings.filter((f) => f.severity === 'error').length;
    const warnings = db.findings.length - errors;
    const where = `${code(db.binding)} (${md(db.databaseName, MAX_NAME)})${db.environment ? ` · ${md(db.environment, MAX_NAME)}` : ''}`;
    const header = [
        commentMarker(db.environment, db.binding),
        `### ${v.icon} D1 migrations: ${where}`,
        '',
        `**${md(v.text)}**: ${plural(db.migrations.length, 'migration')} in ${code(db.migrationsDir)}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`,
    ];
    if (db.failure)
        header.push('', `**${md(db.failure.phase)} failed** (${code(db.failure.kind)}): ${md(db.failure.message)}`);
    if (db.failed) {
        const line = db.failed.line ? ` line ${db.failed.line}` : '';
        header.push('', `**Failed migration:** ${code(db.failed.name)}${line}: ${md(db.failed.message)}`);
    }
    const notes = fit(db.notes.map((n) => `> ${md(n)}`), 4_000);
    if (notes.lines.length)
        header.push('', ...notes.lines.flatMap((l, i) => (i ? ['>', l] : [l])));
    // Pending list: the ledger's when preview ran, else what this PR adds.
    const pendingNames = db.pending ?? input.added;
    const label = db.pending !== undefined
        ? `Pending on ${md(db.databaseName, MAX_NAME)}${input.target ? ` (${input.target})` : ''}, from the database's ledger`
        : 'Migrations added by this pull request (compared with the base branch)';
    const pendingItems = fit(pendingNames.map((n) => `- ${code(n)}`), LIST_BUDGET);
    const pending = ['', `#### ${label}: ${pendingNames.length}`, ''];
    if (pendingNames.length === 0)
        pending.push(db.pending !== undefined ? 'Nothing pending: merging applies no migration.' : 'None.');
    pending.push(...pendingItems.lines);
    if (pendingItems.omitted)
        pending.push(`- … and ${pendingItems.omitted} more`);
    // Schema diff.
    const schema = [];
    let schemaOmitted = 0;
    if (input.schema) {
        schema.push('', '#### Schema changes (base branch → this pull request)', '');
        if ('error' in input.schema) {
            schema.push(`Not computed: ${md(input.schema.error)}`);
        }
        else if (input.schema.changes.length === 0) {
            schema.push('No schema changes.');
        }
        else {
            const items = fit((0,schema_diff/* renderSchemaDiffLines */.gH)(input.schema.changes), LIST_BUDGET);
            schema.push(...items.lines);
            schemaOmitted = items.omitted;
            if (schemaOmitted)
                schema.push(`- … and ${schemaOmitted} more`);
        }
    }
    const footerFor = (truncated) => {
        const summary = input.runUrl ? `[job summary](${input.runUrl})` : 'job summary of this run';
        const out = [''];
        if (truncated)
            out.push(`> [!NOTE]`, `> This comment was shortened to stay under GitHub's size limit; the ${summary} has the full report.`, '');
        out.push(`Reproduce locally: ${code(input.reproduce ?? reproduceCommand(db, prefix || undefined), 1_000)}`);
        out.push('', `<sub>Updated for ${code(pr.headSha.slice(0, 7))}${input.runUrl ? ` · [run](${input.runUrl})` : ''} · d1-migrate-action</sub>`);
        return out;
    };
    // Data-loss findings come right after the verdict: they are the ones that destroy rows in production.
    const dataFindings = db.findings.filter((f) => catalog/* DATA_LOSS_RULES */.RQ.has(f.rule));
    const dataItems = fit(renderFindings(dataFindings, blob), LIST_BUDGET);
    const dataBlock = [];
    if (dataFindings.length) {
        dataBlock.push('', `#### ⚠️ Data loss: ${plural(dataFindings.length, 'finding')} of the data check`, '', 'Run on tables holding rows, these migrations delete or change rows, or fail; on an empty database (local tests) they pass.', '', ...dataItems.lines);
        if (dataItems.omitted)
            dataBlock.push(`- … ${dataItems.omitted} more lines`);
    }
    // Findings take what is left, so a flood of findings cannot push out the pending list or the diff.
    const others = db.findings.filter((f) => !catalog/* DATA_LOSS_RULES */.RQ.has(f.rule));
    const findingLines = renderFindings(others, blob);
    const fixed = size(header) + size(dataBlock) + size(pending) + size(schema) + size(footerFor(true));
    const findings = fit(findingLines, Math.max(0, limit - fixed - 200));
    const findingsBlock = [];
    if (findingLines.length) {
        findingsBlock.push('', `#### ${dataFindings.length ? 'Other findings' : 'Findings'}: ${plural(others.length, 'finding')}`, '', ...findings.lines);
        if (findings.omitted)
            findingsBlock.push(`- … ${findings.omitted} more lines of findings`);
    }
    const truncated = pendingItems.omitted > 0 || schemaOmitted > 0 || findings.omitted > 0 || notes.omitted > 0 || dataItems.omitted > 0;
    let body = [...header, ...dataBlock, ...pending, ...findingsBlock, ...schema, ...footerFor(truncated)].join('\n');
    if (body.length > limit) {
        // Only reachable with an absurd header (e.g. a huge failure message): cut at a line boundary.
        const tail = footerFor(true).join('\n');
        const head = body.slice(0, Math.max(0, limit - tail.length - 1));
        body = `${head.slice(0, head.lastIndexOf('\n'))}\n${tail}`;
    }
    return body;
}
/** Findings grouped by file (whole-set findings last), one list item each with a link to the line. */
function renderFindings(findings, blob) {
    const groups = new Map();
    for (const f of findings) {
        const k = f.file ?? '';
        groups.set(k, [...(groups.get(k) ?? []), f]);
    }
    const keys = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
    const lines = [];
    for (const file of keys) {
        const list = groups.get(file) ?? [];
        list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
        lines.push(file ? `**[${md(file, MAX_NAME)}](${blob(file)})**` : '**The migration set as a whole**');
        for (const f of list) {
            const icon = f.severity === 'error' ? '❌' : '⚠️';
            const at = file && f.line ? ` [line ${f.line}](${blob(file, f.line)})` : '';
            lines.push(`- ${icon} [${code(f.rule, 100)}](${(0,catalog/* ruleDocsUrl */.hS)(encodeURIComponent(f.rule))})${at}: ${md(f.message)}`);
        }
        lines.push('');
    }
    lines.pop();
    return lines;
}

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(1758);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
;// CONCATENATED MODULE: ./build/src/github/client.js
/**
 * The Octokit client of the PR loop: @actions/github's (proxy-aware, GHES-aware through `baseUrl`) plus
 * the retry and throttling plugins, so rate limits and transient 5xx are handled by Octokit rather than
 * by hand-written loops.
 */



function createClient(token, apiUrl, opts = {}) {
    const rateLimitRetries = opts.rateLimitRetries ?? 2;
    const maxWait = opts.maxRateLimitWaitSeconds ?? 60;
    const base = opts.retryAfterBaseValue ?? 1000;
    const onLimit = (kind) => (retryAfter, options, _octokit, retryCount) => {
        const what = `${options.method ?? ''} ${options.url ?? ''}`.trim();
        if (retryCount >= rateLimitRetries || retryAfter > maxWait) {
            opts.log?.(`GitHub API ${kind} rate limit on ${what}; not retrying (asked to wait ${retryAfter}s).`);
            return false;
        }
        opts.log?.(`GitHub API ${kind} rate limit on ${what}; retrying after ${retryAfter}s.`);
        return true;
    };
    return (0,github/* getOctokit */.Q)(token, {
        baseUrl: (apiUrl || 'https://api.github.com').replace(/\/+$/, ''),
        // Set on the plugins rather than `request`: replacing `request` would drop @actions/github's proxy fetch.
        retry: { retries: opts.retries ?? 3, retryAfterBaseValue: base },
        throttle: {
            retryAfterBaseValue: base,
            fallbackSecondaryRateRetryAfter: 60,
            onRateLimit: onLimit('primary'),
            onSecondaryRateLimit: onLimit('secondary'),
        },
        // Octokit's default logger writes request failures to the console; the loop reports them as warnings.
        log: { debug: () => { }, info: () => { }, warn: (m) => opts.log?.(m), error: (m) => opts.log?.(m) },
    }, dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
}
/** An error message fit for a warning: HTTP status and GitHub's message, with the token scrubbed just in case. */
function describeApiError(error, token) {
    const e = error;
    const status = typeof e?.status === 'number' ? e.status : undefined;
    let message = typeof e?.response?.data?.message === 'string' ? e.response.data.message : typeof e?.message === 'string' ? e.message : String(error);
    if (token)
        message = message.split(token).join('***');
    return { status, message: status ? `HTTP ${status}: ${message}` : message };
}

;// CONCATENATED MODULE: ./build/src/github/comment.js
/**
 * Creates the sticky comment once and edits it on every later run, found by its hidden marker.
 */

/**
 * Never throws: a comment is a convenience, and a fork's read-only token (403), a deleted PR (404) or an
 * API outage must not fail a migration check. Failures come back as a warning to show.
 */
async function upsertComment(input) {
    const { event, marker, body, token } = input;
    const client = input.client ?? createClient(token, input.apiUrl, input.clientOptions);
    const where = { owner: event.owner, repo: event.repo };
    let existing;
    try {
        const comments = await client.paginate(client.rest.issues.listComments, { ...where, issue_number: event.number, per_page: 100 });
        // Only the first line counts: someone quoting our comment elsewhere must not become the one we edit.
        existing = comments.find((c) => (c.body ?? '').split('\n', 1)[0].trim() === marker);
    }
    catch (error) {
        return { warning: explain('read the comments of', error, input) };
    }
    try {
        if (existing) {
            const res = await client.rest.issues.updateComment({ ...where, comment_id: existing.id, body });
            return { id: res.data.id, url: res.data.html_url, created: false };
        }
        const res = await client.rest.issues.createComment({ ...where, issue_number: event.number, body });
        return { id: res.data.id, url: res.data.html_url, created: true };
    }
    catch (error) {
        return { warning: explain(existing ? 'update the comment on' : 'comment on', error, input) };
    }
}
function explain(action, error, input) {
    const { status, message } = describeApiError(error, input.token);
    let hint = '';
    if (status === 403 || status === 404 || status === 401) {
        hint = input.event.fork
            ? ' This pull request comes from a fork, where the workflow token is read-only; the job summary has the full report.'
            : " The token needs `pull-requests: write` (workflow `permissions:`); the job summary has the full report.";
    }
    return `Could not ${action} pull request #${input.event.number} (${message}).${hint}`;
}

;// CONCATENATED MODULE: ./build/src/github/modified-migrations.js
/**
 * Which migrations a pull request adds, and which migrations that already exist on the base branch it
 * edits, renames or deletes (`modified-migration`). Pure: works on the PR's file list from the API, so it
 * does not depend on how much git history the checkout has.
 */


const MODIFIED_MIGRATION_RULE = 'modified-migration';
const NEW_MIGRATION_ADVICE = 'Restore the original file and make the change in a new migration instead.';
function migrationChanges(files, db, ctx = {}) {
    const prefix = clean(ctx.repoPrefix ?? '');
    const dir = clean(external_node_path_.posix.join(prefix, db.migrationsDir));
    const names = new Set(db.migrations);
    const base = ctx.baseRef ? `the base branch (${ctx.baseRef})` : 'the base branch';
    /** Migration name of a repo-relative path, or null when the path is not a migration of this directory. */
    const nameOf = (path) => {
        if (!path)
            return null;
        if (dir !== '' && !path.startsWith(`${dir}/`))
            return null;
        const name = dir === '' ? path : path.slice(dir.length + 1);
        // A deleted file is no longer discovered, so recognise migrations by extension too (wrangler runs *.sql).
        return names.has(name) || name.endsWith('.sql') ? name : null;
    };
    const local = (path) => clean(prefix === '' ? path : external_node_path_.posix.relative(prefix, path));
    const findings = [];
    const added = new Set();
    const removed = [];
    for (const f of files) {
        const name = nameOf(f.filename);
        switch (f.status) {
            case 'added':
            case 'copied':
                if (name !== null && names.has(name))
                    added.add(name);
                break;
            case 'renamed': {
                const previous = nameOf(f.previous_filename);
                if (previous === null) {
                    if (name !== null && names.has(name))
                        added.add(name);
                }
                else if (name !== null) {
                    findings.push({
                        rule: MODIFIED_MIGRATION_RULE,
                        severity: (0,catalog/* ruleInfo */.PI)(MODIFIED_MIGRATION_RULE).severity,
                        file: local(f.filename),
                        message: `${previous} exists on ${base} and this pull request renames it to ${name}. wrangler identifies ` +
                            `migrations by file name, so every database that already applied ${previous} would run ${name} ` +
                            `again (and fail or duplicate its changes). Keep the original name; put further changes in a new migration.`,
                    });
                }
                else {
                    removed.push(local(f.previous_filename ?? ''));
                    findings.push(removalFinding(local(f.previous_filename ?? ''), previous, base, 'moves it out of the migrations folder'));
                }
                break;
            }
            case 'modified':
            case 'changed':
                if (name !== null) {
                    findings.push({
                        rule: MODIFIED_MIGRATION_RULE,
                        severity: (0,catalog/* ruleInfo */.PI)(MODIFIED_MIGRATION_RULE).severity,
                        file: local(f.filename),
                        line: firstChangedLine(f.patch),
                        message: `${name} exists on ${base} and this pull request edits it. wrangler never runs an applied migration ` +
                            `again, so the edit silently reaches no database that already applied it, and those databases drift ` +
                            `from fresh ones. ${NEW_MIGRATION_ADVICE}`,
                    });
                }
                break;
            case 'removed':
                if (name !== null) {
                    removed.push(local(f.filename));
                    findings.push(removalFinding(local(f.filename), name, base, 'deletes it'));
                }
                break;
            default:
                break;
        }
    }
    return { findings, added: db.migrations.filter((n) => added.has(n)), removed };
}
function removalFinding(file, name, base, what) {
    return {
        rule: MODIFIED_MIGRATION_RULE,
        severity: (0,catalog/* ruleInfo */.PI)(MODIFIED_MIGRATION_RULE).severity,
        file,
        message: `${name} exists on ${base} and this pull request ${what}. Databases that applied it keep its changes and ` +
            `its ledger row (reported as applied-file-missing), while new databases no longer get them. To undo a ` +
            `migration, add a new migration that reverses it.`,
    };
}
function clean(p) {
    const n = external_node_path_.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\/?/, '').replace(/\/$/, '');
    return n === '.' ? '' : n;
}
/** First added or removed line in a unified diff, as a line number in the new file. */
function firstChangedLine(patch) {
    if (!patch)
        return undefined;
    let line;
    for (const l of patch.split('\n')) {
        const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(l);
        if (hunk) {
            line = Number(hunk[1]);
            continue;
        }
        if (line === undefined)
            continue;
        if (l.startsWith('+') || l.startsWith('-'))
            return Math.max(1, line);
        if (!l.startsWith('\\'))
            line++;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/src/github/pull-request.js
/**
 * The pull request a run belongs to (from the event payload the runner writes to GITHUB_EVENT_PATH) and
 * the files it changes (from the REST API, every page).
 */

function obj(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}
function str(v) {
    return typeof v === 'string' && v !== '' ? v : undefined;
}
/**
 * The pull request of this run, or null when the event is not a pull request or the payload is missing
 * or unreadable (the PR loop then does nothing: a comment is never worth failing a run).
 */
function readPullRequestEvent(env) {
    const eventName = env.GITHUB_EVENT_NAME;
    if (eventName !== 'pull_request' && eventName !== 'pull_request_target')
        return null;
    if (!env.GITHUB_EVENT_PATH)
        return null;
    let payload;
    try {
        payload = obj(JSON.parse((0,external_node_fs_.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8')));
    }
    catch {
        return null;
    }
    const pr = obj(payload?.pull_request);
    const head = obj(pr?.head);
    const base = obj(pr?.base);
    const number = typeof pr?.number === 'number' ? pr.number : typeof payload?.number === 'number' ? payload.number : undefined;
    // The base repository is where the PR (and its comments) live; GITHUB_REPOSITORY is the same on both events.
    const repository = str(obj(base?.repo)?.full_name) ?? str(obj(payload?.repository)?.full_name) ?? str(env.GITHUB_REPOSITORY);
    const headSha = str(head?.sha);
    if (!pr || number === undefined || !repository || !headSha)
        return null;
    const [owner, repo] = repository.split('/');
    if (!owner || !repo)
        return null;
    const headRepo = str(obj(head?.repo)?.full_name) ?? null;
    return {
        eventName,
        owner,
        repo,
        number,
        headSha,
        headRepo,
        baseSha: str(base?.sha) ?? '',
        baseRef: str(base?.ref) ?? '',
        fork: headRepo !== null && headRepo.toLowerCase() !== repository.toLowerCase(),
    };
}
/**
 * Every file the pull request changes, all pages. The endpoint returns at most 3,000 files (GitHub's
 * limit); a larger PR is incomplete here, which only weakens modified-migration detection, never invents
 * findings.
 */
async function listPullRequestFiles(octokit, event) {
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
        owner: event.owner,
        repo: event.repo,
        pull_number: event.number,
        per_page: 100,
    });
    return files.map((f) => ({
        filename: f.filename,
        status: f.status,
        previous_filename: f.previous_filename,
        patch: f.patch,
    }));
}

;// CONCATENATED MODULE: ./build/src/github/run-pr-loop.js
/**
 * The pull-request loop, run by src/main.ts after the engine: detect edited migrations from the PR's file
 * list, then create or edit one sticky comment per environment/database.
 *
 * Contract with the caller: `report` is updated in place. modified-migration findings are appended to
 * each DatabaseReport, and database and run status, counts, `failed` and `failureMessage` are recomputed
 * with the engine's own rules, so annotations, the job summary, the JSON report and the exit status written
 * afterwards include them. It never throws for GitHub API problems: those come back in `warnings`.
 */











const REPLAY_BLOCKERS = new Set(['replay-error', 'sql-syntax']);
/** Migrations table the schema replay hides; DatabaseReport does not carry the configured one. */
const DEFAULT_MIGRATIONS_TABLE = 'd1_migrations';
async function runPullRequestLoop(input) {
    const { env, report, options, io } = input;
    const result = { comments: [], warnings: [] };
    const event = readPullRequestEvent(env);
    if (!event) {
        io.debug('pull-request loop: not a pull_request event (or no readable payload); skipped');
        return result;
    }
    const token = input.token;
    if (!token) {
        result.warnings.push('No github-token: the pull-request comment and the modified-migration check were skipped.');
        return result;
    }
    const log = (m) => io.info(m);
    const client = createClient(token, env.GITHUB_API_URL, { log, ...input.client });
    const repoPrefix = repoPrefixOf(env, options.cwd);
    let files = null;
    try {
        files = await listPullRequestFiles(client, event);
        io.info(`pull request #${event.number}: ${files.length} changed file(s)`);
    }
    catch (error) {
        const { message } = describeApiError(error, token);
        result.warnings.push(`Could not list the files of pull request #${event.number} (${message}); the modified-migration check was skipped.`);
    }
    const changes = new Map();
    if (files) {
        const checkEdits = !options.disableRules.includes(MODIFIED_MIGRATION_RULE);
        let addedFindings = false;
        for (const db of report.databases) {
            const c = migrationChanges(files, db, { repoPrefix, baseRef: event.baseRef });
            changes.set(db, c);
            if (!checkEdits || c.findings.length === 0)
                continue;
            // Idempotent if the caller runs the loop twice on one report.
            const seen = new Set(db.findings.filter((f) => f.rule === MODIFIED_MIGRATION_RULE).map((f) => f.file));
            const fresh = c.findings.filter((f) => !seen.has(f.file));
            if (fresh.length === 0)
                continue;
            db.findings.push(...fresh);
            db.status = (0,engine/* databaseStatus */.KN)(db, options);
            addedFindings = true;
        }
        if (addedFindings)
            Object.assign(report, (0,engine/* summarise */.fS)(report.databases, options, report.durationMs));
    }
    // comment: off turns off the comment only: an edited migration is an error whether or not anyone comments.
    if (options.comment === 'off') {
        io.debug('pull-request loop: comment is off; no comment posted');
        return result;
    }
    const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
    const runUrl = env.GITHUB_RUN_ID ? `${serverUrl}/${event.owner}/${event.repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
    for (const db of report.databases) {
        const c = changes.get(db);
        const schema = c ? await schemaDiff(db, c, options.cwd, io) : undefined;
        const body = renderComment({
            db,
            pr: { owner: event.owner, repo: event.repo, number: event.number, headSha: event.headSha, baseSha: event.baseSha },
            serverUrl,
            runUrl,
            repoPrefix,
            added: c?.added ?? [],
            removed: c?.removed,
            schema,
            target: options.target,
        });
        const posted = await upsertComment({ token, event, marker: commentMarker(db.environment, db.binding), body, client });
        if ('warning' in posted) {
            result.warnings.push(posted.warning);
            continue;
        }
        io.info(`${posted.created ? 'Created' : 'Updated'} the pull-request comment for ${db.environment ?? 'top level'} · ${db.binding}: ${posted.url}`);
        result.comments.push({ environment: db.environment, binding: db.binding, id: posted.id, url: posted.url, created: posted.created });
    }
    if (result.comments.length) {
        result.commentId = result.comments[0].id;
        result.commentUrl = result.comments[0].url;
    }
    return result;
}
/**
 * Schema before and after this PR's added migrations: the current files minus the added ones, replayed,
 * against all of them. Edits to existing files are already an error of their own, so "before" uses the
 * files as they are in the PR rather than fetching the base versions.
 */
async function schemaDiff(db, c, cwd, io) {
    if (c.added.length === 0)
        return { changes: [] };
    // A replay that stops at a broken statement would present a half-applied schema as the PR's effect.
    if (db.findings.some((f) => REPLAY_BLOCKERS.has(f.rule) && f.severity === 'error')) {
        return { error: 'the migrations do not replay cleanly (see the findings).' };
    }
    try {
        const files = db.migrations.map((name) => migrationFile(cwd, db.migrationsDir, name));
        const added = new Set(c.added);
        const before = await (0,replay/* schemaOf */.p)(files.filter((f) => !added.has(f.name)), DEFAULT_MIGRATIONS_TABLE);
        const after = await (0,replay/* schemaOf */.p)(files, DEFAULT_MIGRATIONS_TABLE);
        return { changes: (0,schema_diff/* diffSchemas */.e7)(before, after) };
    }
    catch (error) {
        io.debug(`schema diff failed: ${describeApiError(error).message}`);
        return { error: 'the migrations could not be replayed (see the findings).' };
    }
}
function migrationFile(cwd, migrationsDir, name) {
    const path = (0,external_node_path_.resolve)(cwd, migrationsDir, name);
    const sql = (0,external_node_fs_.readFileSync)(path, 'utf8');
    const relPath = (0,external_node_path_.relative)(cwd, path).split(external_node_path_.sep).join('/');
    return { name, path, relPath, number: (0,order/* wrangler486Number */.Gd)(name), numberText: (0,order/* leadingDigits */.bq)(name), sql, bytes: (0,external_node_fs_.statSync)(path).size };
}
/** The working directory relative to the checkout root: PR file paths are repository-relative. */
function repoPrefixOf(env, cwd) {
    const root = env.GITHUB_WORKSPACE;
    if (!root)
        return '';
    const rel = (0,external_node_path_.relative)((0,external_node_path_.resolve)(root), (0,external_node_path_.resolve)(cwd));
    if (rel === '' || rel.startsWith('..') || (0,external_node_path_.isAbsolute)(rel))
        return '';
    return rel.split(external_node_path_.sep).join('/');
}


/***/ })

};
