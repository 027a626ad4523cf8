import {
  countProblems,
  editProblem,
  linkOrders,
  newProblem,
  problemSummary,
  transitionProblem,
  type Problem,
} from '../../shared/domain/desk/problems';
import { aProblem, at, staff, T0 } from '../fixtures/desk';

const ok = (outcome: ReturnType<typeof transitionProblem>): Problem => {
  if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);
  return outcome.problem;
};

describe('raising a problem', () => {
  it('starts open, normal urgency, with the raise in its history', () => {
    const p = aProblem();
    expect(p).toMatchObject({ status: 'open', urgency: 'normal', orderIds: [] });
    expect(p.history).toEqual([{ action: 'raise', by: p.raisedBy, at: T0, to: 'open' }]);
  });

  it('needs a description', () => {
    expect(
      newProblem({ id: 'p', orgId: 'o', category: 'logistics', description: '   ', raisedBy: staff() }, T0),
    ).toMatchObject({ ok: false, reason: 'DESCRIPTION_REQUIRED' });
  });
});

describe('the problem state machine', () => {
  const by = staff('王芳');

  it('goes open → in_progress → resolved with a resolution', () => {
    const started = ok(transitionProblem(aProblem(), { type: 'start', by }, at(1)));
    expect(started.status).toBe('in_progress');
    const resolved = ok(
      transitionProblem(started, { type: 'resolve', by, resolution: '对接3家餐厅，日销1.2吨' }, at(2)),
    );
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolution: '对接3家餐厅，日销1.2吨',
      resolvedOnSite: false,
      resolvedAt: at(2),
      resolvedBy: by,
    });
    expect(resolved.history.map((s) => [s.action, s.from, s.to])).toEqual([
      ['raise', undefined, 'open'],
      ['start', 'open', 'in_progress'],
      ['resolve', 'in_progress', 'resolved'],
    ]);
  });

  it('may be resolved straight from open — on site, when it was raised on a visit', () => {
    const onVisit = aProblem({ visitId: 'visit-1' });
    expect(
      ok(transitionProblem(onVisit, { type: 'resolve', by, resolution: '现场协调冷库', resolvedOnSite: true }, at(1))),
    ).toMatchObject({ status: 'resolved', resolvedOnSite: true });
  });

  it('refuses "on site" for a problem not raised on a visit', () => {
    expect(
      transitionProblem(aProblem(), { type: 'resolve', by, resolution: 'x', resolvedOnSite: true }, at(1)),
    ).toMatchObject({ ok: false, reason: 'NOT_ON_A_VISIT', field: 'resolvedOnSite' });
  });

  it('refuses to resolve without saying how', () => {
    expect(transitionProblem(aProblem(), { type: 'resolve', by, resolution: ' ' }, at(1))).toMatchObject({
      ok: false,
      reason: 'RESOLUTION_REQUIRED',
    });
  });

  it.each([
    ['start', 'in_progress'],
    ['start', 'resolved'],
    ['resolve', 'resolved'],
    ['reopen', 'open'],
    ['reopen', 'in_progress'],
  ] as const)('refuses %s from %s', (type, status) => {
    const p: Problem = { ...aProblem({ visitId: 'v' }), status };
    const t =
      type === 'start' ? { type, by } : type === 'resolve' ? { type, by, resolution: 'r' } : { type, by, reason: 'r' };
    expect(transitionProblem(p, t, at(1))).toMatchObject({ ok: false, reason: 'WRONG_STATUS', status });
  });

  it('reopens a resolved problem with a reason, dropping the resolution but keeping it in the history', () => {
    const resolved = ok(
      transitionProblem(
        aProblem({ visitId: 'v' }),
        { type: 'resolve', by, resolution: '已对接', resolvedOnSite: true },
        at(1),
      ),
    );
    expect(transitionProblem(resolved, { type: 'reopen', by, reason: '' }, at(2))).toMatchObject({
      ok: false,
      reason: 'REASON_REQUIRED',
    });
    const reopened = ok(transitionProblem(resolved, { type: 'reopen', by, reason: '餐厅停止采购' }, at(2)));
    expect(reopened.status).toBe('open');
    expect(reopened).not.toHaveProperty('resolution');
    expect(reopened).not.toHaveProperty('resolvedOnSite');
    expect(reopened.history.at(-2)).toMatchObject({ action: 'resolve', text: '已对接' });
    expect(reopened.history.at(-1)).toMatchObject({
      action: 'reopen',
      from: 'resolved',
      to: 'open',
      text: '餐厅停止采购',
    });
  });
});

