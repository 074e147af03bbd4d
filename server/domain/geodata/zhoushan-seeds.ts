// Hand-set, approximate placement knowledge for the synthetic Zhoushan divisions (see geodata/SOURCES.md).
// Coordinates are rough town centres read off general knowledge of the islands, not surveyed; island ids are
// those of geodata/zhoushan-land-osm.geojson. Everything derived from this table is labelled synthetic.
import type { Position } from 'geojson';

export const CITY_CODE = '330900000000';
export const DINGHAI = '330902000000';
export const PUTUO = '330903000000';
export const DAISHAN = '330921000000';
export const SHENGSI = '330922000000';

/** Land of other cities in the source bbox: mainland/bbox-cut parts, 梅山岛 (12) and 大榭岛 (14), both Ningbo. */
export const FOREIGN_LAND_IDS: readonly number[] = [1, 2, 4, 11, 12, 14, 72, 107];

/** 舟山岛 (id 3) is cut between 定海 (west) and 普陀 (east) along this line, north to south, near 122.2°E. */
export const ZHOUSHAN_ISLAND_ID = 3;
export const DINGHAI_PUTUO_LINE: readonly Position[] = [
  [122.212, 30.3],
  [122.208, 30.14],
  [122.2, 30.08],
  [122.214, 30.03],
  [122.232, 29.99],
  [122.236, 29.8],
];

/**
 * Islands identified beyond the source's name hints (by position and size), used as county anchors and to put
 * townships and villages on the island their names point to. `name` is for the reader of this table only.
 */
export const KNOWN_ISLANDS: readonly { id: number; name: string; county: string; township?: string }[] = [
  { id: 5, name: '岱山岛', county: DAISHAN },
  { id: 6, name: '六横岛', county: PUTUO, township: '330903100000' },
  { id: 7, name: '金塘岛', county: DINGHAI, township: '330902100000' },
  { id: 8, name: '朱家尖', county: PUTUO, township: '330903004000' },
  { id: 9, name: '衢山岛', county: DAISHAN, township: '330921106000' },
  { id: 10, name: '桃花岛', county: PUTUO, township: '330903104000' },
  { id: 13, name: '大长涂山', county: DAISHAN, township: '330921105000' },
  { id: 15, name: '秀山岛', county: DAISHAN, township: '330921200000' },
  { id: 16, name: '泗礁山', county: SHENGSI },
  { id: 17, name: '小洋山 (with port reclamation)', county: SHENGSI, township: '330922102000' },
  { id: 18, name: '虾峙岛', county: PUTUO, township: '330903102000' },
  { id: 19, name: '册子岛', county: DINGHAI, township: '330902007000' },
  { id: 21, name: '小长涂山', county: DAISHAN, township: '330921105000' },
  { id: 22, name: '普陀山', county: PUTUO, township: '330903106000' },
  { id: 23, name: '长白岛', county: DINGHAI },
  { id: 24, name: '佛渡岛', county: PUTUO, township: '330903100000' },
  { id: 25, name: '长峙岛', county: DINGHAI, township: '330902006000' },
  { id: 27, name: '大猫岛', county: DINGHAI, township: '330902003000' },
  { id: 28, name: '枸杞岛', county: SHENGSI, township: '330922202000' },
  { id: 29, name: '大鱼山', county: DAISHAN, township: '330921100000' },
  { id: 31, name: '小干岛', county: PUTUO, township: '330903001000' },
  { id: 32, name: '大洋山', county: SHENGSI, township: '330922102000' },
  { id: 33, name: '黄龙岛', county: SHENGSI, township: '330922201000' },
  { id: 34, name: '嵊山', county: SHENGSI, township: '330922101000' },
  { id: 35, name: '葫芦岛', county: PUTUO, township: '330903003000' },
  { id: 36, name: '鲁家峙', county: PUTUO, township: '330903001000' },
  { id: 38, name: '花鸟山', county: SHENGSI, township: '330922203000' },
  { id: 41, name: '盘峙岛', county: DINGHAI, township: '330902003000' },
  { id: 46, name: '蚂蚁岛', county: PUTUO, township: '330903001000' },
  { id: 48, name: '庙子湖 (东极)', county: PUTUO, township: '330903105000' },
  { id: 63, name: '白沙山', county: PUTUO, township: '330903004000' },
  // 滩浒 (洋山镇滩浒村) lies far west in Hangzhou Bay, nearer to Shanghai's shore than to 洋山: kept by this override.
  { id: 85, name: '滩浒山', county: SHENGSI, township: '330922102000' },
  { id: 120, name: '滩浒 group islet', county: SHENGSI, township: '330922102000' },
];

