/**
 * What can be sold, and how long it keeps. Shelf lives are conservative trade figures for
 * fresh, graded produce handled properly: `cold` is 0–4 °C storage, `ambient` is a Nanchang
 * market hall (often 25–35 °C in summer). A lot's expiry may be set shorter than this
 * profile by the farm, never longer (see spoilage.ts).
 */
export type Storage = 'cold' | 'ambient';
export const STORAGES = ['cold', 'ambient'] as const satisfies readonly Storage[];

export type Category = 'mushroom' | 'leafy' | 'vegetable' | 'fruit' | 'grain' | 'egg' | 'soy' | 'meat' | 'fish';

export interface Product {
  code: string;
  nameZh: string;
  nameEn: string;
  category: Category;
  /** Hours from harvest (or slaughter, or making) until it is no longer fit to sell. */
  shelfLifeHours: Record<Storage, number>;
  /** How the trade usually quotes it: 斤 in wet markets, kg for wholesale. */
  quotedPer: 'jin' | 'kg';
}

const DAY = 24;

export const PRODUCT_CODES = [
  'shiitake',
  'oyster_mushroom',
  'enoki',
  'king_oyster',
  'wood_ear',
  'bok_choy',
  'water_spinach',
  'lettuce',
  'napa_cabbage',
  'tomato',
  'cucumber',
  'chili_pepper',
  'eggplant',
  'lotus_root',
  'navel_orange',
  'rice',
  'egg',
  'tofu',
  'pork',
  'grass_carp',
] as const;
export type ProductCode = (typeof PRODUCT_CODES)[number];

export const CATALOGUE: Readonly<Record<ProductCode, Product>> = {
  shiitake: {
    code: 'shiitake',
    nameZh: '鲜香菇',
    nameEn: 'Fresh shiitake',
    category: 'mushroom',
    shelfLifeHours: { cold: 4 * DAY, ambient: 1 * DAY },
    quotedPer: 'jin',
  },
  oyster_mushroom: {
    code: 'oyster_mushroom',
    nameZh: '平菇',
    nameEn: 'Oyster mushroom',
    category: 'mushroom',
    shelfLifeHours: { cold: 3 * DAY, ambient: 18 },
    quotedPer: 'jin',
  },
  enoki: {
    code: 'enoki',
    nameZh: '金针菇',
    nameEn: 'Enoki',
    category: 'mushroom',
    shelfLifeHours: { cold: 7 * DAY, ambient: 1 * DAY },
    quotedPer: 'jin',
  },
  king_oyster: {
    code: 'king_oyster',
    nameZh: '杏鲍菇',
    nameEn: 'King oyster mushroom',
    category: 'mushroom',
    shelfLifeHours: { cold: 10 * DAY, ambient: 2 * DAY },
    quotedPer: 'jin',
  },
  wood_ear: {
    code: 'wood_ear',
    nameZh: '鲜木耳',
    nameEn: 'Fresh wood ear',
    category: 'mushroom',
    shelfLifeHours: { cold: 7 * DAY, ambient: 2 * DAY },
    quotedPer: 'jin',
  },
  bok_choy: {
    code: 'bok_choy',
    nameZh: '上海青',
    nameEn: 'Bok choy',
    category: 'leafy',
    shelfLifeHours: { cold: 3 * DAY, ambient: 1 * DAY },
    quotedPer: 'jin',
  },
  water_spinach: {
    code: 'water_spinach',
    nameZh: '空心菜',
    nameEn: 'Water spinach',
    category: 'leafy',
    shelfLifeHours: { cold: 2 * DAY, ambient: 12 },
    quotedPer: 'jin',
  },
  lettuce: {
    code: 'lettuce',
    nameZh: '生菜',
    nameEn: 'Lettuce',
    category: 'leafy',
    shelfLifeHours: { cold: 5 * DAY, ambient: 1 * DAY },
    quotedPer: 'jin',
  },
  napa_cabbage: {
    code: 'napa_cabbage',
    nameZh: '大白菜',
    nameEn: 'Napa cabbage',
    category: 'leafy',
    shelfLifeHours: { cold: 21 * DAY, ambient: 7 * DAY },
    quotedPer: 'jin',
  },
  tomato: {
    code: 'tomato',
    nameZh: '番茄',
    nameEn: 'Tomato',
    category: 'vegetable',
    shelfLifeHours: { cold: 10 * DAY, ambient: 5 * DAY },
    quotedPer: 'jin',
  },
  cucumber: {
    code: 'cucumber',
    nameZh: '黄瓜',
    nameEn: 'Cucumber',
    category: 'vegetable',
    shelfLifeHours: { cold: 7 * DAY, ambient: 3 * DAY },
    quotedPer: 'jin',
  },
  chili_pepper: {
    code: 'chili_pepper',
    nameZh: '辣椒',
    nameEn: 'Chili pepper',
    category: 'vegetable',
    shelfLifeHours: { cold: 10 * DAY, ambient: 4 * DAY },
    quotedPer: 'jin',
  },
  eggplant: {
    code: 'eggplant',
    nameZh: '茄子',
    nameEn: 'Eggplant',
    category: 'vegetable',
    shelfLifeHours: { cold: 7 * DAY, ambient: 3 * DAY },
    quotedPer: 'jin',
  },
  lotus_root: {
    code: 'lotus_root',
    nameZh: '莲藕',
    nameEn: 'Lotus root',
    category: 'vegetable',
    shelfLifeHours: { cold: 14 * DAY, ambient: 5 * DAY },
    quotedPer: 'jin',
  },
  navel_orange: {
    code: 'navel_orange',
    nameZh: '赣南脐橙',
    nameEn: 'Gannan navel orange',
    category: 'fruit',
    shelfLifeHours: { cold: 60 * DAY, ambient: 21 * DAY },
    quotedPer: 'jin',
  },
  rice: {
    code: 'rice',
    nameZh: '大米',
    nameEn: 'Rice',
    category: 'grain',
    shelfLifeHours: { cold: 365 * DAY, ambient: 180 * DAY },
    quotedPer: 'kg',
  },
  egg: {
    code: 'egg',
    nameZh: '鸡蛋',
    nameEn: 'Eggs',
    category: 'egg',
    shelfLifeHours: { cold: 45 * DAY, ambient: 21 * DAY },
    quotedPer: 'jin',
  },
  tofu: {
    code: 'tofu',
    nameZh: '豆腐',
    nameEn: 'Tofu',
    category: 'soy',
    shelfLifeHours: { cold: 3 * DAY, ambient: 12 },
    quotedPer: 'jin',
  },
  pork: {
    code: 'pork',
    nameZh: '冷鲜猪肉',
    nameEn: 'Chilled pork',
    category: 'meat',
    shelfLifeHours: { cold: 3 * DAY, ambient: 6 },
    quotedPer: 'jin',
  },
  grass_carp: {
    code: 'grass_carp',
    nameZh: '草鱼（鲜）',
    nameEn: 'Fresh grass carp',
    category: 'fish',
    shelfLifeHours: { cold: 2 * DAY, ambient: 6 },
    quotedPer: 'jin',
  },
};

export function isProductCode(code: string): code is ProductCode {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, code);
}

export function findProduct(code: string): Product | undefined {
  return isProductCode(code) ? CATALOGUE[code] : undefined;
}

export function productName(product: Product, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  return locale === 'zh-CN' ? product.nameZh : product.nameEn;
}

export function listProducts(): Product[] {
  return PRODUCT_CODES.map((code) => CATALOGUE[code]);
}
