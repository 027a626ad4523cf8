/**
 * The 万企兴万村 part of the demo world (npm run seed calls it twice): before the week of trading, the chamber
 * starts a running campaign for 湖田村's mushrooms and pairs a restaurant with the cooperative, so the week's
 * real orders fill their progress; after it, the story's visits, problems (most solved on site), research topics,
 * remediation plans and outcomes (STORY: the dashboard's counts are the chamber's own), and an enterprise canteen
 * that joins the campaign and buys.
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

/** The chamber's own counts in the story (the 万企兴万村 work report): the dashboard shows exactly these. */
export const STORY = {
  visits: 85,
  problems: 29,
  solvedOnSite: 19,
  solvedLater: 5,
  plans: 8,
  outcomes: 32,
  /** Over how many days before today the visits and outcomes are spread (the dashboard's default 90 days holds them). */
  days: 84,
} as const;

const HEARD = [
  { category: 'sales', description: '香菇日产两吨，只卖出六成，冷库压货' },
  { category: 'logistics', description: '清晨冷链车难找，送到南昌要四个小时' },
  { category: 'sales', description: '想进企业食堂，但不知道找谁对接' },
  { category: 'technology', description: '分级包装不规范，餐厅退货' },
  { category: 'financing', description: '扩建冷库缺少资金' },
  { category: 'labour', description: '采摘季用工紧张' },
  { category: 'sales', description: '平菇价格被收购商压低，想直供餐厅' },
  { category: 'logistics', description: '村道窄，大货车进不来，只能小车转运' },
  { category: 'technology', description: '缺少冷库温控记录，进超市要资料' },
  { category: 'sales', description: '餐厅想长期订货，但不知道哪家合作社稳定' },
] as const;

const PLAN_TITLES = [
  '农产品冷链短板专项整治方案',
  '企业食堂采购村产农产品专项行动方案',
  '食用菌分级包装标准化整治方案',
  '村道运输“最后一公里”整治方案',
  '合作社融资对接专项方案',
  '采摘季用工保障方案',
  '农产品质量追溯资料补齐方案',
  '餐饮企业稳定订货对接方案',
];
const OUTCOME_TITLES = [
  '香菇进入南昌餐厅',
  '合作社与餐饮企业结对认购',
  '临期香菇经撮合台当日售出',
  '企业食堂每周固定采购',
  '冷链车清晨专线开通',
  '分级包装后退货下降',
  '冷库租用协议签订',
  '平菇直供餐厅价格提高',
];

/**
 * Run at the end (clock ≈ now): the story's visits over the last 84 days with its 29-item problem list (19 solved
 * on site, 5 later), research topics, 8 remediation plans and 32 outcomes; and the enterprise canteen joins the
 * campaign and buys the cooperative's mushrooms (a confirmed order the campaign counts).
 */
