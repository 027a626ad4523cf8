/**
 * Targeted recommendations (根据村农产品的特点，有针对性地推荐企业进行帮扶): for a farm or village with
 * produce to sell, rank the enterprises most likely to buy it, with the reason shown for each.
 *
 * Score, in whole points (higher first; ties by name then id):
 *   same product bought in the window     + 10 per kg, at most 5,000
 *   similar product (same category)       +  3 per kg, at most 1,500
 *   open demand for the product           +  8 per kg, at most 4,000
 *   open demand for a similar product     +  2 per kg, at most 1,000
 *   paired with this farm or village      + 2,000
 *   distance                              −  5 per km (unknown: no change)
 * The weights make past buying of the same product dominate, then open demand, then pairing; distance
 * separates otherwise similar enterprises.
 */
import { findProduct, productName, type Category } from '../catalogue';
import { haversineKm } from '../matching/candidates';
import { formatWeight, GRAMS_PER_KG, type Locale } from '../units';

interface LatLng {
  lat: number;
  lng: number;
}

interface RecommendationTarget {
  /** The farms whose produce is to be sold (one farm, or a village's farms). */
  farmIds: readonly string[];
  villages?: readonly string[];
  /** The products with surplus or at risk. */
  productCodes: readonly string[];
  location?: LatLng;
}

interface Candidate {
  orgId: string;
  name: string;
  kind: string;
  location?: LatLng;
}

interface PastPurchase {
  buyerOrgId: string;
  productCode: string;
  grams: number;
}

interface OpenDemandLine {
  buyerOrgId: string;
  productCode: string;
  grams: number;
}

interface PairingLink {
  enterpriseOrgId: string;
  farmIds: readonly string[];
  villages: readonly string[];
}

export type ReasonPart =
  | { type: 'bought'; productCode: string; grams: number; days: number }
  | { type: 'boughtSimilar'; category: Category; grams: number; days: number }
  | { type: 'demand'; productCode: string; grams: number }
  | { type: 'paired' }
  | { type: 'distance'; km: number };

export interface Recommendation {
  orgId: string;
  name: string;
  kind: string;
  score: number;
  distanceKm?: number;
  reasons: ReasonPart[];
}

export interface RecommendInput {
  target: RecommendationTarget;
  candidates: readonly Candidate[];
  purchases: readonly PastPurchase[];
  openDemand: readonly OpenDemandLine[];
  pairings: readonly PairingLink[];
  /** How many days `purchases` cover (shown in the reason). */
  windowDays: number;
  limit?: number;
}

const categoryOf = (productCode: string): Category | undefined => findProduct(productCode)?.category;
const kg = (grams: number) => Math.floor(grams / GRAMS_PER_KG);

function sumBy<T>(items: readonly T[], key: (item: T) => string, grams: (item: T) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(key(item), (sums.get(key(item)) ?? 0) + grams(item));
  return sums;
}

