import { startDeskApp, type Client, type DeskApp } from '../fixtures/desk-api';

const T0 = new Date('2026-11-26T08:00:00+08:00');

describe('visits and the problem list over HTTP', () => {
  let app: DeskApp;
  let staff: Client;
  let colleague: Client;
  let farm: { id: string; name: string };
  let chamberId: string;

  beforeAll(async () => {
    app = await startDeskApp('desk_problems', T0);
    farm = await app.org('farm', { name: '绿源食用菌合作社' });
    chamberId = (await app.org('chamber')).id;
    staff = await app.signIn('chamber', { orgId: chamberId, displayName: '李明' });
    colleague = await app.signIn('chamber', { orgId: chamberId, displayName: '王芳' });
  });
  afterAll(() => app.close());

  it('logs a visit with the problems raised on it, and lists it', async () => {
    const res = await staff.post('/api/visits', {
      orgId: farm.id,
      visitedOn: '2026-11-26',
      notes: '日产香菇2吨，冷库仅能存放4天，销量约六成',
      attendees: ['刘社长'],
      staff: [{ userId: colleague.userId, name: colleague.name }],
      problems: [
        { category: 'sales', description: '香菇销路不畅', urgency: 'urgent' },
        { category: 'logistics', description: '缺少冷链车' },
      ],
    });
    expect(res.status).toBe(201);
    const { visit, problems } = await res.json();
    expect(visit).toMatchObject({ orgId: farm.id, staff: [{ name: '李明' }, { name: '王芳' }], attendees: ['刘社长'] });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({
      visitId: visit.id,
      status: 'open',
      urgency: 'urgent',
      raisedBy: { userId: staff.userId },
    });

    const list = await (await colleague.get(`/api/visits?orgId=${farm.id}`)).json();
    expect(list.items).toEqual([expect.objectContaining({ id: visit.id, orgName: '绿源食用菌合作社' })]);
  });

  it('refuses a visit to an unknown enterprise, to the chamber itself, or dated tomorrow', async () => {
    expect(
      (await staff.post('/api/visits', { orgId: '0123456789abcdef01234567', visitedOn: '2026-11-26', notes: 'x' }))
        .status,
    ).toBe(404);
    expect(
      (await (await staff.post('/api/visits', { orgId: chamberId, visitedOn: '2026-11-26', notes: 'x' })).json()).error
        .code,
    ).toBe('NOT_AN_ENTERPRISE');
    const future = await staff.post('/api/visits', { orgId: farm.id, visitedOn: '2026-11-27', notes: 'x' });
    expect(future.status).toBe(400);
    expect((await future.json()).error).toMatchObject({
      code: 'VISIT_IN_FUTURE',
      fields: { visitedOn: expect.any(String) },
    });
  });

  it('takes a problem through open → in_progress → resolved, links the deal, counts it, and reopens with a reason', async () => {
    const created = await staff.post('/api/problems', {
      orgId: farm.id,
      category: 'financing',
      description: '扩建冷库缺资金',
    });
    expect(created.status).toBe(201);
    const { problem } = await created.json();
    const id = problem.id as string;

    const edited = await staff.patch(`/api/problems/${id}`, {
      urgency: 'high',
      assignee: { userId: colleague.userId, name: colleague.name },
    });
    expect((await edited.json()).problem).toMatchObject({ urgency: 'high', assignee: { name: '王芳' } });

    expect(
      (await (await colleague.post(`/api/problems/${id}/transition`, { type: 'start' })).json()).problem.status,
    ).toBe('in_progress');
    const onSite = await colleague.post(`/api/problems/${id}/transition`, {
      type: 'resolve',
      resolution: '对接银行',
      resolvedOnSite: true,
    });
    expect(onSite.status).toBe(400);
    expect((await onSite.json()).error.code).toBe('NOT_ON_A_VISIT');
    const resolved = await colleague.post(`/api/problems/${id}/transition`, {
      type: 'resolve',
      resolution: '对接农商行贷款50万',
    });
    expect((await resolved.json()).problem).toMatchObject({
      status: 'resolved',
      resolvedBy: { name: '王芳' },
      resolvedOnSite: false,
    });

    const again = await colleague.post(`/api/problems/${id}/transition`, { type: 'resolve', resolution: 'x' });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatchObject({ code: 'WRONG_STATUS', status: 'resolved' });
    expect((await staff.patch(`/api/problems/${id}`, { urgency: 'low' })).status).toBe(409);

    const linked = await staff.post(`/api/problems/${id}/links`, { orderIds: ['order-7', 'order-8', 'order-7'] });
    expect((await linked.json()).problem.orderIds).toEqual(['order-7', 'order-8']);

    const reopened = await staff.post(`/api/problems/${id}/transition`, { type: 'reopen', reason: '贷款未到位' });
    const after = (await reopened.json()).problem;
    expect(after.status).toBe('open');
    expect(after.resolution).toBeUndefined();
    expect(after.history.map((s: { action: string }) => s.action)).toEqual([
      'raise',
      'edit',
      'start',
      'resolve',
      'link',
      'reopen',
    ]);
  });

  it('resolves a visit problem on site and reports "raised, resolved (on site)" with breakdowns', async () => {
    const list = await (await staff.get(`/api/problems?orgId=${farm.id}&category=sales`)).json();
    const sales = list.items[0];
    await staff.post(`/api/problems/${sales.id}/transition`, {
      type: 'resolve',
      resolution: '现场对接3家餐厅',
      resolvedOnSite: true,
    });

    const all = await (await staff.get(`/api/problems?orgId=${farm.id}`)).json();
    expect(all.counts).toMatchObject({
      raised: 3,
      resolved: 1,
      resolvedOnSite: 1,
      byStatus: { open: 2, in_progress: 0, resolved: 1 },
    });
    expect(all.counts.byCategory.sales).toEqual({ raised: 1, resolved: 1 });
    expect(all.summary.en).toBe('3 problems raised, 1 resolved (on site: 1)');

    const openOnly = await (await staff.get(`/api/problems?orgId=${farm.id}&status=open`)).json();
    expect(openOnly.items).toHaveLength(2);
    expect(openOnly.counts.raised).toBe(3);
  });

  it('answers 404 for an unknown problem and 400 for a bad transition body', async () => {
    expect((await staff.get('/api/problems/0123456789abcdef01234567')).status).toBe(404);
    expect((await staff.post('/api/problems/0123456789abcdef01234567/transition', { type: 'start' })).status).toBe(404);
    const bad = await staff.post('/api/problems/0123456789abcdef01234567/transition', { type: 'close' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('VALIDATION');
  });

  it('refuses a problem pointing at a visit to another enterprise', async () => {
    const other = await app.org('farm');
    const visit = (
      await (await staff.post('/api/visits', { orgId: other.id, visitedOn: '2026-11-25', notes: '走访' })).json()
    ).visit;
    const res = await staff.post('/api/problems', {
      orgId: farm.id,
      visitId: visit.id,
      category: 'other',
      description: 'x',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('VISIT_OF_ANOTHER_ORG');
  });

  it('lets only one of two simultaneous edits of the same revision win', async () => {
    const { problem } = await (
      await staff.post('/api/problems', { orgId: farm.id, category: 'labour', description: '采摘季缺工' })
    ).json();
    const [a, b] = await Promise.all([
      staff.post(`/api/problems/${problem.id}/transition`, { type: 'start' }),
      colleague.post(`/api/problems/${problem.id}/transition`, { type: 'start' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });
});
