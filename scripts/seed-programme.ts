/**
 * The 万企兴万村 part of the demo world (npm run seed calls it twice): before the week of trading, the chamber
 * starts a running campaign for 湖田村's mushrooms and pairs a restaurant with the cooperative, so the week's
 * real orders fill their progress; after it, the visits, problems (most solved on site), a research topic,
 * remediation plans and outcomes that make the programme dashboard tell the Honggutan story.
 */
const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;

export interface ApiClient {
  must<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T>;
}

const shanghaiMidnight = (t: number) => Math.floor((t + SHANGHAI) / DAY) * DAY - SHANGHAI;
const dateOf = (t: number) => new Date(t + SHANGHAI).toISOString().slice(0, 10);

export interface ProgrammeSeed {
  campaignId: string;
  pairingId: string;
}

/** Run with the seed's clock at the start of the week: the campaign and the pairing cover the week. */
export async function seedProgrammeStart(input: {
  chamber: ApiClient;
  cooperativeId: string;
  village: string;
  restaurantId: string;
  realNow: number;
}): Promise<ProgrammeSeed> {
  const { chamber, realNow } = input;
  const weekAgo = shanghaiMidnight(realNow) - 7 * DAY;
  const campaign = await chamber.must<{ campaign: { id: string } }>('POST', '/api/campaigns', {
    name: `${input.village}食用菌消费帮扶行动`,
    startsAt: new Date(weekAgo).toISOString(),
    endsAt: new Date(weekAgo + 30 * DAY).toISOString(),
    productCodes: ['shiitake', 'oyster_mushroom'],
    villages: [input.village],
    // The chamber's 帮助销售 total in the story: ¥136,700.
    targetValueFen: 13_670_000,
    targetGrams: 20_000_000,
  });
  const pairing = await chamber.must<{ pairing: { id: string } }>('POST', '/api/pairings', {
    enterpriseOrgId: input.restaurantId,
    farmIds: [input.cooperativeId],
    startsAt: new Date(weekAgo).toISOString(),
    endsAt: new Date(weekAgo + 91 * DAY).toISOString(),
    pledgeGrams: 2_000_000,
    note: '本季度认购合作社香菇 2 吨',
  });
  return { campaignId: campaign.campaign.id, pairingId: pairing.pairing.id };
}

/** Run at the end (clock ≈ now): visits and problems of the past week, a topic, plans and outcomes. */
export async function seedProgrammeFinish(input: {
  chamber: ApiClient;
  seeded: ProgrammeSeed;
  farmIds: string[];
  restaurantIds: string[];
  buyerToInvite: string;
  realNow: number;
}): Promise<void> {
  const { chamber, realNow } = input;
  const visited = [...input.farmIds, ...input.restaurantIds.slice(0, 4)];
  const heard = [
    { category: 'sales', description: '香菇日产两吨，只卖出六成，冷库压货' },
    { category: 'logistics', description: '清晨冷链车难找，送到南昌要四个小时' },
    { category: 'sales', description: '想进企业食堂，但不知道找谁对接' },
    { category: 'technology', description: '分级包装不规范，餐厅退货' },
    { category: 'financing', description: '扩建冷库缺少资金' },
    { category: 'labour', description: '采摘季用工紧张' },
  ] as const;
  const problemIds: string[] = [];
  for (let i = 0; i < visited.length; i++) {
    const problems = i < heard.length ? [{ ...heard[i], urgency: i === 0 ? 'urgent' : 'normal' }] : [];
    const visit = await chamber.must<{ problems: { id: string }[] }>('POST', '/api/visits', {
      orgId: visited[i],
      visitedOn: dateOf(realNow - (6 - (i % 7)) * DAY),
      notes: i < input.farmIds.length ? '走访合作社，了解产销情况' : '走访餐饮企业，了解采购需求',
      problems,
    });
    problemIds.push(...visit.problems.map((p) => p.id));
  }
  // Most were solved on the spot (现场解决); one later; the rest stay on the list.
  for (const [i, id] of problemIds.entries()) {
    if (i >= 4) break;
    await chamber.must('POST', `/api/problems/${id}/transition`, {
      type: 'resolve',
      resolution: i === 3 ? '联系县里冷链项目，租用冷库' : '当场对接工商联会员企业',
      resolvedOnSite: i !== 3,
    });
  }
  const topic = await chamber.must<{ topic: { id: string } }>('POST', '/api/research-topics', {
    title: '食用菌产销衔接调研',
    summary: '村里食用菌产量大、保鲜期短，销路依赖个人关系。',
    problemIds: problemIds.slice(0, 3),
  });
  const plan = await chamber.must<{ plan: { id: string } }>('POST', '/api/remediation-plans', {
    title: '农产品冷链短板专项整治方案',
    topicId: topic.topic.id,
    problemIds: problemIds.slice(1, 2),
    tasks: [
      { title: '摸清全区冷库与冷链车资源', owner: '王主任', dueOn: dateOf(realNow - 2 * DAY) },
      { title: '组织冷链企业与合作社对接会', owner: '李明', dueOn: dateOf(realNow + 10 * DAY) },
    ],
  });
  await chamber.must('POST', `/api/remediation-plans/${plan.plan.id}/tasks/0`, { done: true });
  await chamber.must('POST', '/api/remediation-plans', {
    title: '企业食堂采购村产农产品专项行动方案',
    topicId: topic.topic.id,
    tasks: [{ title: '邀请十家会员企业食堂参加消费帮扶', owner: '李明', dueOn: dateOf(realNow + 20 * DAY) }],
  });
  await chamber.must('POST', `/api/campaigns/${input.seeded.campaignId}/invite`, { orgIds: [input.buyerToInvite] });
  for (const title of ['香菇进入南昌十二家餐厅', '合作社与餐饮企业结对，认购两吨香菇', '临期香菇经撮合台当日售出']) {
    await chamber.must('POST', '/api/programme-outcomes', {
      title,
      achievedOn: dateOf(realNow),
      campaignIds: [input.seeded.campaignId],
      problemIds: problemIds.slice(0, 1),
      planIds: [plan.plan.id],
    });
  }
}
