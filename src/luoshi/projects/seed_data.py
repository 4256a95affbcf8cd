"""What the key-project seed draws from: categories, name parts, units by category,
construction contents, progress texts and problems. Invented but plausible."""

from __future__ import annotations

from typing import NamedTuple


class CategorySpec(NamedTuple):
    code: str  # also the middle part of project codes: 2026-GY-001
    name: str
    order: int
    # Total investment range in 万元 (drawn log-uniformly) and relative frequency.
    low: int
    high: int
    share: int


CATEGORIES: list[CategorySpec] = [
    CategorySpec("GY", "工业项目", 10, 3000, 200000, 28),
    CategorySpec("JC", "基础设施", 20, 2000, 200000, 26),
    CategorySpec("MS", "民生事业", 30, 500, 60000, 18),
    CategorySpec("ST", "生态环保", 40, 800, 80000, 10),
    CategorySpec("NY", "现代农业", 50, 500, 50000, 9),
    CategorySpec("WL", "文旅商贸", 60, 1000, 120000, 9),
]

# Responsible units by category (county unit codes), with weights: the departments that
# carry most key projects in a county come first.
UNITS_BY_CATEGORY: dict[str, list[tuple[str, int]]] = {
    "GY": [("GXJ", 8), ("JKQ", 10), ("GXY", 8), ("FGJ", 5), ("TCJ", 3), ("CGZ", 2), ("HKZ", 1)],
    "JC": [
        ("JTJ", 10),
        ("ZJJ", 8),
        ("FGJ", 6),
        ("SLJ", 4),
        ("CTJT", 5),
        ("JTJT", 4),
        ("CGZ", 3),
        ("DCJD", 1),
        ("BSZ", 1),
        ("QSZ", 1),
    ],
    "MS": [
        ("JYJ", 6),
        ("WJJ", 6),
        ("ZJJ", 5),
        ("MZJ", 2),
        ("FGJ", 3),
        ("CGZ", 3),
        ("XCJD", 1),
        ("LQZ", 1),
    ],
    "ST": [("STJ", 5), ("SLJ", 4), ("ZJJ", 3), ("LYJ", 3), ("CGJ", 3), ("CGZ", 1), ("QXZ", 1)],
    "NY": [("NYJ", 8), ("NYY", 6), ("SLJ", 2), ("TYZ", 2), ("MPZ", 2), ("LLX", 1), ("SMX", 1)],
    "WL": [("WLJ", 6), ("WLGS", 5), ("SHWJ", 4), ("FGJ", 2), ("CGZ", 2), ("QSZ", 1), ("TYZ", 1)],
}

# Units that often cooperate (配合单位) on projects of any category.
COOPERATING_UNITS: list[str] = ["ZRJ", "STJ", "XSJ", "CZJ", "ZJJ", "FGJ", "SLJ", "LYJ"]

TOWNS: list[str] = [
    "城关镇",
    "东城街道",
    "西城街道",
    "青石镇",
    "河口镇",
    "白沙镇",
    "龙泉镇",
    "清溪镇",
    "桃源镇",
    "马坪镇",
    "柳林乡",
    "石门乡",
]
TOWN_OF_UNIT: dict[str, str] = {
    "CGZ": "城关镇",
    "DCJD": "东城街道",
    "XCJD": "西城街道",
    "QSZ": "青石镇",
    "HKZ": "河口镇",
    "BSZ": "白沙镇",
    "LQZ": "龙泉镇",
    "QXZ": "清溪镇",
    "TYZ": "桃源镇",
    "MPZ": "马坪镇",
    "LLX": "柳林乡",
    "SMX": "石门乡",
    "JKQ": "县经济开发区",
    "GXY": "县高新技术产业园",
    "NYY": "县现代农业产业园",
}

# --- names, composed per category ----------------------------------------------------------
# Each template takes keyword parts drawn from the lists below ({town}, {town2}, {n}, …).