export function recommendBuyers(input: RecommendInput): Recommendation[] {
  const { target, windowDays } = input;
  const products = new Set(target.productCodes);
  const categories = new Set(target.productCodes.map(categoryOf).filter((c): c is Category => c !== undefined));
  const similar = (code: string) => !products.has(code) && categories.has(categoryOf(code) ?? ('' as Category));
  const farms = new Set(target.farmIds);
  const villages = new Set(target.villages ?? []);

  const recs = input.candidates.map((candidate): Recommendation => {
    const mine = input.purchases.filter((p) => p.buyerOrgId === candidate.orgId);
    const sameByProduct = sumBy(
      mine.filter((p) => products.has(p.productCode)),
      (p) => p.productCode,
      (p) => p.grams,
    );
    const similarGrams = mine.filter((p) => similar(p.productCode)).reduce((s, p) => s + p.grams, 0);
    const demand = input.openDemand.filter((d) => d.buyerOrgId === candidate.orgId);
    const demandByProduct = sumBy(
      demand.filter((d) => products.has(d.productCode)),
      (d) => d.productCode,
      (d) => d.grams,
    );
    const similarDemand = demand.filter((d) => similar(d.productCode)).reduce((s, d) => s + d.grams, 0);
    const paired = input.pairings.some(
      (p) =>
        p.enterpriseOrgId === candidate.orgId &&
        (p.farmIds.some((f) => farms.has(f)) || p.villages.some((v) => villages.has(v))),
    );
    const distanceKm =
      target.location && candidate.location ? haversineKm(target.location, candidate.location) : undefined;

    const sameGrams = [...sameByProduct.values()].reduce((s, g) => s + g, 0);
    const demandGrams = [...demandByProduct.values()].reduce((s, g) => s + g, 0);
    const score =
      Math.min(5000, 10 * kg(sameGrams)) +
      Math.min(1500, 3 * kg(similarGrams)) +
      Math.min(4000, 8 * kg(demandGrams)) +
      Math.min(1000, 2 * kg(similarDemand)) +
      (paired ? 2000 : 0) -
      (distanceKm === undefined ? 0 : Math.round(5 * distanceKm));

    const reasons: ReasonPart[] = [];
    const topBought = [...sameByProduct.entries()].sort((a, b) => b[1] - a[1])[0];
    if (topBought) reasons.push({ type: 'bought', productCode: topBought[0], grams: topBought[1], days: windowDays });
    else if (similarGrams > 0) {
      const category = [...categories][0];
      if (category) reasons.push({ type: 'boughtSimilar', category, grams: similarGrams, days: windowDays });
    }
    const topDemand = [...demandByProduct.entries()].sort((a, b) => b[1] - a[1])[0];
    if (topDemand) reasons.push({ type: 'demand', productCode: topDemand[0], grams: topDemand[1] });
    if (paired) reasons.push({ type: 'paired' });
    if (distanceKm !== undefined) reasons.push({ type: 'distance', km: Math.round(distanceKm) });
    return {
      orgId: candidate.orgId,
      name: candidate.name,
      kind: candidate.kind,
      score,
      ...(distanceKm !== undefined ? { distanceKm: Math.round(distanceKm * 10) / 10 } : {}),
      reasons,
    };
  });
  return recs
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh-CN') || (a.orgId < b.orgId ? -1 : 1))
    .slice(0, input.limit ?? 20);
}

const CATEGORY_NAMES: Record<Category, [string, string]> = {
  mushroom: ['菌菇', 'mushrooms'],
  leafy: ['叶菜', 'leafy greens'],
  vegetable: ['蔬菜', 'vegetables'],
  fruit: ['水果', 'fruit'],
  grain: ['粮食', 'grain'],
  egg: ['禽蛋', 'eggs'],
  soy: ['豆制品', 'soy products'],
  meat: ['肉类', 'meat'],
  fish: ['水产', 'fish'],
};

function nameOf(productCode: string, locale: Locale): string {
  const product = findProduct(productCode);
  return product ? productName(product, locale) : productCode;
}

/** "近30天买过1.2吨香菇，18公里" / "bought 1.2 t of shiitake in the last 30 days, 18 km". */
export function reasonText(reasons: readonly ReasonPart[], locale: Locale = 'zh-CN'): string {
  const zh = locale === 'zh-CN';
  const parts = reasons.map((r) => {
    switch (r.type) {
      case 'bought':
        return zh
          ? `近${r.days}天买过${formatWeight(r.grams, locale)}${nameOf(r.productCode, locale)}`
          : `bought ${formatWeight(r.grams, locale)} of ${nameOf(r.productCode, locale)} in the last ${r.days} days`;
      case 'boughtSimilar':
        return zh
          ? `近${r.days}天买过${formatWeight(r.grams, locale)}${CATEGORY_NAMES[r.category][0]}`
          : `bought ${formatWeight(r.grams, locale)} of ${CATEGORY_NAMES[r.category][1]} in the last ${r.days} days`;
      case 'demand':
        return zh
          ? `正在求购${formatWeight(r.grams, locale)}${nameOf(r.productCode, locale)}`
          : `asking for ${formatWeight(r.grams, locale)} of ${nameOf(r.productCode, locale)}`;
      case 'paired':
        return zh ? '结对帮扶企业' : 'paired with this farm or village';
      case 'distance':
        return zh ? `${r.km}公里` : `${r.km} km`;
    }
  });
  if (parts.length === 0) return zh ? '暂无往来记录' : 'no history yet';
  return parts.join(zh ? '，' : ', ');
}