export async function seedProgrammeFinish(input: {
  chamber: ApiClient;
  seeded: ProgrammeSeed;
  farmIds: string[];
  restaurantIds: string[];
  buyerToInvite: string;
  realNow: number;
  /** The enterprise canteen's session (企业食堂): it joins the campaign and buys. */
  canteen?: ApiClient;
  /** The cooperative in the campaign's village, which accepts the canteen's bid. */
  cooperative?: { id: string; client: ApiClient };
}): Promise<void> {
  const { chamber, realNow } = input;
  const orgs = [...input.farmIds, ...input.restaurantIds];
  const problemIds: string[] = [];
  for (let i = 0; i < STORY.visits; i++) {
    const orgId = orgs[i % orgs.length];
    const heard =
      i < STORY.problems ? [{ ...HEARD[i % HEARD.length], urgency: i % 7 === 0 ? 'urgent' : 'normal' }] : [];
    const visit = await chamber.must<{ problems: { id: string }[] }>('POST', '/api/visits', {
      orgId,
      // Spread evenly over the period, the newest today.
      visitedOn: dateOf(realNow - Math.floor((i * STORY.days) / (STORY.visits - 1)) * DAY),
      notes: input.farmIds.includes(orgId) ? '走访合作社，了解产销情况' : '走访会员企业，了解采购需求',
      problems: heard,
    });
    problemIds.push(...visit.problems.map((p) => p.id));
  }
  // 19 solved on the spot (现场解决), 5 later; the rest stay on the list.
  for (const [i, id] of problemIds.entries()) {
    if (i >= STORY.solvedOnSite + STORY.solvedLater) break;
    const onSite = i < STORY.solvedOnSite;
    await chamber.must('POST', `/api/problems/${id}/transition`, {
      type: 'resolve',
      resolution: onSite ? '当场对接工商联会员企业' : '联系县里冷链项目，租用冷库',
      resolvedOnSite: onSite,
    });
  }
  const topics: string[] = [];
  for (const [i, t] of [
    { title: '食用菌产销衔接调研', summary: '村里食用菌产量大、保鲜期短，销路依赖个人关系。' },
    { title: '农产品冷链与运输调研', summary: '冷库、冷链车和村道是农产品进城的三道坎。' },
    { title: '合作社经营与融资调研', summary: '合作社扩建缺资金、缺人手、缺标准。' },
  ].entries()) {
    const topic = await chamber.must<{ topic: { id: string } }>('POST', '/api/research-topics', {
      ...t,
      problemIds: problemIds.filter((_, j) => j % 3 === i),
    });
    topics.push(topic.topic.id);
  }
  const planIds: string[] = [];
  for (const [i, title] of PLAN_TITLES.entries()) {
    const plan = await chamber.must<{ plan: { id: string } }>('POST', '/api/remediation-plans', {
      title,
      topicId: topics[i % topics.length],
      problemIds: problemIds.slice(i * 3, i * 3 + 3),
      tasks: [
        { title: '摸清情况，列出清单', owner: '王秀英', dueOn: dateOf(realNow - (20 - i) * DAY) },
        { title: '组织企业与合作社对接', owner: '周海涛', dueOn: dateOf(realNow + (5 + i) * DAY) },
      ],
    });
    planIds.push(plan.plan.id);
    await chamber.must('POST', `/api/remediation-plans/${plan.plan.id}/tasks/0`, { done: true });
  }
  await chamber.must('POST', `/api/campaigns/${input.seeded.campaignId}/invite`, { orgIds: [input.buyerToInvite] });
  for (let i = 0; i < STORY.outcomes; i++) {
    await chamber.must('POST', '/api/programme-outcomes', {
      title: `${OUTCOME_TITLES[i % OUTCOME_TITLES.length]}（第 ${Math.floor(i / OUTCOME_TITLES.length) + 1} 批）`,
      achievedOn: dateOf(realNow - Math.floor((i * STORY.days) / (STORY.outcomes - 1)) * DAY),
      problemIds: problemIds.slice(i % STORY.solvedOnSite, (i % STORY.solvedOnSite) + 1),
      planIds: [planIds[i % planIds.length]],
      ...(i % 4 === 0 ? { campaignIds: [input.seeded.campaignId] } : {}),
    });
  }
  if (input.canteen && input.cooperative) await canteenBuys(input.canteen, input.cooperative, input.seeded.campaignId);
}

/** The enterprise canteen joins the campaign and buys 100 kg of the cooperative's mushrooms at its asking price. */
async function canteenBuys(canteen: ApiClient, cooperative: { id: string; client: ApiClient }, campaignId: string) {
  await canteen.must('POST', `/api/campaigns/${campaignId}/join`, {});
  const lots = await canteen.must<{
    items: { id: string; productCode: string; remainingGrams: number; askPriceFenPerKg: number }[];
  }>('GET', `/api/lots?sellerOrgId=${cooperative.id}&status=open&limit=200`);
  const lot = lots.items
    .filter((l) => l.productCode === 'shiitake' || l.productCode === 'oyster_mushroom')
    .sort((a, b) => b.remainingGrams - a.remainingGrams)[0];
  if (!lot) throw new Error('seed: the cooperative has no open mushroom lot for the canteen');
  const bid = await canteen.must<{ id: string }>('POST', `/api/lots/${lot.id}/bids`, {
    quantityGrams: Math.min(100_000, Math.floor(lot.remainingGrams / 2 / 1000) * 1000),
    priceFenPerKg: lot.askPriceFenPerKg,
  });
  await cooperative.client.must('POST', `/api/bids/${bid.id}/accept`, {});
}
