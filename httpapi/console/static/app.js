// govshare console: plain JavaScript, no framework, no build step. It talks
// only to the httpapi JSON routes of its own origin (/v1/...). It
// authenticates no one: the host's ActorFunc decides who acts. In demo mode
// (govshare serve --demo) the actor picker sends a public demo token.
'use strict';

(function () {
  const S = {
    lang: localStorage.getItem('govshare.lang') === 'en' ? 'en' : 'zh',
    config: { demo: [], token: false },
    machine: null, // GET /v1/states
    clock: null, // GET /v1/clock
    renders: 0,
  };

  // ---- words -----------------------------------------------------------
  const T = {
    zh: {
      title: '政务数据共享控制台', lang: 'English', apps: '共享申请', new: '新建申请', states: '状态图',
      report: '监督报告', catalog: '目录检查', actor: '当前身份', token: '令牌', use: '使用',
      demoBanner: '演示模式：身份由下面的演示选择器给出，使用公开的演示令牌。控制台不认证任何人；实际部署中，由宿主系统的身份认证（httpapi 的 Actor 函数）确定用户。',
      tokenBanner: '控制台不认证任何人：请粘贴 govshare serve --tokens 文件中的令牌，它以 Authorization: Bearer 发送，由服务端确定用户。',
      hostBanner: '',
      footer: '依据《政务数据共享条例》· govshare · 控制台只调用本服务的 /v1/ 接口，不访问外部网络',
      id: '编号', entry: '目录条目', requester: '需求部门', provider: '提供部门', state: '状态', received: '收到时间',
      due: '答复期限', flags: '标记', none: '暂无', loading: '加载中…', total: '共 {0} 件', today: '服务器日期 {0}',
      pending: '待答复', overdue: '已超期', undetermined: '期限待定（{0}年放假安排未载入）', provisional: '暂定期限',
      answeredOnTime: '按期答复', answeredLate: '逾期答复', dueAt: '{0} 24:00 前', dueAtTime: '{0} {1} 前',
      elements: '申请要素', basis: '依据', scenario: '使用场景', items: '数据项', users: '使用人员', systems: '使用系统',
      method: '共享方式', period: '使用期限', attribute: '共享属性', conditional: '有条件共享', unconditional: '无条件共享',
      actions: '办理', command: '指令', who: '可由', send: '执行', sent: '已执行：{0}', noActions: '当前状态没有可办理的指令。',
      deadline: '答复期限与日历', explain: '逐日说明', lastDay: '最后一日', receivedDay: '收到日', counted: '计入工作日', extDay: '延长期限',
      holiday: '节假日', makeup: '调休上班', todayMark: '今天（服务器时钟）', weekend: '周末', workdaysN: '{0} 个工作日', extN: '延长 {0} 个工作日', noClock: '尚未送达提供部门，答复期限未开始计算。',
      timeline: '审计时间线', verification: '核验', seq: '序号', time: '时间', byWho: '操作人', action: '操作', change: '状态变化', outcome: '结果',
      checkpoint: '生成检查点', cpInfo: '最新检查点：覆盖 {0} 条记录，签名于 {1}', noCp: '尚无检查点', signedBy: '签名已用日志公钥核验',
      vs_verified: '全部记录已由签名检查点证明', vs_partial: '部分记录新于最新检查点，尚待证明', vs_unverified: '尚未被检查点覆盖', vs_failed: '核验失败：记录与签名根不符',
      rs_proved: '已证明', rs_uncovered: '待检查点', rs_unchecked: '无法核验', rs_failed: '不符', success: '成功', failure: '被拒绝',
      diagramNote: '由 request.Table() 生成（GET /v1/states）：申请只能按此表转换状态。', from: '原状态', to: '新状态', tableRows: '转换表（{0} 行）', guards: '条件', rule: '条款',
      reportTitle: '共享申请办理情况', fromDate: '起', toDate: '止', show: '查询', onTime: '按期答复', late: '逾期答复', unansweredOverdue: '超期未答复',
      unanswered: '未答复', answered: '已答复', avgDays: '平均用时（工作日）', extReq: '申请延期', extGranted: '批准延期', agreed: '同意',
      partly: '部分同意', refused: '不同意', submitted: '提交申请', activeGrants: '共享中', chartTitle: '各提供部门按期答复情况',
      requesters: '需求部门', providers: '提供部门',
      upload: '选择目录文件（XLSX、CSV 或 JSON）', lint: '检查', template: '下载目录模板', findings: '问题', findingsAt: '问题所在的单元格（悬停查看说明）', receivedN: '收到申请', entries: '目录',
      errors: '错误', warnings: '警告', infos: '提示', cell: '单元格', severity: '级别', code: '代码', message: '说明',
      lintSummary: '{0} 个目录，{1} 个数据项；{2} 个错误，{3} 个警告，{4} 个提示', truncated: '问题过多，仅列出前 {0} 个',
      sheet: '工作表', row: '行', col: '列', wholeSheet: '整个工作表', clean: '未发现问题',
      sev_error: '错误', sev_warning: '警告', sev_info: '提示',
      newTitle: '新建共享申请', saveDraft: '保存草稿', choose: '请选择',
      comment: '意见', reason: '理由', days: '工作日数', decision: '决定', granted: '批准', denied: '不批准', conditions: '使用条件（每行一条）',
      reference: '交付凭据', explanation: '说明', statement: '说明', refusalReason: '拒绝理由',
      error: '错误', citation: '依据',
    },
    en: {
      title: 'govshare console', lang: '中文', apps: 'Applications', new: 'New application', states: 'State diagram',
      report: 'Supervision report', catalog: 'Catalog lint', actor: 'Acting as', token: 'Token', use: 'Use',
      demoBanner: 'Demo mode: the actor is the one chosen in the demo picker, with its public demo token. The console authenticates no one; in a real deployment the host\'s authentication (httpapi\'s Actor function) says who acts.',
      tokenBanner: 'The console authenticates no one: paste a token of the govshare serve --tokens file; it is sent as Authorization: Bearer and the server says who acts.',
      hostBanner: '',
      footer: 'Per the Regulations on Government Data Sharing · govshare · the console calls only this server\'s /v1/ routes, no outside network',
      id: 'ID', entry: 'Catalog entry', requester: 'Requester', provider: 'Provider', state: 'State', received: 'Received',
      due: 'Reply due', flags: 'Flags', none: 'None', loading: 'Loading…', total: '{0} in all', today: 'server date {0}',
      pending: 'awaiting reply', overdue: 'overdue', undetermined: 'due date pending (no schedule for {0})', provisional: 'provisional',
      answeredOnTime: 'answered on time', answeredLate: 'answered late', dueAt: 'by 24:00 of {0}', dueAtTime: 'by {1} on {0}',
      elements: 'Elements', basis: 'Basis', scenario: 'Scenario', items: 'Data items', users: 'Users', systems: 'Systems',
      method: 'Method', period: 'Period of use', attribute: 'Attribute', conditional: 'conditional', unconditional: 'unconditional',
      actions: 'Actions', command: 'Command', who: 'Who may', send: 'Send', sent: 'Done: {0}', noActions: 'No command applies in this state.',
      deadline: 'Deadline and calendar', explain: 'Day by day', lastDay: 'last day', receivedDay: 'day of receipt', counted: 'counted working day', extDay: 'extension',
      holiday: 'holiday', makeup: 'make-up working day (调休)', todayMark: 'today (server clock)', weekend: 'weekend', workdaysN: '{0} working days', extN: 'extended by {0}', noClock: 'Not yet received by the provider: no reply period runs.',
      timeline: 'Audit timeline', verification: 'Verification', seq: 'Seq', time: 'Time', byWho: 'By', action: 'Action', change: 'State change', outcome: 'Outcome',
      checkpoint: 'Take a checkpoint', cpInfo: 'Newest checkpoint: {0} records, signed {1}', noCp: 'No checkpoint yet', signedBy: 'signature checked with the log\'s public key',
      vs_verified: 'Every record is proved by the signed checkpoint', vs_partial: 'Some records are newer than the newest checkpoint', vs_unverified: 'Not yet covered by a checkpoint', vs_failed: 'Verification failed: a record does not lead to the signed root',
      rs_proved: 'proved', rs_uncovered: 'awaits checkpoint', rs_unchecked: 'cannot check', rs_failed: 'mismatch', success: 'success', failure: 'refused',
      diagramNote: 'Drawn from request.Table() (GET /v1/states): an application changes state by these rows only.', from: 'From', to: 'To', tableRows: 'The transition table ({0} rows)', guards: 'Guards', rule: 'Rule',
      reportTitle: 'Handling of applications', fromDate: 'From', toDate: 'To', show: 'Show', onTime: 'on time', late: 'late', unansweredOverdue: 'unanswered, overdue',
      unanswered: 'Unanswered', answered: 'Answered', avgDays: 'Mean working days', extReq: 'Extensions asked', extGranted: 'granted', agreed: 'Agreed',
      partly: 'Partly', refused: 'Refused', submitted: 'Submitted', activeGrants: 'Active grants', chartTitle: 'On-time replies per providing department',
      requesters: 'Requesting departments', providers: 'Providing departments',
      upload: 'Choose a catalog file (XLSX, CSV or JSON)', lint: 'Lint', template: 'Download the template', findings: 'Findings', findingsAt: 'the findings at their cells (hover for the message)', receivedN: 'Received', entries: 'Entries',
      errors: 'errors', warnings: 'warnings', infos: 'infos', cell: 'Cell', severity: 'Severity', code: 'Code', message: 'Message',
      lintSummary: '{0} entries, {1} data items; {2} errors, {3} warnings, {4} infos', truncated: 'Too many findings: the first {0} are listed',
      sheet: 'Sheet', row: 'Row', col: 'Column', wholeSheet: 'whole sheet', clean: 'No finding',
      sev_error: 'error', sev_warning: 'warning', sev_info: 'info',
      newTitle: 'New application', saveDraft: 'Save draft', choose: 'Choose',
      comment: 'Comment', reason: 'Reason', days: 'Working days', decision: 'Decision', granted: 'granted', denied: 'denied', conditions: 'Conditions (one per line)',
      reference: 'Delivery reference', explanation: 'Explanation', statement: 'Statement', refusalReason: 'Refusal reason',
      error: 'Error', citation: 'Citation',
    },
  };
  const ROLES = {
    clerk: ['经办人', 'clerk'], office_head: ['工作机构负责人', 'sharing-office head'],
    authority: ['政务数据共享主管部门', 'competent department'], system: ['系统', 'system'],
  };
  const SIDES = { requester: ['需求部门', 'requester'], provider: ['提供部门', 'provider'], authority: ['主管部门', 'authority'], system: ['系统', 'system'] };
  const METHODS = { service_api: ['服务接口', 'service interface'], batch_exchange: ['批量交换', 'batch exchange'], file_download: ['文件下载', 'file download'] };
  const REFUSALS = { beyond_duties: ['非履职需要', 'not needed for the requester\'s duties'], conditions_not_met: ['不符合共享条件', 'conditions not met'],
    legal_prohibition: ['法律法规不允许', 'prohibited by law'], data_unavailable: ['数据不存在或无法提供', 'data unavailable'],
    elements_incomplete: ['申请要素不全', 'application incomplete'], other: ['其他', 'other'] };

  function t(key, ...args) {
    let s = T[S.lang][key];
    if (s === undefined) s = T.zh[key] !== undefined ? T.zh[key] : key;
    args.forEach((a, i) => { s = s.split('{' + i + '}').join(String(a)); });
    return s;
  }
  const pick = (pair) => (pair ? pair[S.lang === 'en' ? 1 : 0] : '');
  const roleName = (r) => pick(ROLES[r]) || r;
  const methodName = (m) => pick(METHODS[m]) || m;
  function stateName(code) {
    const s = S.machine && S.machine.states.find((x) => x.code === code);
    return s ? (S.lang === 'en' ? s.en : s.zh) : code;
  }
  function commandName(code) {
    const c = S.machine && S.machine.commands.find((x) => x.code === code);
    return c ? (S.lang === 'en' ? c.en : c.zh) : code;
  }
  const whoName = (w) => (w.side === 'authority' || w.side === 'system') ? pick(SIDES[w.side]) : pick(SIDES[w.side]) + (S.lang === 'en' ? ' ' : '') + roleName(w.role);
  const msg = (o) => (S.lang === 'en' ? o.message_en : o.message_zh);

  // ---- DOM helpers (text only: nothing from the API becomes markup) -----
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids.flat()) {
      if (k === undefined || k === null || k === false) continue;
      e.appendChild(typeof k === 'object' ? k : document.createTextNode(String(k)));
    }
    return e;
  }
  const SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, ...kids) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined) e.setAttribute(k, v);
    for (const k of kids.flat()) if (k !== undefined && k !== null) e.appendChild(typeof k === 'object' ? k : document.createTextNode(String(k)));
    return e;
  }
  const main = () => document.getElementById('main');
  function show(...nodes) { const m = main(); m.replaceChildren(...nodes); }

  // ---- the API ---------------------------------------------------------
  class APIError extends Error {
    constructor(status, body) { super(body && body.message_en ? body.message_en : 'HTTP ' + status); this.status = status; this.body = body; }
  }
  function authHeaders() {
    const h = {};
    const tok = currentToken();
    if (tok) h.Authorization = 'Bearer ' + tok;
    return h;
  }
  async function api(method, path, body, contentType) {
    const opts = { method, headers: authHeaders(), credentials: 'same-origin' };
    if (body !== undefined) {
      opts.headers['Content-Type'] = contentType || 'application/json';
      opts.body = contentType ? body : JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    const text = await r.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!r.ok) throw new APIError(r.status, data);
    return data;
  }
  function errBox(e) {
    if (e instanceof APIError && e.body) {
      const c = e.body.citation && e.body.citation.rule ? ' · ' + t('citation') + ' ' + e.body.citation.rule + (e.body.citation.source ? '（' + e.body.citation.source + '）' : '') : '';
      return el('div', { class: 'err', role: 'alert', 'data-code': e.body.code }, msg(e.body), el('span', { class: 'muted' }, ' [' + e.body.code + ']' + c));
    }
    return el('div', { class: 'err', role: 'alert' }, String(e && e.message ? e.message : e));
  }
  async function ensureMachine() { if (!S.machine) S.machine = await api('GET', '/v1/states'); }
  async function refreshClock() { S.clock = await api('GET', '/v1/clock'); }

  // ---- acting identity (never authentication) ---------------------------
  function currentToken() {
    if (S.config.demo && S.config.demo.length) {
      const tok = localStorage.getItem('govshare.demo');
      return S.config.demo.some((d) => d.token === tok) ? tok : S.config.demo[0].token;
    }
    if (S.config.token) return sessionStorage.getItem('govshare.token') || '';
    return '';
  }
  function currentDemoActor() {
    const tok = currentToken();
    const d = (S.config.demo || []).find((x) => x.token === tok);
    return d ? d.actor : null;
  }
  const en = () => S.lang === 'en';
  const list = (xs) => xs.join(en() ? ', ' : '、');
  const colon = () => (en() ? ': ' : '：');
  function actorLabel(a) {
    const dept = a.department && a.department.name ? a.department.name : '';
    return en() ? a.name + ' (' + roleName(a.role) + (dept ? ', ' + dept : '') + ')' : a.name + '（' + roleName(a.role) + (dept ? '，' + dept : '') + '）';
  }
  function drawWho() {
    const who = document.getElementById('who');
    const banner = document.getElementById('banner');
    who.replaceChildren();
    if (S.config.demo && S.config.demo.length) {
      const sel = el('select', { id: 'actor', 'aria-label': t('actor'), onchange: (ev) => { localStorage.setItem('govshare.demo', ev.target.value); route(); } },
        S.config.demo.map((d) => el('option', { value: d.token, selected: d.token === currentToken() }, actorLabel(d.actor))));
      who.append(el('label', { for: 'actor' }, t('actor') + (en() ? ' (demo)' : '（演示）')), sel);
      banner.textContent = t('demoBanner');
    } else if (S.config.token) {
      const inp = el('input', { id: 'token', type: 'password', placeholder: t('token'), value: sessionStorage.getItem('govshare.token') || '' });
      who.append(el('label', { for: 'token' }, t('token')), inp,
        el('button', { type: 'button', onclick: () => { sessionStorage.setItem('govshare.token', inp.value.trim()); route(); } }, t('use')));
      banner.textContent = t('tokenBanner');
    } else {
      banner.textContent = t('hostBanner');
    }
  }
  function drawChrome() {
    document.documentElement.lang = S.lang === 'en' ? 'en' : 'zh-CN';
    document.title = t('title');
    document.getElementById('title').textContent = t('title');
    document.getElementById('lang').textContent = t('lang');
    document.getElementById('footer').textContent = t('footer');
    const here = location.hash.split('/')[1] || 'apps';
    const nav = document.getElementById('nav');
    nav.replaceChildren(...[['apps', '#/apps'], ['new', '#/new'], ['states', '#/states'], ['report', '#/report'], ['catalog', '#/catalog']].map(([k, href]) =>
      el('a', { href, id: 'nav-' + k, class: here === k || (k === 'apps' && here === 'app') ? 'on' : '' }, t(k))));
    drawWho();
  }

  // ---- dates -------------------------------------------------------------
  // Every civil date is China Standard Time (UTC+8), whatever the browser's
  // zone: the API sends RFC 3339 with +08:00, read as such.
  const cst = (iso) => (iso ? iso.slice(0, 10) : '');
  const cstTime = (iso) => (iso ? iso.slice(0, 10) + ' ' + iso.slice(11, 16) : '');
  function addDays(ymd, n) {
    const [y, m, d] = ymd.split('-').map(Number);
    const x = new Date(Date.UTC(y, m - 1, d + n));
    return x.toISOString().slice(0, 10);
  }
  const dueText = (clock) => {
    if (!clock || !clock.due_at) return '';
    const hm = clock.due_at.slice(11, 16);
    return hm === '00:00' ? t('dueAt', cst(clock.last_day)) : t('dueAtTime', cst(clock.last_day), hm);
  };
  const nowMs = () => (S.clock ? Date.parse(S.clock.now) : Date.now());

  // ---- flags ---------------------------------------------------------------
  function flags(app) {
    const out = [];
    const c = app.clock;
    const awaiting = c && !app.answer && (app.state === 'under_review' || app.state === 'extension_requested');
    if (awaiting) out.push(el('span', { class: 'flag pending' }, t('pending')));
    if (c && c.pending_year) out.push(el('span', { class: 'flag undetermined' }, t('undetermined', c.pending_year)));
    if (c && c.provisional) out.push(el('span', { class: 'flag undetermined' }, t('provisional')));
    if (awaiting && c.due_at && nowMs() >= Date.parse(c.due_at)) out.push(el('span', { class: 'flag overdue' }, t('overdue')));
    if (app.answer && c && c.due_at) {
      const late = Date.parse(app.answer.at) >= Date.parse(c.due_at);
      out.push(el('span', { class: late ? 'flag overdue' : 'flag done' }, t(late ? 'answeredLate' : 'answeredOnTime')));
    }
    return out;
  }

  // ---- views -----------------------------------------------------------------
  async function viewApps() {
    await Promise.all([ensureMachine(), refreshClock()]);
    const list = await api('GET', '/v1/applications?limit=200');
    const rows = list.applications.map((a) => el('tr', { 'data-id': a.id },
      el('td', {}, el('a', { href: '#/app/' + encodeURIComponent(a.id) }, a.id)),
      el('td', {}, a.entry_id),
      el('td', {}, a.requester.name), el('td', {}, a.provider.name),
      el('td', { class: 'state' }, stateName(a.state)),
      el('td', {}, a.clock ? cstTime(a.clock.received_at) : ''),
      el('td', {}, a.clock ? dueText(a.clock) : ''),
      el('td', { class: 'flags' }, flags(a))));
    show(el('h2', {}, t('apps'), ' ', el('span', { class: 'muted' }, t('total', list.total) + ' · ' + t('today', S.clock.today))),
      el('table', { id: 'apps' },
        el('thead', {}, el('tr', {}, ['id', 'entry', 'requester', 'provider', 'state', 'received', 'due', 'flags'].map((k) => el('th', {}, t(k))))),
        el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 8 }, t('none'))))));
  }

  async function viewApp(id) {
    await Promise.all([ensureMachine(), refreshClock()]);
    const app = await api('GET', '/v1/applications/' + encodeURIComponent(id));
    const e = app.elements;
    const head = el('h2', { id: 'app-title' }, app.id + ' · ', el('span', { class: 'state', id: 'app-state', 'data-state': app.state }, stateName(app.state)), ' ', flags(app));
    const info = el('section', { class: 'card' }, el('h3', {}, t('elements')), el('dl', { class: 'kv' },
      kv('entry', app.entry_id + ' v' + app.entry_version), kv('requester', app.requester.name), kv('provider', app.provider.name),
      kv('basis', e.basis), kv('scenario', e.scenario), kv('items', (e.items || []).join('、')),
      e.systems ? kv('systems', e.systems.join('、')) : null, kv('users', e.users || ''), kv('method', methodName(e.method)),
      kv('period', cst(e.period.from) + ' – ' + cst(e.period.to)),
      app.attribute ? kv('attribute', t(app.attribute)) : null,
      app.clock ? kv('due', dueText(app.clock) || t('undetermined', app.clock.pending_year)) : null));
    const actions = el('section', { class: 'card', id: 'actions' }, el('h3', {}, t('actions')), actionForm(app));
    const dl = el('section', { class: 'card', id: 'deadline' }, el('h3', {}, t('deadline')), el('p', { class: 'muted' }, t('loading')));
    const tl = el('section', { class: 'card', id: 'timeline' }, el('h3', {}, t('timeline')), el('p', { class: 'muted' }, t('loading')));
    show(head, el('div', { class: 'grid2' }, info, actions), dl, tl);
    drawDeadline(app, dl).catch((err) => dl.append(errBox(err)));
    drawTimeline(app, tl).catch((err) => tl.append(errBox(err)));
  }
  function kv(k, v) { return [el('dt', {}, t(k)), el('dd', {}, v)]; }

  // actionForm offers the commands the table allows in the state (the
  // server decides whether the actor may: its refusal is shown as it is).
  function actionForm(app) {
    const rows = S.machine.transitions.filter((r) => r.from === app.state && !r.auto && !(r.who.length === 1 && r.who[0].side === 'system'));
    const seen = new Set();
    const cmds = [];
    for (const r of rows) if (!seen.has(r.command)) { seen.add(r.command); cmds.push(r); }
    if (!cmds.length) return el('p', { class: 'muted' }, t('noActions'));
    const fields = el('div', { class: 'span', id: 'cmd-fields' });
    const whoLine = el('p', { class: 'muted span', id: 'cmd-who' });
    const out = el('div', { class: 'span', id: 'cmd-result' });
    const sel = el('select', { id: 'cmd', name: 'command' }, cmds.map((r) => el('option', { value: r.command }, commandName(r.command))));
    const form = el('form', { class: 'cmd', id: 'cmd-form' },
      el('label', { for: 'cmd' }, t('command')), sel, whoLine, fields,
      el('div', { class: 'span' }, el('button', { class: 'primary', type: 'submit', id: 'cmd-send' }, t('send'))), out);
    const redraw = () => {
      const r = cmds.find((x) => x.command === sel.value);
      const who = [];
      for (const x of rows.filter((y) => y.command === sel.value)) for (const w of x.who) if (!who.includes(whoName(w))) who.push(whoName(w));
      whoLine.textContent = t('who') + colon() + list(who) + ' · ' + t('rule') + ' ' + r.rule;
      fields.replaceChildren(...commandFields(sel.value, app));
    };
    sel.addEventListener('change', redraw);
    redraw();
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      out.replaceChildren();
      try {
        const body = Object.assign({ command: sel.value }, commandBody(sel.value, form, app));
        const res = await api('POST', '/v1/applications/' + encodeURIComponent(app.id) + '/commands', body);
        if (res.auto_error) out.append(errBox(new APIError(200, res.auto_error)));
        await viewApp(app.id);
        const r2 = document.getElementById('cmd-result');
        if (r2) r2.append(el('p', { class: 'ok', id: 'cmd-done' }, t('sent', commandName(sel.value))));
      } catch (err) {
        out.append(errBox(err));
      }
    });
    return form;
  }
  const input = (name, label, attrs) => [el('label', { for: 'f-' + name }, label), el('input', Object.assign({ id: 'f-' + name, name, type: 'text' }, attrs || {}))];
  const area = (name, label) => [el('label', { for: 'f-' + name }, label), el('textarea', { id: 'f-' + name, name, rows: 2 })];
  function commandFields(cmd, app) {
    const items = app.elements.items || [];
    switch (cmd) {
      case 'return': case 'withdraw': case 'revoke': return area(cmd === 'return' ? 'comment' : 'reason', t(cmd === 'return' ? 'comment' : 'reason'));
      case 'request_extension': return [input('days', t('days'), { type: 'number', min: 1, value: 5 }), area('reason', t('reason'))];
      case 'decide_extension': return [el('label', { for: 'f-decision' }, t('decision')),
        el('select', { id: 'f-decision', name: 'decision' }, el('option', { value: 'granted' }, t('granted')), el('option', { value: 'denied' }, t('denied'))), area('comment', t('comment'))];
      case 'agree': return [el('label', {}, t('items')), el('div', {}, items.map((it, i) => el('label', { class: 'check' },
        el('input', { type: 'checkbox', name: 'items', value: it, checked: true, id: 'f-item-' + i }), ' ' + it + ' '))),
        ...(app.attribute === 'conditional' ? area('conditions', t('conditions')) : [])];
      case 'refuse': return [el('label', { for: 'f-reason' }, t('refusalReason')), el('select', { id: 'f-reason', name: 'reason' }, Object.keys(REFUSALS).map((r) => el('option', { value: r }, pick(REFUSALS[r])))),
        area('explanation', t('explanation'))];
      case 'provision': return input('reference', t('reference'), { value: 'api-cred-' + app.id });
      case 'close': return area('statement', t('statement'));
      default: return [];
    }
  }
  function commandBody(cmd, form, app) {
    const v = (n) => { const x = form.elements.namedItem(n); return x ? x.value.trim() : ''; };
    switch (cmd) {
      case 'return': return { comment: v('comment') };
      case 'withdraw': case 'revoke': return v('reason') ? { reason: v('reason') } : {};
      case 'request_extension': return { days: Number(v('days')), reason: v('reason') };
      case 'decide_extension': return { decision: v('decision'), comment: v('comment') || undefined };
      case 'agree': {
        const items = Array.from(form.querySelectorAll('input[name=items]:checked')).map((x) => x.value);
        const all = app.elements.items || [];
        const body = {};
        if (items.length !== all.length) {
          body.items = items;
          body.refused = all.filter((x) => !items.includes(x)).map((x) => ({ item: x, reason: v('comment') || '—' }));
        }
        const conds = v('conditions').split('\n').map((s) => s.trim()).filter(Boolean);
        if (conds.length) body.conditions = conds;
        return body;
      }
      case 'refuse': return { reason: v('reason'), explanation: v('explanation') };
      case 'provision': return { deliveries: [{ method: app.elements.method, reference: v('reference') }] };
      case 'close': return { statement: v('statement') };
      default: return {};
    }
  }

  // drawDeadline computes the application's period with the deadline route
  // and draws it on the months it spans, with the explanation.
  async function drawDeadline(app, box) {
    const c = app.clock;
    const h = box.querySelector('h3');
    if (!c) { box.replaceChildren(h, el('p', { class: 'muted' }, t('noClock'))); return; }
    if (c.pending_year) { box.replaceChildren(h, el('p', { class: 'flag undetermined' }, t('undetermined', c.pending_year))); return; }
    const p = c.period;
    const q = new URLSearchParams({ received: c.received_at, days: String(p.workdays) });
    if (p.extension) q.set('extension', String(p.extension));
    if (p.close_of_business) q.set('close_of_business', p.close_of_business);
    if (p.cutoff) q.set('cutoff', p.cutoff);
    const d = await api('GET', '/v1/deadline?' + q.toString());
    const byDate = new Map(d.days.map((x) => [x.date, x]));
    const last = cst(c.last_day) || d.last_day;
    const months = [];
    for (let ym = d.received.slice(0, 7); ym <= last.slice(0, 7);) {
      months.push(ym);
      const [y, m] = ym.split('-').map(Number);
      ym = m === 12 ? (y + 1) + '-01' : y + '-' + String(m + 1).padStart(2, '0');
    }
    const grids = await Promise.all(months.map((ym) => api('GET', '/v1/calendar/' + ym.replace('-', '/'))));
    const heads = S.lang === 'en' ? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] : ['一', '二', '三', '四', '五', '六', '日'];
    const today = S.clock ? S.clock.today : '';
    const tables = grids.map((g) => {
      const cells = [];
      const lead = (g.days[0].weekday + 6) % 7;
      for (let i = 0; i < lead; i++) cells.push(el('td', { class: 'blank' }));
      for (const day of g.days) {
        const tr = byDate.get(day.date);
        const cls = [day.kind];
        if (tr && tr.counted) cls.push(tr.extension || (d.extension && tr.ordinal > d.workdays) ? 'ext' : 'counted');
        if (day.date === cst(d.received)) cls.push('received');
        if (day.date === last) cls.push('last');
        if (day.date === today) cls.push('today');
        const note = day.kind === 'holiday' ? (S.lang === 'en' ? day.holiday_en || t('holiday') : day.holiday || t('holiday'))
          : day.kind === 'makeup_workday' ? (S.lang === 'en' ? 'make-up' : '班') : '';
        const title = [day.date, tr ? (S.lang === 'en' ? tr.reason_en : tr.reason) : note].filter(Boolean).join(' ');
        cells.push(el('td', { class: cls.join(' '), title, 'data-date': day.date, 'data-kind': day.kind },
          String(Number(day.date.slice(8))), note ? el('small', {}, note) : null, tr && tr.ordinal ? el('small', {}, '#' + tr.ordinal) : null));
      }
      const rows = [];
      for (let i = 0; i < cells.length; i += 7) rows.push(el('tr', {}, cells.slice(i, i + 7)));
      return el('table', { class: 'month', 'data-month': g.year + '-' + String(g.month).padStart(2, '0') },
        el('caption', {}, S.lang === 'en' ? g.year + '-' + String(g.month).padStart(2, '0') : g.year + '年' + g.month + '月'),
        el('thead', {}, el('tr', {}, heads.map((x) => el('th', {}, x)))), el('tbody', {}, rows));
    });
    const legend = el('p', { class: 'legend' },
      el('span', {}, el('i', { class: 'holiday' }), t('holiday')), el('span', {}, el('i', { class: 'makeup' }), t('makeup')),
      el('span', {}, el('i', { class: 'weekend' }), t('weekend')), el('span', {}, el('i', { class: 'counted' }), t('counted')),
      el('span', {}, el('i', { class: 'ext' }), t('extDay')), el('span', {}, el('i', { class: 'last' }), t('lastDay')),
      el('span', {}, el('i', { class: 'today' }), t('todayMark')));
    const summary = el('p', { id: 'deadline-summary' }, t('receivedDay') + ' ' + cstTime(d.received) + ' · ' + t('workdaysN', d.workdays) +
      (d.extension ? ' · ' + t('extN', d.extension) : '') + ' · ' + t('lastDay') + ' ', el('strong', { id: 'last-day' }, last), ' · ' + dueText(c));
    const explain = el('ol', { class: 'explain', id: 'explain' }, d.days.map((x) => el('li', { class: x.counted ? 'yes' : 'no' },
      x.date + ' ' + (S.lang === 'en' ? '' : x.weekday + ' ') + (S.lang === 'en' ? x.reason_en : x.reason))));
    box.replaceChildren(h, summary, legend, el('div', { class: 'months', id: 'months' }, tables), el('h3', {}, t('explain')), explain);
  }

  async function drawTimeline(app, box) {
    const h = box.querySelector('h3');
    const [tl, v] = await Promise.all([api('GET', '/v1/applications/' + encodeURIComponent(app.id) + '/timeline'),
      api('GET', '/v1/applications/' + encodeURIComponent(app.id) + '/verification')]);
    const status = new Map(v.records.map((r) => [r.seq, r]));
    const summary = el('p', { id: 'verification' }, el('span', { class: 'badge ' + v.status, 'data-status': v.status }, t('vs_' + v.status)), ' ',
      el('span', { class: 'muted' }, v.checkpoint ? t('cpInfo', v.checkpoint.size, cstTime(v.checkpoint.time)) + (v.signed ? ' · ' + t('signedBy') : '') : t('noCp')), ' ',
      el('button', { class: 'secondary', type: 'button', id: 'take-checkpoint', onclick: async (ev) => {
        ev.target.disabled = true;
        try { await api('POST', '/v1/audit/checkpoints'); await drawTimeline(app, box); } catch (err) { box.append(errBox(err)); ev.target.disabled = false; }
      } }, t('checkpoint')));
    const rows = tl.records.map((r) => {
      const ev = r.event;
      const d = ev.details || {};
      const cmd = ev.action.replace(/^request\./, '');
      const rs = status.get(r.seq);
      return el('tr', { 'data-seq': r.seq },
        el('td', { class: 'num' }, r.seq), el('td', {}, cstTime(ev.time)),
        el('td', {}, ev.actor ? ev.actor.name + (en() ? ' (' + roleName(ev.actor.role) + ')' : '（' + roleName(ev.actor.role) + '）') : ''),
        el('td', {}, commandName(cmd)),
        el('td', {}, d.from && d.to ? stateName(d.from) + ' → ' + stateName(d.to) : ''),
        el('td', {}, el('span', { class: 'badge ' + ev.outcome }, t(ev.outcome))),
        el('td', {}, rs ? el('span', { class: 'badge ' + rs.status, title: rs.error ? msg(rs.error) : r.hash }, t('rs_' + rs.status)) : ''),
        el('td', { class: 'muted' }, el('code', {}, String(r.hash).slice(0, 12))));
    });
    box.replaceChildren(h, summary, el('table', { id: 'timeline-table' },
      el('thead', {}, el('tr', {}, ['seq', 'time', 'byWho', 'action', 'change', 'outcome', 'verification'].map((k) => el('th', {}, t(k))), el('th', {}, 'hash'))),
      el('tbody', {}, rows)));
  }

  async function viewNew() {
    await refreshClock();
    const res = await api('GET', '/v1/catalog/entries?limit=100');
    const entries = res.entries;
    const today = S.clock.today;
    const itemsBox = el('div', { id: 'f-items' });
    const methodSel = el('select', { id: 'f-method', name: 'method' });
    const entrySel = el('select', { id: 'f-entry', name: 'entry' }, el('option', { value: '' }, t('choose')),
      entries.map((e) => el('option', { value: e.id }, e.id + ' ' + e.name + (en() ? ' (' + e.provider.name + ')' : '（' + e.provider.name + '）'))));
    const out = el('div', { class: 'span', id: 'new-result' });
    const fillEntry = () => {
      const entry = entries.find((x) => x.id === entrySel.value);
      itemsBox.replaceChildren(...(entry ? entry.items.map((it, i) => el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'items', value: it.name, id: 'f-item-' + i, checked: true }), ' ' + it.name + ' ')) : []));
      methodSel.replaceChildren(...(entry ? entry.methods.map((m) => el('option', { value: m }, methodName(m))) : []));
    };
    entrySel.addEventListener('change', fillEntry);
    const form = el('form', { class: 'new', id: 'new-form' },
      el('label', { for: 'f-entry' }, t('entry')), entrySel,
      el('label', {}, t('items')), itemsBox,
      ...input('basis', t('basis')), ...input('scenario', t('scenario')), ...input('users', t('users')), ...input('systems', t('systems')),
      el('label', { for: 'f-method' }, t('method')), methodSel,
      el('label', { for: 'f-from' }, t('period')), el('div', {}, el('input', { type: 'date', id: 'f-from', name: 'from', value: today }), ' – ',
        el('input', { type: 'date', id: 'f-to', name: 'to', value: addDays(today, 90) })),
      el('div', { class: 'span' }, el('button', { class: 'primary', type: 'submit', id: 'new-save' }, t('saveDraft'))), out);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      out.replaceChildren();
      const v = (n) => form.elements.namedItem(n).value.trim();
      const elements = {
        basis: v('basis'), scenario: v('scenario'), users: v('users'), method: v('method'),
        items: Array.from(form.querySelectorAll('input[name=items]:checked')).map((x) => x.value),
        period: { from: v('from') + 'T00:00:00+08:00', to: v('to') + 'T00:00:00+08:00' },
      };
      const systems = v('systems').split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
      if (systems.length) elements.systems = systems;
      try {
        const r = await api('POST', '/v1/applications', { command: 'create', entry_id: entrySel.value, elements });
        location.hash = '#/app/' + encodeURIComponent(r.application.id);
      } catch (err) { out.append(errBox(err)); }
    });
    show(el('h2', {}, t('newTitle')), el('section', { class: 'card' }, form));
  }

  // viewStates draws the state diagram from the table: states in rows by
  // their distance from the start, transitions as arrows, each arrow's
  // commands in a label placed clear of the boxes and the other labels.
  async function viewStates() {
    await ensureMachine();
    const m = S.machine;
    const edges = new Map();
    for (const r of m.transitions) {
      if (r.stay || r.from === r.to) continue;
      const k = r.from + '>' + r.to;
      if (!edges.has(k)) edges.set(k, { from: r.from, to: r.to, cmds: [] });
      const e = edges.get(k);
      if (!e.cmds.includes(r.command)) e.cmds.push(r.command);
    }
    const depth = new Map([['new', 0]]);
    const queue = ['new'];
    while (queue.length) {
      const s = queue.shift();
      for (const e of edges.values()) if (e.from === s && !depth.has(e.to)) { depth.set(e.to, depth.get(s) + 1); queue.push(e.to); }
    }
    for (const s of m.states) if (!depth.has(s.code)) depth.set(s.code, 1);
    // Rows by distance from the start, top to bottom. Within a row the
    // states are ordered by where their neighbours in the row above are
    // (a few barycentre sweeps), which uncrosses most arrows.
    const rowsOf = [];
    for (const s of m.states) { const d = depth.get(s.code); (rowsOf[d] = rowsOf[d] || []).push(s); }
    const rows = rowsOf.filter(Boolean);
    const neighbours = (code) => [...edges.values()].flatMap((e) => (e.from === code ? [e.to] : e.to === code ? [e.from] : []));
    for (let sweep = 0; sweep < 4; sweep++) {
      for (let i = 1; i < rows.length; i++) {
        const at = new Map(rows[i - 1].map((s, j) => [s.code, j]));
        const key = new Map(rows[i].map((s, j) => {
          const js = neighbours(s.code).filter((c) => at.has(c)).map((c) => at.get(c));
          return [s.code, js.length ? js.reduce((x, y) => x + y, 0) / js.length : j];
        }));
        rows[i].sort((x, y) => key.get(x.code) - key.get(y.code));
      }
    }
    const W = 150, H = 44, GX = 70, GY = 96, PAD = 24;
    const widest = Math.max(...rows.map((r) => r.length));
    const width = PAD * 2 + widest * (W + GX) - GX + 120;
    const height = PAD * 2 + rows.length * (H + GY) - GY + 30;
    const pos = new Map();
    rows.forEach((row, i) => {
      const x0 = PAD + 60 + ((widest - row.length) * (W + GX)) / 2;
      row.forEach((s, j) => pos.set(s.code, { x: x0 + j * (W + GX), y: PAD + 30 + i * (H + GY) }));
    });
    const root = svg('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, id: 'state-diagram', role: 'img', 'aria-label': t('states') },
      svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#52606d' }))));
    // Ports: each box's arrows leave and arrive spread along its edge, in
    // the order of the box at the other end, so that they do not cross at
    // the box.
    const list2 = [...edges.values()].filter((e) => pos.has(e.from) && pos.has(e.to));
    const side = (e, end) => {
      const a = pos.get(e.from), b = pos.get(e.to);
      if (a.y === b.y) return 'top';
      const down = b.y > a.y;
      return end === 'from' ? (down ? 'bottom' : 'top') : (down ? 'top' : 'bottom');
    };
    const ports = new Map(); // code/side → edges in order
    for (const e of list2) {
      for (const end of ['from', 'to']) {
        const k = e[end] + '/' + side(e, end);
        if (!ports.has(k)) ports.set(k, []);
        ports.get(k).push({ e, end });
      }
    }
    const portX = new Map(); // edge key/end → x
    for (const [k, arr] of ports) {
      const code = k.split('/')[0];
      const p = pos.get(code);
      arr.sort((u, v) => pos.get(u.end === 'from' ? u.e.to : u.e.from).x - pos.get(v.end === 'from' ? v.e.to : v.e.from).x);
      arr.forEach((u, i) => portX.set(u.e.from + '>' + u.e.to + '/' + u.end, p.x + W * (0.15 + (0.7 * (i + 1)) / (arr.length + 1))));
    }
    // Label boxes are placed where they overlap no box and no other label:
    // along the arrow first, then a little above or below it.
    const placed = [...pos.values()].map((p) => ({ x: p.x - 4, y: p.y - 4, w: W + 8, h: H + 8 }));
    const overlap = (r) => placed.reduce((sum, q) => {
      const dx = Math.min(r.x + r.w, q.x + q.w) - Math.max(r.x, q.x), dy = Math.min(r.y + r.h, q.y + q.h) - Math.max(r.y, q.y);
      return sum + (dx > 0 && dy > 0 ? dx * dy : 0);
    }, 0);
    // Label widths as the browser's font lays them out, measured in an
    // invisible SVG (an estimate per character misjudges CJK fonts).
    const ruler = svg('svg', { width: 0, height: 0, style: 'position:absolute;visibility:hidden' });
    const rulerText = svg('text', { 'font-size': 10.5 });
    ruler.append(rulerText);
    document.body.append(ruler);
    const textWidth = (str) => { rulerText.textContent = str; return rulerText.getComputedTextLength() || str.length * 11; };
    for (const e of list2) {
      const a = pos.get(e.from), b = pos.get(e.to);
      const down = b.y > a.y, up = b.y < a.y;
      const x1 = portX.get(e.from + '>' + e.to + '/from'), x2 = portX.get(e.from + '>' + e.to + '/to');
      let y1, y2, cx, cy;
      if (down || up) {
        y1 = down ? a.y + H : a.y; y2 = down ? b.y : b.y + H;
        // A way back up bows out to the side, clear of the arrows down.
        cx = (x1 + x2) / 2 + (up ? (x2 <= x1 ? -60 : 60) : 0); cy = (y1 + y2) / 2;
      } else { // same row: an arc above
        y1 = a.y; y2 = b.y;
        // The wider the arc, the higher it rises: nested arcs stay apart.
        cx = (x1 + x2) / 2; cy = a.y - 30 - 0.22 * Math.abs(x2 - x1);
      }
      const label = list(e.cmds.map(commandName));
      const short = label.length > 16 ? label.slice(0, 15) + '…' : label;
      root.append(svg('path', { d: `M${x1},${y1} Q${cx},${cy} ${x2},${y2}`, fill: 'none', stroke: up ? '#c4a35a' : '#9aa5b1', 'stroke-width': 1.3, 'marker-end': 'url(#arrow)' },
        svg('title', {}, stateName(e.from) + ' → ' + stateName(e.to) + colon() + label)));
      const lw = textWidth(short) + 6, lh = 15;
      let best = null;
      for (const tt of [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78]) {
        for (const dy of [0, -14, 14, -26, 26]) {
          const px = (1 - tt) * (1 - tt) * x1 + 2 * (1 - tt) * tt * cx + tt * tt * x2;
          const py = (1 - tt) * (1 - tt) * y1 + 2 * (1 - tt) * tt * cy + tt * tt * y2 + dy;
          const r = { x: px - lw / 2, y: py - lh / 2, w: lw, h: lh };
          const o = overlap(r) + Math.abs(dy) * 0.01 + Math.abs(tt - 0.5) * 0.01;
          if (!best || o < best.o) best = { r, o, px, py };
        }
        if (best.o < 1) break;
      }
      placed.push(best.r);
      root.append(svg('g', { class: 'edge-label' },
        svg('rect', { x: best.r.x, y: best.r.y, width: best.r.w, height: best.r.h, rx: 3, fill: '#fff', 'fill-opacity': 0.92 }),
        svg('text', { x: best.px, y: best.py + 4, 'text-anchor': 'middle', fill: '#3e4c59', 'font-size': 10.5 }, svg('title', {}, label), short)));
    }
    ruler.remove();
    for (const s of m.states) {
      const p = pos.get(s.code);
      const start = s.code === 'new';
      root.append(svg('g', { 'data-state': s.code },
        svg('rect', { x: p.x, y: p.y, width: W, height: H, rx: start ? 23 : 6, fill: start ? '#12355b' : s.final ? '#eef2f7' : '#fff', stroke: s.final ? '#7b8794' : '#1d5fa8', 'stroke-width': s.final ? 2.5 : 1.5 }),
        svg('text', { x: p.x + W / 2, y: p.y + 19, 'text-anchor': 'middle', 'font-weight': 600, fill: start ? '#fff' : '#1f2933' }, S.lang === 'en' ? s.en : s.zh),
        svg('text', { x: p.x + W / 2, y: p.y + 36, 'text-anchor': 'middle', fill: start ? '#dbe7f5' : '#616e7c', 'font-size': 11 }, s.code)));
    }
    const table = el('table', { id: 'transitions' },
      el('thead', {}, el('tr', {}, ['from', 'command', 'who', 'to', 'guards', 'rule'].map((k) => el('th', {}, t(k))))),
      el('tbody', {}, m.transitions.map((r) => el('tr', {}, el('td', {}, stateName(r.from)), el('td', {}, commandName(r.command) + (r.auto ? ' (auto)' : '')),
        el('td', {}, list(r.who.map(whoName))), el('td', {}, r.stay ? '—' : stateName(r.to)),
        el('td', {}, (r.guards || []).map((g) => (en() ? g.en : g.zh)).join(en() ? '; ' : '；')), el('td', {}, r.rule)))));
    show(el('h2', {}, t('states')), el('p', { class: 'muted' }, t('diagramNote')), el('div', { class: 'diagram' }, root),
      el('details', { id: 'transitions-box' }, el('summary', {}, t('tableRows', m.transitions.length)), table));
  }

  async function viewReport() {
    await refreshClock();
    const params = new URLSearchParams(location.hash.split('?')[1] || '');
    const from = params.get('from') || S.clock.today.slice(0, 4) + '-01-01';
    const to = params.get('to') || addDays(S.clock.today, 1);
    const fromIn = el('input', { type: 'date', id: 'r-from', value: from });
    const toIn = el('input', { type: 'date', id: 'r-to', value: to });
    const form = el('form', { id: 'report-form', onsubmit: (ev) => { ev.preventDefault(); location.hash = '#/report?from=' + fromIn.value + '&to=' + toIn.value; } },
      el('label', { for: 'r-from' }, t('fromDate') + ' '), fromIn, ' ', el('label', { for: 'r-to' }, t('toDate') + ' '), toIn, ' ',
      el('button', { class: 'primary', type: 'submit' }, t('show')));
    show(el('h2', {}, t('report')), form, el('p', { class: 'muted' }, t('loading')));
    let rep;
    try { rep = await api('GET', '/v1/reports/supervision?from=' + from + '&to=' + to); } catch (err) { show(el('h2', {}, t('report')), form, errBox(err)); return; }
    const prov = rep.providers;
    const chart = reportChart(prov);
    const ptable = el('table', { id: 'report-providers' },
      el('thead', {}, el('tr', {}, el('th', {}, t('provider')), ['receivedN', 'answered', 'onTime', 'late', 'unanswered', 'unansweredOverdue', 'avgDays', 'extReq', 'extGranted', 'agreed', 'partly', 'refused'].map((k) => el('th', { class: 'num' }, t(k))))),
      el('tbody', {}, prov.map((p) => el('tr', { 'data-dept': p.department.name }, el('td', {}, p.department.name),
        [p.received, p.answered, p.on_time, p.late, p.unanswered, p.overdue, p.average_workdays.toFixed(1), p.extensions_requested, p.extensions_granted, p.agreed, p.partly_agreed, p.refused].map((x) => el('td', { class: 'num' }, x))))));
    const rtable = el('table', { id: 'report-requesters' },
      el('thead', {}, el('tr', {}, el('th', {}, t('requester')), ['submitted', 'activeGrants', 'refused'].map((k) => el('th', { class: 'num' }, t(k))))),
      el('tbody', {}, rep.requesters.map((r) => el('tr', {}, el('td', {}, r.department.name), [r.submitted, r.active_grants, r.refused].map((x) => el('td', { class: 'num' }, x))))));
    show(el('h2', {}, t('report'), ' ', el('span', { class: 'muted' }, cst(rep.from) + ' – ' + cst(rep.to))), form,
      el('section', { class: 'card' }, el('h3', {}, t('chartTitle')), chart), el('h3', {}, t('providers')), ptable, el('h3', {}, t('requesters')), rtable);
  }
  // reportChart draws one stacked bar per providing department: on time,
  // late, unanswered and overdue, unanswered and not yet due.
  function reportChart(prov) {
    const parts = [['on_time', '#2f855a', 'onTime'], ['late', '#dd6b20', 'late'], ['overdue', '#c53030', 'unansweredOverdue'], ['open', '#a0aec0', 'unanswered']];
    const max = Math.max(1, ...prov.map((p) => p.on_time + p.late + p.unanswered));
    const LW = 200, BW = 520, RH = 34, top = 30;
    const height = top + prov.length * RH + 20;
    const root = svg('svg', { class: 'chart', id: 'report-chart', width: LW + BW + 80, height, viewBox: `0 0 ${LW + BW + 80} ${height}`, role: 'img', 'aria-label': t('chartTitle') });
    let lx = LW;
    for (const [, color, key] of parts) {
      root.append(svg('rect', { x: lx, y: 6, width: 12, height: 12, fill: color }), svg('text', { x: lx + 16, y: 16 }, t(key)));
      lx += 130;
    }
    prov.forEach((p, i) => {
      const y = top + i * RH;
      root.append(svg('text', { x: LW - 8, y: y + 18, 'text-anchor': 'end' }, p.department.name));
      let x = LW;
      const vals = { on_time: p.on_time, late: p.late, overdue: p.overdue, open: p.unanswered - p.overdue };
      for (const [k, color, key] of parts) {
        const w = (vals[k] / max) * BW;
        if (w > 0) {
          root.append(svg('rect', { x, y: y + 4, width: w, height: RH - 12, fill: color, 'data-part': k, 'data-dept': p.department.name, 'data-value': vals[k] }, svg('title', {}, t(key) + ' ' + vals[k])));
          root.append(svg('text', { x: x + w / 2, y: y + 18, 'text-anchor': 'middle', fill: '#fff', 'font-weight': 600 }, vals[k]));
        }
        x += w;
      }
      const answered = p.on_time + p.late;
      root.append(svg('text', { x: x + 6, y: y + 18, fill: '#3e4c59' }, answered ? Math.round((p.on_time / answered) * 100) + '%' : '—'));
    });
    return root;
  }

  async function viewCatalog() {
    const file = el('input', { type: 'file', id: 'lint-file', accept: '.xlsx,.csv,.json' });
    const out = el('div', { id: 'lint-result' });
    const form = el('form', { id: 'lint-form' }, el('label', { for: 'lint-file' }, t('upload') + ' '), file, ' ',
      el('button', { class: 'primary', type: 'submit', id: 'lint-send' }, t('lint')), ' ',
      el('button', { class: 'secondary', type: 'button', id: 'lint-template', onclick: downloadTemplate }, t('template')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      out.replaceChildren();
      const f = file.files[0];
      if (!f) return;
      const ext = f.name.split('.').pop().toLowerCase();
      const types = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv', json: 'application/json' };
      try {
        const buf = await f.arrayBuffer();
        const res = await api('POST', '/v1/catalog/lint?format=' + encodeURIComponent(ext), buf, types[ext] || 'application/octet-stream');
        const csv = ext === 'csv' ? parseCSV(new TextDecoder().decode(buf)) : null;
        drawLint(out, res, csv);
      } catch (err) { out.append(errBox(err)); }
    });
    show(el('h2', {}, t('catalog')), el('section', { class: 'card' }, form), out);
  }
  async function downloadTemplate() {
    try {
      const r = await fetch('/v1/catalog/template', { headers: authHeaders(), credentials: 'same-origin' });
      if (!r.ok) throw new APIError(r.status, await r.json().catch(() => null));
      const url = URL.createObjectURL(await r.blob());
      const a = el('a', { href: url, download: '目录模板.xlsx' });
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) { document.getElementById('lint-result').append(errBox(err)); }
  }
  // parseCSV reads RFC 4180 CSV (quoted fields, doubled quotes).
  function parseCSV(text) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const rows = [];
    let row = [], f = '', q = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (q) {
        if (ch === '"') { if (text[i + 1] === '"') { f += '"'; i++; } else q = false; } else f += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') { row.push(f); f = ''; }
      else if (ch === '\n' || ch === '\r') { if (ch === '\r' && text[i + 1] === '\n') i++; row.push(f); rows.push(row); row = []; f = ''; }
      else f += ch;
    }
    if (f !== '' || row.length) { row.push(f); rows.push(row); }
    return rows;
  }
  const colIndex = (letters) => letters.split('').reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  const colLetters = (i) => { let s = ''; i++; while (i > 0) { const r = (i - 1) % 26; s = String.fromCharCode(65 + r) + s; i = Math.floor((i - 1) / 26); } return s; };
  const SEV = { error: 3, warning: 2, info: 1 };
  function drawLint(out, res, csv) {
    const sum = el('p', { id: 'lint-summary', 'data-errors': res.errors }, t('lintSummary', res.entries, res.items, res.errors, res.warnings, res.infos));
    const parts = [sum];
    if (res.truncated) parts.push(el('p', { class: 'err' }, t('truncated', res.findings.length)));
    // The findings at their cells: one grid per sheet (the CSV file itself
    // when it is one; else the rows and columns that have findings).
    const sheets = new Map();
    for (const f of res.findings) if (f.row) { const k = f.sheet || ''; (sheets.get(k) || sheets.set(k, []).get(k)).push(f); }
    for (const [sheet, fs] of sheets) {
      const at = new Map();
      for (const f of fs) { const k = f.row + ':' + (f.column || ''); (at.get(k) || at.set(k, []).get(k)).push(f); }
      let rowNums, colIdx;
      if (csv && !sheet) {
        rowNums = csv.map((_, i) => i + 1);
        colIdx = Array.from({ length: Math.max(...csv.map((r) => r.length)) }, (_, i) => i);
      } else {
        rowNums = [...new Set(fs.map((f) => f.row))].sort((a, b) => a - b);
        colIdx = [...new Set(fs.filter((f) => f.column).map((f) => colIndex(f.column)))].sort((a, b) => a - b);
      }
      const worst = (list) => list.reduce((w, f) => (SEV[f.severity] > SEV[w] ? f.severity : w), 'info');
      const grid = el('table', { class: 'cells', 'data-sheet': sheet || 'csv' },
        el('caption', {}, (sheet ? t('sheet') + ' ' + sheet : 'CSV') + ' — ' + t('findingsAt')),
        el('thead', {}, el('tr', {}, el('th', {}, ''), colIdx.map((c) => el('th', {}, colLetters(c))))),
        el('tbody', {}, rowNums.map((r) => {
          const rowFs = at.get(r + ':') || [];
          return el('tr', {}, el('th', { class: 'rowh' + (rowFs.length ? ' sev-' + worst(rowFs) : ''), title: rowFs.map(msg).join('\n') }, r),
            colIdx.map((c) => {
              const list = at.get(r + ':' + colLetters(c)) || [];
              const val = csv && !sheet && csv[r - 1] ? csv[r - 1][c] || '' : '';
              const codes = list.map((f) => f.code.replace(/^catalog\./, '')).join(' ');
              return el('td', { class: list.length ? 'cell-' + worst(list) : '', title: list.map((f) => colLetters(c) + r + ' ' + msg(f)).join('\n'), 'data-cell': colLetters(c) + r },
                val, codes ? el('small', { class: 'cell-code' }, '⚠ ' + codes) : null);
            }));
        })));
      parts.push(el('div', { class: 'scroll' }, grid));
    }
    const list = el('table', { id: 'lint-findings' },
      el('thead', {}, el('tr', {}, ['sheet', 'cell', 'severity', 'code', 'message', 'citation'].map((k) => el('th', {}, t(k))))),
      el('tbody', {}, res.findings.length ? res.findings.map((f) => el('tr', { 'data-code': f.code },
        el('td', {}, f.sheet || (f.row ? 'CSV' : '')), el('td', {}, f.row ? (f.column || '') + f.row : (f.path || t('wholeSheet'))),
        el('td', { class: 'sev-' + f.severity }, t('sev_' + f.severity)), el('td', {}, el('code', {}, f.code)), el('td', {}, msg(f)),
        el('td', {}, f.citation && f.citation.rule ? f.citation.rule : ''))) : el('tr', {}, el('td', { colspan: 6, class: 'ok' }, t('clean')))));
    parts.push(el('h3', {}, t('findings')), list);
    out.replaceChildren(...parts);
  }

  // ---- routing ---------------------------------------------------------------
  async function route() {
    drawChrome();
    const [, view, arg] = location.hash.split('?')[0].split('/');
    try {
      switch (view || 'apps') {
        case 'app': await viewApp(decodeURIComponent(arg || '')); break;
        case 'new': await viewNew(); break;
        case 'states': await viewStates(); break;
        case 'report': await viewReport(); break;
        case 'catalog': await viewCatalog(); break;
        default: await viewApps();
      }
      document.body.dataset.view = view || 'apps';
    } catch (err) {
      show(errBox(err));
    }
    document.body.dataset.renders = String(++S.renders); // for tests: a view is drawn
  }

  async function start() {
    try {
      const r = await fetch('config.json', { credentials: 'same-origin' });
      if (r.ok) S.config = Object.assign(S.config, await r.json());
    } catch (e) { /* no config: a host that authenticates by its own session */ }
    document.getElementById('lang').addEventListener('click', () => {
      S.lang = S.lang === 'en' ? 'zh' : 'en';
      localStorage.setItem('govshare.lang', S.lang);
      route();
    });
    window.addEventListener('hashchange', route);
    route();
  }
  start();
})();