/** Township seeds: an approximate centre of the town on its island (snapped onto land by the script). */
export const TOWNSHIP_SEEDS: Readonly<Record<string, Position>> = {
  // 定海区: 舟山岛 west of the line, 金塘岛
  '330902002000': [122.1, 30.04], // 昌国街道, 定海城区 north
  '330902003000': [122.095, 30.017], // 环南街道, old town and south shore
  '330902004000': [122.128, 30.026], // 城东街道
  '330902005000': [122.06, 30.03], // 盐仓街道
  '330902006000': [122.19, 29.995], // 临城街道, 新城 south
  '330902007000': [121.995, 30.08], // 岑港街道, north-west
  '330902008000': [122.085, 30.115], // 马岙街道
  '330902009000': [122.035, 30.048], // 双桥街道
  '330902010000': [122.035, 30.135], // 小沙街道
  '330902050000': [122.165, 30.025], // 千岛街道, 新城 north
  '330902100000': [121.88, 30.03], // 金塘镇
  '330902104000': [122.15, 30.065], // 白泉镇
  '330902105000': [122.175, 30.12], // 干览镇
  // 普陀区: 舟山岛 east of the line and the southern/eastern islands
  '330903001000': [122.3, 29.952], // 沈家门街道
  '330903003000': [122.265, 29.98], // 东港街道
  '330903004000': [122.38, 29.9], // 朱家尖街道
  '330903005000': [122.265, 30.055], // 展茅街道
  '330903100000': [122.13, 29.72], // 六横镇
  '330903102000': [122.255, 29.755], // 虾峙镇
  '330903104000': [122.275, 29.815], // 桃花镇
  '330903105000': [122.68, 30.19], // 东极镇
  '330903106000': [122.39, 30.0], // 普陀山镇
  // 岱山县: 岱山岛 shared by four towns, 长涂, 衢山, 秀山
  '330921100000': [122.19, 30.26], // 高亭镇, county seat on the south shore
  '330921101000': [122.14, 30.31], // 东沙镇, north-west
  '330921102000': [122.22, 30.31], // 岱东镇, north-east
  '330921103000': [122.08, 30.29], // 岱西镇, west end
  '330921105000': [122.33, 30.25], // 长涂镇
  '330921106000': [122.346, 30.443], // 衢山镇
  '330921200000': [122.168, 30.175], // 秀山乡
  // 嵊泗县: 泗礁山 shared by 菜园 and 五龙, one island group per other township
  '330922100000': [122.45, 30.72], // 菜园镇, county seat
  '330922101000': [122.815, 30.72], // 嵊山镇
  '330922102000': [122.07, 30.6], // 洋山镇
  '330922200000': [122.51, 30.71], // 五龙乡
  '330922201000': [122.56, 30.664], // 黄龙乡
  '330922202000': [122.77, 30.716], // 枸杞乡
  '330922203000': [122.682, 30.85], // 花鸟乡
};

/** Villages whose names point to an island (大猫村 → 大猫岛 …): their seed is put on that island. */
export const VILLAGE_ISLANDS: Readonly<Record<string, number>> = {
  '330902003201': 41, // 盘峙村
  '330902003203': 27, // 大猫村
  '330902006016': 25, // 长峙社区
  '330902007201': 19, // 桃夭门村
  '330902007205': 19, // 册北村
  '330903001019': 31, // 小干社区
  '330903001020': 36, // 鲁西社区
  '330903001021': 36, // 鲁东社区
  '330903001203': 36, // 鲁家峙村
  '330903001217': 46, // 蚂蚁岛村
  '330903003200': 35, // 葫芦村
  '330903004203': 63, // 白沙港村
  '330903100276': 24, // 佛渡村
  '330921100233': 29, // 渔山村
  '330921100400': 29, // 舟山绿色石化基地社区 (on 大鱼山)
  '330922102001': 32, // 洋山 城东社区
  '330922102002': 32, // 圣港社区
  '330922102003': 32, // 滨海社区
  '330922102004': 32, // 雄洋社区
  '330922102207': 85, // 滩浒村
  '330922102400': 17, // 小洋港区社区
};
