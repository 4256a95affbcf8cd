"""The lists the demo county and the generated province are made of.

Codes are written out by hand (upper-case pinyin initials of the short name) so they stay
stable and unique whatever library version turns characters into pinyin.
"""

from __future__ import annotations

from typing import NamedTuple


class ClassSpec(NamedTuple):
    code: str
    name: str
    kind: str
    order: int


class UnitSpec(NamedTuple):
    code: str
    name: str
    short_name: str
    # The head is seeded only for units that carry most of the county's projects and
    # items; every unit gets a reporter. Keeps the county at about 100 accounts.
    with_head: bool = False


class SubUnitSpec(NamedTuple):
    code: str
    name: str
    short_name: str
    parent_code: str


# --- unit classes (单位类别) -------------------------------------------------------------

CLASS_DEPARTMENT = ClassSpec("dept", "县直部门", "department", 10)
CLASS_TOWNSHIP = ClassSpec("town", "乡镇（街道）", "township", 20)
CLASS_PARK = ClassSpec("park", "园区", "park", 30)
CLASS_ENTERPRISE = ClassSpec("soe", "国有企业", "enterprise", 40)
CLASS_SUBUNIT = ClassSpec("sub", "下属单位", "other", 50)
# Province scale only: the city governments' own departments.
CLASS_CITY_DEPARTMENT = ClassSpec("citydept", "市直部门", "department", 5)

COUNTY_CLASSES = [CLASS_DEPARTMENT, CLASS_TOWNSHIP, CLASS_PARK, CLASS_ENTERPRISE, CLASS_SUBUNIT]
PROVINCE_CLASSES = [CLASS_CITY_DEPARTMENT, *COUNTY_CLASSES]

# --- the county ----------------------------------------------------------------------------

# 35 county departments (县直部门), in the order the county's documents list them.
DEPARTMENTS: list[UnitSpec] = [
    UnitSpec("XWB", "县委办公室", "县委办"),
    UnitSpec("ZFB", "县政府办公室", "县政府办"),
    UnitSpec("FGJ", "县发展和改革局", "发改局", True),
    UnitSpec("CZJ", "县财政局", "财政局", True),
    UnitSpec("GXJ", "县工业和信息化局", "工信局", True),
    UnitSpec("SHWJ", "县商务局", "商务局", True),
    UnitSpec("TCJ", "县投资促进局", "投促局", True),
    UnitSpec("JTJ", "县交通运输局", "交通局", True),
    UnitSpec("ZRJ", "县自然资源局", "自然资源局", True),
    UnitSpec("ZJJ", "县住房和城乡建设局", "住建局", True),
    UnitSpec("NYJ", "县农业农村局", "农业农村局", True),
    UnitSpec("SLJ", "县水利局", "水利局", True),
    UnitSpec("LYJ", "县林业局", "林业局"),
    UnitSpec("STJ", "县生态环境分局", "生态环境分局", True),
    UnitSpec("JYJ", "县教育局", "教育局", True),
    UnitSpec("KJJ", "县科学技术局", "科技局"),
    UnitSpec("WJJ", "县卫生健康局", "卫健局", True),
    UnitSpec("WLJ", "县文化和旅游局", "文旅局", True),
    UnitSpec("RSJ", "县人力资源和社会保障局", "人社局"),
    UnitSpec("MZJ", "县民政局", "民政局"),
    UnitSpec("YJJ", "县应急管理局", "应急局", True),
    UnitSpec("SJGJ", "县市场监督管理局", "市场监管局"),
    UnitSpec("GAJ", "县公安局", "公安局"),
    UnitSpec("SFJ", "县司法局", "司法局"),
    UnitSpec("SWJ", "县税务局", "税务局"),
    UnitSpec("TJJ", "县统计局", "统计局"),
    UnitSpec("SJJ", "县审计局", "审计局"),
    UnitSpec("TYJ", "县退役军人事务局", "退役军人局"),
    UnitSpec("YBJ", "县医疗保障局", "医保局"),
    UnitSpec("XSJ", "县行政审批服务局", "行政审批局", True),
    UnitSpec("CGJ", "县城市管理局", "城管局", True),
    UnitSpec("ZSJ", "县政务服务和数据管理局", "政数局"),
    UnitSpec("XFJ", "县信访局", "信访局"),
    UnitSpec("GXS", "县供销合作社联合社", "供销社"),
    UnitSpec("RMT", "县融媒体中心", "融媒体中心"),
]