describe('editing and linking deals', () => {
  const by = staff();

  it('edits category, urgency, description and assignee while not resolved; null clears the assignee', () => {
    const assignee = staff('赵强');
    const edited = editProblem(aProblem(), { urgency: 'urgent', assignee, category: 'logistics' }, by, at(1));
    expect(edited).toMatchObject({ ok: true, problem: { urgency: 'urgent', assignee, category: 'logistics' } });
    if (!edited.ok) return;
    const cleared = editProblem(edited.problem, { assignee: null }, by, at(2));
    expect(cleared.ok && cleared.problem).not.toHaveProperty('assignee');
    expect(editProblem(edited.problem, { description: '' }, by, at(2))).toMatchObject({
      ok: false,
      reason: 'DESCRIPTION_REQUIRED',
    });
  });

  it('refuses to edit a resolved problem', () => {
    const resolved = ok(transitionProblem(aProblem(), { type: 'resolve', by, resolution: 'done' }, at(1)));
    expect(editProblem(resolved, { urgency: 'low' }, by, at(2))).toMatchObject({
      ok: false,
      reason: 'RESOLVED_IS_READ_ONLY',
    });
  });

  it('links orders in any status, ignoring duplicates, up to 50', () => {
    const resolved = ok(transitionProblem(aProblem(), { type: 'resolve', by, resolution: 'done' }, at(1)));
    const linked = ok(linkOrders(resolved, ['o1', 'o2', 'o1'], by, at(2)));
    expect(linked.orderIds).toEqual(['o1', 'o2']);
    expect(ok(linkOrders(linked, ['o2'], by, at(3)))).toBe(linked);
    const many = Array.from({ length: 49 }, (_, i) => `x${i}`);
    expect(linkOrders(linked, many, by, at(3))).toMatchObject({ ok: false, reason: 'TOO_MANY_LINKS' });
  });
});

describe('counting the problem list', () => {
  it('reports "29 raised, 19 resolved (on site: 12)" with breakdowns', () => {
    const by = staff();
    const problems: Problem[] = [];
    for (let i = 0; i < 29; i++) {
      let p = aProblem({ visitId: 'v1', category: i < 10 ? 'sales' : 'logistics', urgency: i % 2 ? 'high' : 'normal' });
      if (i < 19)
        p = ok(transitionProblem(p, { type: 'resolve', by, resolution: 'ok', resolvedOnSite: i < 12 }, at(1)));
      else if (i < 24) p = ok(transitionProblem(p, { type: 'start', by }, at(1)));
      problems.push(p);
    }
    const counts = countProblems(problems);
    expect(counts).toMatchObject({
      raised: 29,
      resolved: 19,
      resolvedOnSite: 12,
      byStatus: { open: 5, in_progress: 5, resolved: 19 },
    });
    expect(counts.byCategory.sales).toEqual({ raised: 10, resolved: 10 });
    expect(counts.byCategory.logistics).toEqual({ raised: 19, resolved: 9 });
    expect(counts.byCategory.policy).toEqual({ raised: 0, resolved: 0 });
    expect(counts.byUrgency.high.raised + counts.byUrgency.normal.raised).toBe(29);
    expect(problemSummary(counts, 'en')).toBe('29 problems raised, 19 resolved (on site: 12)');
    expect(problemSummary(counts)).toBe('梳理问题29个，已解决19个（其中现场解决12个）');
  });
});