NAME_TEMPLATES: dict[str, list[str]] = {
    "GY": [
        "年产{n}万吨{material}生产线项目",
        "年产{n}万套{product}智能制造项目",
        "{material}新材料产业园标准化厂房建设项目",
        "{product}生产基地技术改造项目",
        "年产{n}万吨{material}综合利用项目",
        "{company}{product}扩能改造项目",
        "{park}{product}产业园建设项目（{phase}期）",
        "{company}年产{n}万件{product}项目",
    ],
    "JC": [
        "G{road}线{town}至{town2}段改建工程",
        "S{road}线{town}至{town2}段改扩建工程",
        "{town}至{town2}公路提质改造工程",
        "县城{street}路网提升改造工程",
        "{town}集镇供水工程",
        "{kv}千伏{town}输变电工程",
        "县城{street}片区雨污分流改造工程",
        "{river}{town}段防洪治理工程",
        "县城停车场及充电设施建设项目（{phase}期）",
        "{town}物流园区道路及配套工程",
    ],
    "MS": [
        "县人民医院门诊综合楼建设项目",
        "县中医院{building}建设项目",
        "县第{school}中学新建项目",
        "{town}中心卫生院改扩建项目",
        "{town}{estate}小区老旧小区改造项目",
        "县养老服务中心建设项目",
        "{town}中心小学改扩建项目",
        "县城保障性租赁住房建设项目（{phase}期）",
        "县疾病预防控制中心{building}建设项目",
        "{town}幼儿园新建项目",
        "县职业教育中心实训楼建设项目",
    ],
    "ST": [
        "{town}污水处理厂提标改造项目",
        "{river}流域综合治理工程",
        "县城生活垃圾焚烧发电项目",
        "{town}农村人居环境整治项目",
        "{river}{town}段水生态修复工程",
        "县城{street}片区海绵城市建设项目",
        "{town}矿山生态修复项目",
        "{n}万亩国土绿化提升工程",
    ],
    "NY": [
        "{n}万亩高标准农田建设项目",
        "{town}{crop}产业基地建设项目",
        "县农产品冷链物流中心建设项目",
        "{town}{crop}深加工项目",
        "{town}数字农业示范园建设项目",
        "{town}{n}万头生猪养殖项目",
        "{town}灌区续建配套与节水改造项目",
    ],
    "WL": [
        "{scenic}景区提升改造项目",
        "{town}古镇保护与开发项目",
        "县城商贸物流园建设项目（{phase}期）",
        "{scenic}文旅综合体项目",
        "{town}农贸市场改造提升项目",
        "县城{street}步行街改造提升项目",
        "{town}乡村旅游示范点建设项目",
        "县电商产业园建设项目",
    ],
}

NAME_PARTS: dict[str, list[str]] = {
    "material": [
        "新型建材",
        "水泥",
        "锂电池正极材料",
        "铝型材",
        "特种玻璃",
        "生物饲料",
        "有机肥",
        "再生塑料",
        "石英砂",
        "碳酸钙",
        "钢结构",
        "纸制品",
    ],
    "product": [
        "新能源汽车零部件",
        "电子元器件",
        "光伏组件",
        "智能家居",
        "医疗器械",
        "服装",
        "食品",
        "中药饮片",
        "户外用品",
        "电线电缆",
        "预制构件",
        "包装制品",
    ],
    "company": [
        "宏达",
        "金源",
        "瑞丰",
        "恒信",
        "华盛",
        "天成",
        "鑫泰",
        "永昌",
        "嘉禾",
        "鼎力",
        "正邦",
        "远航",
    ],
    "park": ["经开区", "高新园", "农业园"],
    "street": ["东区", "西区", "南片区", "北片区", "老城区", "新城区", "滨江片区"],
    "river": ["清水河", "白沙河", "龙溪河", "桃花溪", "马坪河", "石门河"],
    "estate": ["幸福", "和平", "建设", "团结", "胜利", "阳光", "向阳"],
    "crop": ["茶叶", "柑橘", "中药材", "蔬菜", "食用菌", "猕猴桃", "油茶", "花椒"],
    "scenic": ["龙泉山", "青石峡", "桃源洞", "白沙湾", "清溪谷", "马坪草原"],
    "building": ["住院综合楼", "医技楼", "业务用房"],
    "phase": ["一", "二", "三"],
    "kv": ["35", "110", "220"],
}