# 12 townships and streets (乡镇、街道); every one gets a head.
TOWNSHIPS: list[UnitSpec] = [
    UnitSpec("CGZ", "城关镇", "城关镇", True),
    UnitSpec("DCJD", "东城街道", "东城街道", True),
    UnitSpec("XCJD", "西城街道", "西城街道", True),
    UnitSpec("QSZ", "青石镇", "青石镇", True),
    UnitSpec("HKZ", "河口镇", "河口镇", True),
    UnitSpec("BSZ", "白沙镇", "白沙镇", True),
    UnitSpec("LQZ", "龙泉镇", "龙泉镇", True),
    UnitSpec("QXZ", "清溪镇", "清溪镇", True),
    UnitSpec("TYZ", "桃源镇", "桃源镇", True),
    UnitSpec("MPZ", "马坪镇", "马坪镇", True),
    UnitSpec("LLX", "柳林乡", "柳林乡", True),
    UnitSpec("SMX", "石门乡", "石门乡", True),
]

PARKS: list[UnitSpec] = [
    UnitSpec("JKQ", "县经济开发区", "经开区", True),
    UnitSpec("GXY", "县高新技术产业园", "高新园", True),
    UnitSpec("NYY", "县现代农业产业园", "农业园", True),
]

ENTERPRISES: list[UnitSpec] = [
    UnitSpec("CTJT", "县城市建设投资集团有限公司", "城投集团"),
    UnitSpec("JTJT", "县交通投资集团有限公司", "交投集团"),
    UnitSpec("WLGS", "县文化旅游发展有限公司", "文旅公司"),
]

# Where the supervision officers (督查室) sit.
SUPERVISION_OFFICE_CODE = "DCS"
SUBUNITS: list[SubUnitSpec] = [
    SubUnitSpec(SUPERVISION_OFFICE_CODE, "县委县政府督查室", "督查室", "XWB"),
    SubUnitSpec("XMZX", "县重点项目服务中心", "项目中心", "FGJ"),
    SubUnitSpec("GGZY", "县公共资源交易中心", "交易中心", "XSJ"),
    SubUnitSpec("BDCZX", "县不动产登记中心", "不动产中心", "ZRJ"),
    SubUnitSpec("GLZX", "县公路事业发展中心", "公路中心", "JTJ"),
]

# 15 county leaders in order of precedence (排序). The demo's "leader" login is the first
# plain 副县长, the one who in most counties is in charge of development and reform.
COUNTY_LEADER_TITLES: list[str] = [
    "县委书记",
    "县委副书记、县长",
    "县人大常委会主任",
    "县政协主席",
    "县委副书记",
    "县委常委、常务副县长",
    "县委常委、县纪委书记、县监委主任",
    "县委常委、组织部部长",
    "县委常委、宣传部部长",
    "县委常委、政法委书记",
    "副县长",
    "副县长",
    "副县长",
    "副县长",
    "副县长、县公安局局长",
]
DEMO_LEADER_INDEX = 10

# --- the province --------------------------------------------------------------------------

# City departments (市直部门): the county list with 市 instead of 县 and the city's own offices.
CITY_DEPARTMENTS: list[UnitSpec] = [
    UnitSpec("SWB", "市委办公室", "市委办"),
    UnitSpec("SZFB", "市政府办公室", "市政府办"),
    UnitSpec("FGW", "市发展和改革委员会", "发改委"),
    *[
        UnitSpec(
            d.code, "市" + d.name[1:].replace("分局", "局"), d.short_name.replace("分局", "局")
        )
        for d in DEPARTMENTS[3:]
    ],
]

CITY_LEADER_TITLES: list[str] = [
    "市委书记",
    "市委副书记、市长",
    "市人大常委会主任",
    "市政协主席",
    "市委副书记",
    "市委常委、常务副市长",
    "市委常委、秘书长",
    "副市长",
    "副市长",
    "副市长",
]

# fmt: off
# Invented but plausible place names; none is meant to be a real city or county.
CITY_NAMES: list[str] = [
    "青山", "云溪", "安平", "临川", "东阳", "南屏", "北固", "西岭", "长宁", "江源",
    "泰和", "永丰", "瑞金", "凤台", "鹤山", "金沙", "玉屏", "龙城", "宁远", "清河",
]
COUNTY_NAMES: list[str] = [
    "石桥", "双河", "三江", "柳溪", "白马", "青龙", "桃江", "兴隆", "平山", "丰源",
    "梅岭", "花桥", "杨村", "高坪", "大田", "新华", "太平", "龙湾", "紫阳", "松柏",
    "黄沙", "红岩", "古城", "宝塔", "云台", "安宁", "长乐", "福泉", "德兴", "广顺",
    "寿昌", "文峰", "嘉禾", "庆元", "永安", "泰宁", "建平", "崇义", "万载", "上林",
]
TOWN_NAMES: list[str] = [
    "城关", "河口", "青石", "白沙", "龙泉", "清溪", "桃源", "马坪", "柳林", "石门",
    "黄土", "铁炉", "水口", "洪山", "枫林", "茶园", "新店", "老街", "沙坪", "竹溪",
    "官庄", "坪上", "岩口", "三合", "五里", "七星", "九龙", "杨柳", "金鸡", "银山",
]
STREET_NAMES: list[str] = ["东城", "西城", "南城", "北城", "新区", "滨江"]
# fmt: on
PROVINCE_PARKS: list[tuple[str, str, str]] = [
    ("JKQ", "经济开发区", "经开区"),
    ("GXY", "高新技术产业园", "高新园"),
    ("NYY", "现代农业产业园", "农业园"),
]

