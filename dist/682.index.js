export const id = 682;
export const ids = [682];
export const modules = {

/***/ 6682:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  changeSetOf: () => (/* binding */ changeSetOf),
  postComments: () => (/* binding */ postComments),
  readPullRequest: () => (/* binding */ readPullRequest)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/src/config/paths.js
var paths = __webpack_require__(192);
// EXTERNAL MODULE: ./build/src/report/label.js
var label = __webpack_require__(5774);
// EXTERNAL MODULE: ./build/src/rule-catalog.js
var rule_catalog = __webpack_require__(3705);
// EXTERNAL MODULE: ./build/src/report/escape.js
var report_escape = __webpack_require__(6209);
// EXTERNAL MODULE: ./build/src/report/groups.js
var groups = __webpack_require__(662);
// EXTERNAL MODULE: ./build/src/report/preflight.js
var report_preflight = __webpack_require__(987);
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
const md = (text, max = MAX_TEXT) => (0,report_escape/* escapeMarkdown */.FV)((0,report_escape/* cut */.Jj)(text, max));
const code = (text, max = MAX_NAME) => (0,report_escape/* inlineCode */.ti)((0,report_escape/* cut */.Jj)(text, max), { table: false });
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
    const { judged } = (0,groups/* partitionFindings */.p7)(db);
    const errors = judged.filter((f) => f.severity === 'error').length;
    const warnings = judged.length - errors;
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
    const { judged, informational } = (0,groups/* partitionFindings */.p7)(db);
    const errors = judged.filter((f) => f.severity === 'error').length;
    const warnings = judged.length - errors;
    const where = `${code(db.binding)} (${md(db.databaseName, MAX_NAME)})${db.environment ? ` · ${md(db.environment, MAX_NAME)}` : ''}`;
    const header = [
        commentMarker(db.environment, db.binding),
        `### ${v.icon} D1 migrations: ${where}`,
        '',
        `**${md(v.text)}**: ${plural(db.migrations.length, 'migration')} in ${code(db.migrationsDir)}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${informational.length ? `, ${informational.length} informational` : ''}.`,
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
    const dataFindings = judged.filter((f) => rule_catalog/* DATA_LOSS_RULES */.RQ.has(f.rule));
    const dataItems = fit(renderFindings(dataFindings, blob), LIST_BUDGET);
    const dataBlock = [];
    if (dataFindings.length) {
        dataBlock.push('', `#### ⚠️ Data loss: ${plural(dataFindings.length, 'finding')} of the data check`, '', 'Run on tables holding rows, these migrations delete or change rows, or fail; on an empty database (local tests) they pass.', '', ...dataItems.lines);
        if (dataItems.omitted)
            dataBlock.push(`- … ${dataItems.omitted} more lines`);
    }
    // Findings take what is left, so a flood of findings cannot push out the pending list or the diff.
    const others = judged.filter((f) => !rule_catalog/* DATA_LOSS_RULES */.RQ.has(f.rule));
    const findingLines = renderFindings(others, blob);
    // Findings in migrations the change does not touch (or the database already applied) cannot be fixed in
    // this pull request: one line, so reviewers see what their change introduced.
    const infoBlock = informational.length
        ? ['', `<sub>${plural(informational.length, 'finding')} ${(0,groups/* settledWhere */.vv)(db)} — informational, not blocking: ${md((0,groups/* countByRule */.$i)(informational), 2_000)}. The job summary lists them.</sub>`]
        : [];
    const preflight = (0,report_preflight/* preflightSection */.p)(db, '#### Production preflight');
    const fixed = size(header) + size(preflight) + size(dataBlock) + size(pending) + size(schema) + size(infoBlock) + size(footerFor(true));
    const findings = fit(findingLines, Math.max(0, limit - fixed - 200));
    const findingsBlock = [];
    if (findingLines.length) {
        findingsBlock.push('', `#### ${dataFindings.length ? 'Other findings' : 'Findings'}: ${plural(others.length, 'finding')}`, '', ...findings.lines);
        if (findings.omitted)
            findingsBlock.push(`- … ${findings.omitted} more lines of findings`);
    }
    findingsBlock.push(...infoBlock);
    const truncated = pendingItems.omitted > 0 || schemaOmitted > 0 || findings.omitted > 0 || notes.omitted > 0 || dataItems.omitted > 0;
    let body = [...header, ...preflight, ...dataBlock, ...pending, ...findingsBlock, ...schema, ...footerFor(truncated)].join('\n');
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
            const folded = f.details?.length ? ` <sub>(${plural(f.details.length, 'finding')} folded into this: the job summary lists them)</sub>` : '';
            lines.push(`- ${icon} [${code(f.rule, 100)}](${(0,rule_catalog/* ruleDocsUrl */.hS)(encodeURIComponent(f.rule))})${at}: ${md(f.message)}${folded}`);
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
// EXTERNAL MODULE: ./node_modules/bottleneck/light.js
var light = __webpack_require__(3251);
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
            ...(opts.writeSpacingMs !== undefined && {
                write: new light.Group({ maxConcurrent: 1, minTime: opts.writeSpacingMs }),
                notifications: new light.Group({ maxConcurrent: 1, minTime: opts.writeSpacingMs }),
            }),
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
const viewers = new WeakMap();
/**
 * The login the token acts as, asked once per client (so once per run): GraphQL's `viewer` answers for a
 * personal or OAuth token (the user) and for an app installation token (`<app>[bot]`, `github-actions[bot]`
 * for the job's GITHUB_TOKEN), where REST `GET /user` is refused. undefined when it cannot be told; the
 * caller then trusts no existing comment.
 */
function viewerLogin(client) {
    let login = viewers.get(client);
    if (!login) {
        login = client
            .graphql('query { viewer { login } }')
            .then((r) => (typeof r?.viewer?.login === 'string' && r.viewer.login ? r.viewer.login : undefined))
            .catch(() => undefined);
        viewers.set(client, login);
    }
    return login;
}
/**
 * True when a comment's author is the token's identity. GraphQL may name a bot with or without the `[bot]`
 * suffix that REST shows, so a Bot author `<login>[bot]` matches the viewer `<login>` too; a user never does.
 */
function isAuthor(user, viewer) {
    const login = user?.login?.toLowerCase();
    if (!login)
        return false;
    const me = viewer.toLowerCase();
    return login === me || (user?.type === 'Bot' && login === `${me}[bot]`);
}

;// CONCATENATED MODULE: ./build/src/github/comment.js
/**
 * Creates the sticky comment once and edits it on every later run, found by its hidden marker AND its author:
 * anyone can post a comment that starts with the marker (a forged "✅ valid"), so only a comment written by
 * the token's own identity is ever edited; with any other, a new comment is created.
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
        const marked = comments.filter((c) => (c.body ?? '').split('\n', 1)[0]?.trim() === marker);
        // Who we are is asked only when there is a candidate; unknown means no comment is trusted.
        const me = marked.length ? await viewerLogin(client) : undefined;
        existing = me === undefined ? undefined : marked.find((c) => isAuthor(c.user, me));
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
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
/** The most files GitHub's list-files endpoint returns for one pull request. */
const PR_FILES_LIMIT = 3_000;
/**
 * Every file the pull request changes, all pages. The endpoint returns at most PR_FILES_LIMIT files; a list
 * that long may miss some, so the change set built from it settles nothing (run-pr-loop.ts changeSetOf).
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
 * The pull-request loop, in two halves around the engine (src/main.ts runs them):
 * - `readPullRequest` before it: the pull request of this run and the files it changes, so the engine
 *   judges the migrations the pull request touches (and reports edits of existing ones) before anything
 *   is decided or applied;
 * - `postComments` after it: one sticky comment per environment/database, from the report alone.
 * Neither throws for GitHub API problems: those come back as warnings.
 */







/** Before the engine: undefined outside pull-request events (or without a readable event payload). */
async function readPullRequest(input) {
    const { env, io, token } = input;
    const event = readPullRequestEvent(env);
    if (!event) {
        io.debug('pull-request loop: not a pull_request event (or no readable payload); skipped');
        return undefined;
    }
    const context = { event, repoPrefix: repoPrefixOf(env, input.cwd), files: null, warnings: [] };
    if (!token) {
        context.warnings.push('No github-token: the pull request\'s file list could not be read, so every migration is judged (not only the ones it changes), edits of existing migrations are not detected, and no comment is posted.');
        return context;
    }
    context.token = token;
    context.client = createClient(token, env.GITHUB_API_URL, { log: (m) => io.info(m), ...input.client });
    try {
        context.files = await listPullRequestFiles(context.client, event);
        io.info(`pull request #${event.number}: ${context.files.length} changed file(s)`);
        if (context.files.length >= PR_FILES_LIMIT) {
            context.warnings.push(`Pull request #${event.number} changes ${PR_FILES_LIMIT.toLocaleString('en-US')} or more files, the most GitHub lists: every migration is judged (not only the ones it changes), and edits of existing migrations past that cut are not detected.`);
        }
    }
    catch (error) {
        const { message } = describeApiError(error, token);
        context.warnings.push(`Could not list the files of pull request #${event.number} (${message}); every migration is judged and edits of existing migrations are not detected.`);
    }
    return context;
}
/** The change the engine judges: the pull request's files, when they could be listed. */
function changeSetOf(pr) {
    if (!pr?.files)
        return undefined;
    return {
        basis: 'pull-request',
        base: pr.event.baseRef || undefined,
        repoPrefix: pr.repoPrefix,
        files: pr.files,
        ...(pr.files.length >= PR_FILES_LIMIT && { incomplete: true }),
    };
}
/** After the engine: create or edit one sticky comment per environment/database. */
async function postComments(pr, report, options, env, io) {
    const result = { comments: [], warnings: [] };
    // comment: off turns off the comment only: an edited migration is an error whether or not anyone comments.
    if (options.comment === 'off') {
        io.debug('pull-request loop: comment is off; no comment posted');
        return result;
    }
    if (!pr.token || !pr.client)
        return result;
    const { event } = pr;
    const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
    const runUrl = env.GITHUB_RUN_ID ? `${serverUrl}/${event.owner}/${event.repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
    for (const db of report.databases) {
        const body = renderComment({
            db,
            pr: { owner: event.owner, repo: event.repo, number: event.number, headSha: event.headSha, baseSha: event.baseSha },
            serverUrl,
            runUrl,
            repoPrefix: pr.repoPrefix,
            added: db.changes?.added ?? [],
            removed: db.changes?.removed,
            schema: db.changes ? db.schemaChanges : undefined,
            target: options.target,
        });
        const posted = await upsertComment({ token: pr.token, event, marker: commentMarker(db.environment, db.binding), body, client: pr.client });
        if ('warning' in posted) {
            result.warnings.push(posted.warning);
            continue;
        }
        io.info(`${posted.created ? 'Created' : 'Updated'} the pull-request comment for ${(0,label/* databaseLabel */.m)(db)}: ${posted.url}`);
        result.comments.push({ environment: db.environment, binding: db.binding, id: posted.id, url: posted.url, created: posted.created });
    }
    const first = result.comments[0];
    if (first) {
        result.commentId = first.id;
        result.commentUrl = first.url;
    }
    return result;
}
/** The working directory relative to the checkout root: PR file paths are repository-relative. */
function repoPrefixOf(env, cwd) {
    const root = env.GITHUB_WORKSPACE;
    if (!root)
        return '';
    // isInside tests whole segments: a working directory named `..db` is below the root, not above it.
    if (!(0,paths/* isInside */.FK)((0,external_node_path_.resolve)(root), (0,external_node_path_.resolve)(cwd)))
        return '';
    const rel = (0,external_node_path_.relative)((0,external_node_path_.resolve)(root), (0,external_node_path_.resolve)(cwd));
    return rel.split(external_node_path_.sep).join('/');
}


/***/ })

};