CONTENT_TEMPLATES: dict[str, list[str]] = {
    "GY": [
        "新建生产厂房{area}平方米，购置生产设备{units}台（套），配套建设仓储及办公用房。",
        "改造生产车间{area}平方米，新增自动化生产线{lines}条，配套环保及公用工程。",
    ],
    "JC": [
        "改建道路{km}公里，按二级公路标准建设，路基宽{width}米，配套桥涵及交安设施。",
        "新建管网{km}公里，配套泵站{lines}座，同步实施道路恢复及绿化。",
    ],
    "MS": [
        "新建建筑面积{area}平方米，设置床位{beds}张，配套医疗设备及室外工程。",
        "新建教学及辅助用房{area}平方米，新增学位{seats}个，配套运动场及附属设施。",
        "改造小区{lines}个、{households}户，实施管网、屋面、道路及绿化改造。",
    ],
    "ST": [
        "新建处理规模{tons}吨/日，配套管网{km}公里，出水达到一级A标准。",
        "治理河道{km}公里，建设生态护岸、湿地及沿河步道。",
    ],
    "NY": [
        "建设高标准农田{mu}亩，配套灌溉渠系{km}公里、田间道路及机耕道。",
        "建设种植基地{mu}亩，新建加工厂房{area}平方米及冷链仓储设施。",
    ],
    "WL": [
        "提升游客服务中心{area}平方米，改造游步道{km}公里，完善停车及标识系统。",
        "新建商业及仓储用房{area}平方米，配套停车场、物流分拣中心及道路。",
    ],
}

PROGRESS_TEXTS: dict[str, list[str]] = {
    "early": [
        "完成项目立项及可研批复，正在开展初步设计。",
        "用地报批资料已上报，正在办理环评手续。",
        "完成勘察设计招标，施工图设计已完成{pct}%。",
        "场地平整已完成{pct}%，临时设施搭建完毕。",
    ],
    "middle": [
        "主体工程施工中，累计完成工程量约{pct}%。",
        "基础工程已完成，主体结构施工至第{floor}层。",
        "路基工程完成{pct}%，桥涵工程完成{pct2}%。",
        "设备基础施工完成，部分设备已进场安装。",
        "管网铺设完成{pct}%，正在进行泵站土建施工。",
    ],
    "late": [
        "主体工程完工，正在进行装饰装修及室外配套。",
        "设备安装调试中，计划下月试运行。",
        "工程已基本完工，正在组织竣工验收。",
        "已完成竣工验收，进入试运营阶段。",
    ],
}

PROBLEMS: list[tuple[str, str]] = [
    ("土地报批进度慢，影响开工。", "需自然资源局协调加快用地报批。"),
    ("资金缺口约{gap}万元，影响施工进度。", "需财政局协调落实配套资金。"),
    ("部分群众对征迁补偿有异议，阻工{days}天。", "需属地乡镇加强群众工作。"),
    ("环评批复尚未取得。", "需生态环境分局加快审批。"),
    ("施工用电未接通，影响设备调试。", "需协调供电公司尽快接入。"),
    ("雨季施工受阻，土方作业停工。", ""),
    ("原材料价格上涨，施工单位资金紧张。", ""),
    ("施工许可办理时间较长。", "需行政审批服务局协调。"),
    ("管线迁改涉及多个产权单位，推进缓慢。", "需住建局牵头召开协调会。"),
]

RETURN_REASONS: list[str] = [
    "本月完成投资与形象进度不符，请核实后重新填报。",
    "未上传现场照片，请补充。",
    "自年初累计投资与上月数据不衔接，请核对。",
    "存在问题填写过于笼统，请具体说明。",
]

# Typical monthly shares of the annual plan: low around the Spring Festival, rising.
MONTH_SHARES: list[int] = [4, 3, 7, 8, 9, 10, 10, 10, 10, 10, 10, 9]