# fmt: off
# --- people --------------------------------------------------------------------------------

# Common surnames with their pinyin written out: several (曾, 单, 解…) read differently as
# surnames, and a username must read as the person says it.
SURNAMES: list[tuple[str, str]] = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"),
    ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
    ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"),
    ("袁", "yuan"), ("潘", "pan"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"),
    ("杜", "du"), ("叶", "ye"), ("程", "cheng"), ("苏", "su"), ("魏", "wei"),
    ("吕", "lv"), ("丁", "ding"), ("任", "ren"), ("沈", "shen"), ("姚", "yao"),
    ("卢", "lu"), ("姜", "jiang"), ("崔", "cui"), ("钟", "zhong"), ("谭", "tan"),
    ("陆", "lu"), ("汪", "wang"), ("范", "fan"), ("金", "jin"), ("石", "shi"),
    ("廖", "liao"), ("贾", "jia"), ("夏", "xia"), ("韦", "wei"), ("付", "fu"),
    ("方", "fang"), ("邹", "zou"), ("熊", "xiong"), ("孟", "meng"), ("秦", "qin"),
    ("白", "bai"), ("江", "jiang"), ("阎", "yan"), ("薛", "xue"), ("尹", "yin"),
    ("段", "duan"), ("雷", "lei"), ("黎", "li"), ("史", "shi"), ("龙", "long"),
    ("陶", "tao"), ("贺", "he"), ("顾", "gu"), ("毛", "mao"), ("郝", "hao"),
    ("龚", "gong"), ("邵", "shao"), ("万", "wan"), ("覃", "qin"), ("武", "wu"),
    ("戴", "dai"), ("孔", "kong"), ("汤", "tang"), ("严", "yan"), ("向", "xiang"),
]
# How often the surnames above occur, roughly: the first ten cover a third of the people.
SURNAME_WEIGHTS: list[int] = [10] * 10 + [5] * 20 + [3] * 30 + [2] * (len(SURNAMES) - 60)

# Characters of given names, each with one reading (no 乐/长/行 that pinyin could misread).
GIVEN_CHARS: list[tuple[str, str]] = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"),
    ("丽", "li"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"),
    ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"), ("涛", "tao"),
    ("明", "ming"), ("超", "chao"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"),
    ("辉", "hui"), ("鹏", "peng"), ("华", "hua"), ("建", "jian"), ("国", "guo"),
    ("志", "zhi"), ("文", "wen"), ("海", "hai"), ("林", "lin"), ("波", "bo"),
    ("红", "hong"), ("燕", "yan"), ("玲", "ling"), ("斌", "bin"), ("宇", "yu"),
    ("浩", "hao"), ("凯", "kai"), ("俊", "jun"), ("晨", "chen"), ("欣", "xin"),
    ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("慧", "hui"), ("颖", "ying"),
    ("佳", "jia"), ("晓", "xiao"), ("春", "chun"), ("秋", "qiu"), ("冬", "dong"),
    ("梅", "mei"), ("兰", "lan"), ("松", "song"), ("峰", "feng"), ("岩", "yan"),
    ("东", "dong"), ("新", "xin"), ("荣", "rong"), ("庆", "qing"), ("福", "fu"),
    ("德", "de"), ("安", "an"), ("宁", "ning"), ("泽", "ze"), ("瑞", "rui"),
    ("嘉", "jia"), ("思", "si"), ("博", "bo"), ("昊", "hao"), ("然", "ran"),
    ("雨", "yu"), ("晴", "qing"), ("云", "yun"), ("飞", "fei"),
    ("亮", "liang"), ("光", "guang"), ("永", "yong"), ("兴", "xing"), ("宏", "hong"),
    ("振", "zhen"), ("金", "jin"), ("玉", "yu"), ("秀", "xiu"), ("英", "ying"),
    ("桂", "gui"), ("萍", "ping"), ("丹", "dan"), ("倩", "qian"), ("悦", "yue"),
]
# fmt: on
