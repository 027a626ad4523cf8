/**
 * The demo world's cast: a shiitake cooperative in 新干县 (Xingan County, 吉安市 — the "Xinggan"),
 * four other farms, twelve Nanchang restaurants and the 红谷滩区 chamber office. Plain data; the seed
 * (scripts/seed.ts) signs them up and trades through the real HTTP API.
 */
import { creditCodeCheckChar } from '../shared/domain/credit-code';
import type { Address } from '../shared/schemas/accounts';
import type { ProductCode } from '../shared/domain/catalogue';

/** One password for every demo sign-in: this is a demo, printed at the end of the seed. */
export const DEMO_PASSWORD = '鲜链演示账号2026';

export interface DemoOrg {
  kind: 'farm' | 'restaurant' | 'canteen';
  name: string;
  /** 统一社会信用代码: registration-authority prefix + 6-digit area code; the rest is made up, check char computed. */
  creditCode: string;
  address: Address;
  location: { lat: number; lng: number };
  person: string;
  phone: string;
  /** Farms: what they post each day (kg), at what asking / lowest price (元/kg). */
  produce?: {
    productCode: ProductCode;
    dailyKg: number;
    askYuanPerKg: number;
    reserveYuanPerKg: number;
    storage: 'cold' | 'ambient';
  }[];
  pickup?: { name: string; address: string };
}

/** prefix: 93 农民专业合作社, 92 个体工商户, 91 企业; area: the county's 6-digit code. */
export function demoCreditCode(prefix: '91' | '92' | '93', area: string, serial: number): string {
  const first17 = `${prefix}${area}MA35${String(serial).padStart(5, '0')}`;
  const check = creditCodeCheckChar(first17);
  if (!check) throw new Error(`bad credit code body ${first17}`);
  return first17 + check;
}

const jx = (city: string, county: string, township?: string, village?: string): Address => ({
  province: '江西省',
  city,
  county,
  ...(township ? { township } : {}),
  ...(village ? { village } : {}),
});

export const COOPERATIVE: DemoOrg = {
  kind: 'farm',
  name: '新干县金川镇鑫源食用菌专业合作社',
  creditCode: demoCreditCode('93', '360824', 1),
  address: jx('吉安市', '新干县', '金川镇', '湖田村'),
  location: { lat: 27.74, lng: 115.39 },
  person: '邹建华',
  phone: '13907960001',
  produce: [
    { productCode: 'shiitake', dailyKg: 1400, askYuanPerKg: 14, reserveYuanPerKg: 9, storage: 'cold' },
    { productCode: 'oyster_mushroom', dailyKg: 800, askYuanPerKg: 8, reserveYuanPerKg: 5, storage: 'cold' },
  ],
  pickup: { name: '鑫源合作社冷库', address: '吉安市新干县金川镇湖田村 105 国道旁' },
};

export const OTHER_FARMS: DemoOrg[] = [
  {
    kind: 'farm',
    name: '南昌县蒋巷镇绿洲蔬菜专业合作社',
    creditCode: demoCreditCode('93', '360121', 2),
    address: jx('南昌市', '南昌县', '蒋巷镇', '柏岗村'),
    location: { lat: 28.52, lng: 116.05 },
    person: '万细华',
    phone: '13907960002',
    produce: [
      { productCode: 'bok_choy', dailyKg: 300, askYuanPerKg: 6, reserveYuanPerKg: 3.6, storage: 'cold' },
      { productCode: 'water_spinach', dailyKg: 200, askYuanPerKg: 5, reserveYuanPerKg: 3, storage: 'ambient' },
    ],
    pickup: { name: '蒋巷镇蔬菜集散点', address: '南昌县蒋巷镇柏岗村村委会旁' },
  },
  {
    kind: 'farm',
    name: '信丰县安西镇橙香脐橙专业合作社',
    creditCode: demoCreditCode('93', '360722', 3),
    address: jx('赣州市', '信丰县', '安西镇', '大塘村'),
    location: { lat: 25.39, lng: 114.92 },
    person: '钟永明',
    phone: '13907960003',
    produce: [{ productCode: 'navel_orange', dailyKg: 1000, askYuanPerKg: 9, reserveYuanPerKg: 6, storage: 'ambient' }],
    pickup: { name: '橙香合作社分拣中心', address: '赣州市信丰县安西镇大塘村' },
  },
  {
    kind: 'farm',
    name: '进贤县军山湖生态渔业专业合作社',
    creditCode: demoCreditCode('93', '360124', 4),
    address: jx('南昌市', '进贤县', '三里乡', '军山湖村'),
    location: { lat: 28.43, lng: 116.3 },
    person: '熊国平',
    phone: '13907960004',
    produce: [{ productCode: 'grass_carp', dailyKg: 150, askYuanPerKg: 22, reserveYuanPerKg: 16, storage: 'cold' }],
    pickup: { name: '军山湖码头冷库', address: '南昌市进贤县三里乡军山湖码头' },
  },
  {
    kind: 'farm',
    name: '湾里区梅岭绿源蛋鸡养殖场',
    creditCode: demoCreditCode('92', '360105', 5),
    address: jx('南昌市', '湾里区', '梅岭镇', '太平村'),
    location: { lat: 28.79, lng: 115.72 },
    person: '涂春兰',
    phone: '13907960005',
    produce: [{ productCode: 'egg', dailyKg: 120, askYuanPerKg: 13, reserveYuanPerKg: 10, storage: 'ambient' }],
    pickup: { name: '梅岭绿源养殖场', address: '南昌市湾里区梅岭镇太平村' },
  },
];

const restaurant = (
  i: number,
  name: string,
  county: string,
  area: string,
  street: string,
  person: string,
  lat: number,
  lng: number,
): DemoOrg => ({
  kind: 'restaurant',
  name,
  creditCode: demoCreditCode(i % 3 === 0 ? '91' : '92', area, 100 + i),
  address: jx('南昌市', county, street),
  location: { lat, lng },
  person,
  phone: `139079601${String(i).padStart(2, '0')}`,
});

export const RESTAURANTS: DemoOrg[] = [
  restaurant(1, '赣江渔火南昌菜馆', '红谷滩区', '360113', '红谷中大道 1368 号', '胡志强', 28.68, 115.86),
  restaurant(2, '洪都老灶瓦罐汤（八一店）', '东湖区', '360102', '八一大道 357 号', '刘美玲', 28.68, 115.9),
  restaurant(3, '绳金塔酒家', '西湖区', '360103', '绳金塔街 45 号', '黄伟', 28.66, 115.89),
  restaurant(4, '秋水广场湘赣小厨', '红谷滩区', '360113', '会展路 999 号', '李娟', 28.69, 115.87),
  restaurant(5, '万寿宫老街米粉坊', '西湖区', '360103', '翠花街 12 号', '罗小军', 28.68, 115.89),
  restaurant(6, '象湖鲜菇火锅', '西湖区', '360103', '象湖西路 88 号', '陈丽', 28.63, 115.87),
  restaurant(7, '九龙湖农家菜馆', '红谷滩区', '360113', '九龙大道 1177 号', '吴建国', 28.65, 115.78),
  restaurant(8, '朝阳洲蒸菜馆', '西湖区', '360103', '朝阳中路 566 号', '曾桂英', 28.65, 115.86),
  restaurant(9, '八一广场素食馆', '东湖区', '360102', '中山路 138 号', '付晓东', 28.68, 115.9),
  restaurant(10, '红谷滩喜宴楼', '红谷滩区', '360113', '丰和中大道 1099 号', '杨志明', 28.7, 115.85),
  restaurant(11, '东湖小炒王', '东湖区', '360102', '叠山路 211 号', '彭红梅', 28.68, 115.91),
  // An enterprise canteen (企业食堂): it joins the programme's campaign in the seed (seed-programme.ts).
  {
    ...restaurant(12, '青山湖软件园职工食堂', '青山湖区', '360111', '高新大道 698 号', '邓俊', 28.7, 115.95),
    kind: 'canteen',
  },
];

export const CHAMBER_STAFF = [
  { name: '王秀英', phone: '13907969001', role: 'admin' as const },
  { name: '周海涛', phone: '13907969002', role: 'staff' as const },
];

/**
 * Restaurants that buy every week from a named farm (indexes into RESTAURANTS; farm 0 is the
 * cooperative, 1… the OTHER_FARMS). `farmAccepts: false` leaves one waiting for the farm's
 * consent, so the demo shows the 接受 / 婉拒 step on the farm's 产能预测 page.
 */
export interface DemoStandingOrder {
  restaurant: number;
  farm: number;
  productCode: ProductCode;
  kgPerDelivery: number;
  /** ISO weekdays, 1 = Monday. */
  weekdays: number[];
  yuanPerKg: number;
  deliverBy: string;
  tolerance?: { extraPercent: number; discountPercent: number };
  farmAccepts: boolean;
}

export const STANDING_ORDERS: DemoStandingOrder[] = [
  {
    restaurant: 0,
    farm: 0,
    productCode: 'shiitake',
    kgPerDelivery: 50,
    weekdays: [2, 5],
    yuanPerKg: 12,
    deliverBy: '10:00',
    tolerance: { extraPercent: 20, discountPercent: 10 },
    farmAccepts: true,
  },
  {
    restaurant: 3,
    farm: 0,
    productCode: 'oyster_mushroom',
    kgPerDelivery: 30,
    weekdays: [1, 3, 6],
    yuanPerKg: 7,
    deliverBy: '09:30',
    farmAccepts: true,
  },
  {
    restaurant: 1,
    farm: 1,
    productCode: 'bok_choy',
    kgPerDelivery: 20,
    weekdays: [1, 2, 3, 4, 5],
    yuanPerKg: 5,
    deliverBy: '08:30',
    farmAccepts: true,
  },
  {
    restaurant: 6,
    farm: 0,
    productCode: 'shiitake',
    kgPerDelivery: 40,
    weekdays: [3, 6],
    yuanPerKg: 12.5,
    deliverBy: '10:30',
    tolerance: { extraPercent: 10, discountPercent: 5 },
    farmAccepts: false,
  },
];
